package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/datasets"
)

// groupsFor checks the columns the spec names against the loaded dataset
// and returns the groups configuration with every list resolved (the
// role defaults applied), so that the effective spec can record what was
// used. Errors are *SpecError values at the field that names the column.
func (s *Spec) groupsFor(d *datasets.Dataset, gc GroupsConfig) (GroupsConfig, error) {
	userNames := columnNames(d.UserColumns)
	itemNames := columnNames(d.ItemColumns)
	for i, r := range s.Dataset.Roles {
		switch r.Role {
		case "value", "timestamp", "user_id", "item_id":
			continue // interactions columns: checked by the loader
		}
		if !slices.Contains(userNames, r.Column) && !slices.Contains(itemNames, r.Column) && !ignored(d, r.Column) {
			return gc, s.errAt(index("dataset.roles", i), fmt.Sprintf("unknown column %q: no users or items table has it", r.Column),
				suggest(r.Column, append(slices.Clone(userNames), itemNames...), "columns"), datasets.ErrSchema)
		}
	}

	// Sensitive attributes.
	if gc.Sensitive == nil {
		gc.Sensitive = []string{}
		for _, c := range d.UserColumnsWithRole(datasets.RoleSensitive) {
			gc.Sensitive = append(gc.Sensitive, c.Name)
		}
	} else {
		for i, name := range gc.Sensitive {
			f := index("groups.sensitive", i)
			col, ok := d.UserColumn(name)
			if !ok {
				return gc, s.errAt(f, fmt.Sprintf("unknown column %q: the users table has no such column", name), suggest(name, userNames, "users columns"), datasets.ErrSchema)
			}
			if col.Kind == datasets.MultiCategorical {
				return gc, s.errAt(f, fmt.Sprintf("column %q holds several values per user", name), "user groups need one value per user", datasets.ErrSchema)
			}
		}
	}
	for _, name := range gc.Sensitive {
		col, _ := d.UserColumn(name)
		if col != nil && col.Kind == datasets.Numeric {
			if _, ok := gc.Bins[name]; !ok {
				return gc, s.errAt("groups.bins", fmt.Sprintf("sensitive column %q is numeric and has no bins", name),
					fmt.Sprintf("add bins, such as groups.bins: {%s: [18, 25, 35, 50, 65, .inf]} or {%s: {quantiles: 4}}", name, name), datasets.ErrSchema)
			}
		}
	}
	for i, b := range s.Groups.Bins {
		f := index("groups.bins", i)
		col, ok := d.UserColumn(b.Column)
		switch {
		case !ok:
			return gc, s.errAt(f, fmt.Sprintf("unknown column %q: the users table has no such column", b.Column), suggest(b.Column, userNames, "users columns"), datasets.ErrSchema)
		case col.Kind != datasets.Numeric:
			return gc, s.errAt(f, fmt.Sprintf("column %q is %v, not numeric: it needs no bins", b.Column, col.Kind), "remove its bins", datasets.ErrSchema)
		case !slices.Contains(gc.Sensitive, b.Column):
			return gc, s.errAt(f, fmt.Sprintf("column %q is not among the sensitive attributes %q", b.Column, gc.Sensitive), "add it to groups.sensitive", nil)
		}
	}
	for i, in := range gc.Intersections {
		for j, a := range in {
			if !slices.Contains(gc.Sensitive, a) {
				return gc, s.errAt(index(index("groups.intersections", i), j), fmt.Sprintf("attribute %q is not among the sensitive attributes %q", a, gc.Sensitive),
					"add it to groups.sensitive", datasets.ErrSchema)
			}
		}
	}

	// Item groups, flags and categories.
	if gc.ItemGroups == nil {
		gc.ItemGroups = []string{}
		for _, c := range d.ItemColumnsWithRole(datasets.RoleItemGroup) {
			gc.ItemGroups = append(gc.ItemGroups, c.Name)
		}
	} else {
		for i, name := range gc.ItemGroups {
			col, ok := d.ItemColumn(name)
			f := index("groups.item_groups", i)
			if !ok {
				return gc, s.errAt(f, fmt.Sprintf("unknown column %q: the items table has no such column", name), suggest(name, itemNames, "items columns"), datasets.ErrSchema)
			}
			if col.Kind == datasets.Numeric {
				return gc, s.errAt(f, fmt.Sprintf("column %q is numeric", name), "item groups come from categorical, multi-categorical or bool columns", datasets.ErrSchema)
			}
		}
	}
	if gc.Flags == nil {
		gc.Flags = []string{}
		for _, c := range d.ItemColumnsWithRole(datasets.RoleFlag) {
			gc.Flags = append(gc.Flags, c.Name)
		}
	} else {
		for i, name := range gc.Flags {
			col, ok := d.ItemColumn(name)
			f := index("groups.flags", i)
			if !ok {
				return gc, s.errAt(f, fmt.Sprintf("unknown column %q: the items table has no such column", name), suggest(name, itemNames, "items columns"), datasets.ErrSchema)
			}
			if col.Kind != datasets.Bool {
				return gc, s.errAt(f, fmt.Sprintf("column %q is %v; a flag is a bool column", name, col.Kind), "name a bool items column (true or false per item)", datasets.ErrSchema)
			}
		}
	}
	if gc.Category != "" {
		col, ok := d.ItemColumn(gc.Category)
		if !ok {
			return gc, s.errAt("groups.category", fmt.Sprintf("unknown column %q: the items table has no such column", gc.Category), suggest(gc.Category, itemNames, "items columns"), datasets.ErrSchema)
		}
		if col.Kind != datasets.Categorical && col.Kind != datasets.MultiCategorical {
			return gc, s.errAt("groups.category", fmt.Sprintf("column %q is %v; categories come from a categorical column", gc.Category, col.Kind), "name a categorical or multi-categorical items column", datasets.ErrSchema)
		}
	} else if _, ok := d.ItemColumn("category"); ok {
		gc.Category = "category"
	}
	return gc, nil
}

func columnNames(cols []datasets.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func ignored(d *datasets.Dataset, col string) bool {
	for _, c := range d.Report.IgnoredColumns {
		if _, name, ok := strings.Cut(c, "."); ok && name == col {
			return true
		}
	}
	return false
}
