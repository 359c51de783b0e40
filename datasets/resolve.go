package datasets

import (
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// tableKind names the three dataset tables.
type tableKind int

const (
	tableInteractions tableKind = iota
	tableUsers
	tableItems
)

func (t tableKind) String() string {
	return [...]string{"interactions", "users", "items"}[t]
}

// sensitiveNames are column names that default to RoleSensitive in a users
// table without role metadata: common protected characteristics.
var sensitiveNames = []string{
	"gender", "sex", "age", "age_band", "age_group", "race", "ethnicity",
	"religion", "disability", "nationality", "marital_status", "sexual_orientation",
}

// itemGroupNames default to RoleItemGroup in an items table.
var itemGroupNames = []string{"provider", "provider_type", "category", "categories", "brand", "vendor", "seller", "genre", "genres"}

// Allowed roles per table.
var allowedRoles = map[tableKind][]Role{
	tableInteractions: {RoleUserID, RoleItemID, RoleValue, RoleTimestamp, RoleIgnore},
	tableUsers:        {RoleUserID, RoleSensitive, RoleAttribute, RoleConsent, RoleIgnore},
	tableItems:        {RoleItemID, RoleItemGroup, RoleFlag, RoleAttribute, RoleIgnore},
}

// resolveRole decides a column's role: an option beats field metadata,
// which beats the defaults documented on [Load].
func resolveRole(file string, table tableKind, f arrow.Field, opts map[string]Role) (Role, error) {
	r, ok := opts[f.Name]
	if !ok {
		if v, has := f.Metadata.GetValue(MetadataRole); has {
			var err error
			r, err = ParseRole(v)
			if err != nil {
				return RoleNone, &Error{File: file, Column: f.Name, Msg: "field metadata " + MetadataRole + "=" + quote(v) + " is not a role",
					Fix: "use one of sensitive, attribute, consent, item_group, flag, value, timestamp, user_id, item_id, ignore", Err: ErrSchema}
			}
		} else {
			r = defaultRole(table, f)
		}
	}
	if !slices.Contains(allowedRoles[table], r) {
		return RoleNone, &Error{File: file, Column: f.Name, Msg: "role " + r.String() + " is not allowed in the " + table.String() + " table",
			Fix: "allowed roles there: " + joinRoles(allowedRoles[table]), Err: ErrSchema}
	}
	return r, nil
}

func defaultRole(table tableKind, f arrow.Field) Role {
	name := strings.ToLower(f.Name)
	switch table {
	case tableInteractions:
		switch name {
		case "user_id":
			return RoleUserID
		case "item_id":
			return RoleItemID
		case "value", "rating", "weight", "count":
			return RoleValue
		case "timestamp", "time", "ts", "datetime":
			return RoleTimestamp
		}
	case tableUsers:
		switch {
		case name == "user_id":
			return RoleUserID
		case strings.HasPrefix(name, "consent") && f.Type.ID() == arrow.BOOL:
			return RoleConsent
		case slices.Contains(sensitiveNames, name):
			return RoleSensitive
		}
		return RoleAttribute
	case tableItems:
		switch {
		case name == "item_id":
			return RoleItemID
		case slices.Contains(itemGroupNames, name):
			return RoleItemGroup
		case f.Type.ID() == arrow.BOOL:
			return RoleFlag
		}
		return RoleAttribute
	}
	return RoleIgnore
}

func joinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

func quote(s string) string { return "\"" + s + "\"" }
