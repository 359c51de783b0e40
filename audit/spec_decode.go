package audit

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/recaudit/recaudit/datasets/demo"
	"go.yaml.in/yaml/v3"
)

// ReadSpec reads the audit spec file at path (see [ParseSpec]). Relative
// paths in it are relative to the file's directory.
func ReadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &SpecError{File: path, Msg: "cannot read the spec file", Fix: "check the path given to --spec", Err: err}
	}
	s, err := ParseSpec(path, data)
	if err != nil {
		return nil, err
	}
	s.BaseDir = filepath.Dir(path)
	return s, nil
}

// ParseSpec parses an audit spec from YAML. name is the file name used in
// error messages. The document is a mapping that starts with "version: 1"
// and may set any field of [Spec] by its JSON name (examples/audit.yaml
// shows every one); fields it leaves out keep the values of
// [DefaultSpec].
//
// A few shorthands: a list of names may be written as one name; cutoffs
// as one number; a system as just an algorithm name ("- ease"); an exec
// system's command as one string split like a shell would; a numeric
// column's bins as a list of edges or a number of quantile bins; a split
// cutoff as a date ("2025-06-01"); and demo effects as "none" for the
// null world. When a spec gives k but no cutoffs, the cutoffs are [k];
// when it gives demo users but no interactions, 30 interactions per user.
//
// The JSON of a spec, such as the "spec" of results.json, is also read:
// roles, bins and params may be lists of mappings ({column, role},
// {column, edges, quantiles} with edges "+Inf" and "-Inf", {name,
// value}), and a null demo beside files means no demo.
//
// ParseSpec checks the structure only: every key is known (an unknown
// key is an error naming the closest valid key) and every value has the
// right type. [Spec.Check] checks the values. Errors are *SpecError
// values that name the file, line, column and field. ParseSpec never
// panics, whatever the input.
func ParseSpec(name string, data []byte) (s *Spec, err error) {
	s = DefaultSpec()
	s.File = name
	s.pos = map[string]Pos{}
	var root yaml.Node
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = &SpecError{File: name, Msg: fmt.Sprintf("the YAML parser failed: %v", r), Fix: "check the file is valid YAML"}
			}
		}()
		dec := yaml.NewDecoder(bytes.NewReader(data))
		if yerr := dec.Decode(&root); yerr != nil && yerr != io.EOF {
			err = yamlError(name, yerr)
			return
		}
		// A second document would be ignored: refuse it.
		var next yaml.Node
		switch yerr := dec.Decode(&next); {
		case yerr == nil:
			line := next.Line
			if len(next.Content) > 0 {
				line = next.Content[0].Line
			}
			err = &SpecError{File: name, Line: line, Column: 1, Msg: "the file holds more than one YAML document (a second one after ---)",
				Fix: "keep one spec per file: remove the --- line and what follows, or merge the documents"}
		case yerr != io.EOF:
			err = yamlError(name, yerr)
		}
	}()
	if err != nil {
		return nil, err
	}
	if len(root.Content) == 0 || isNull(root.Content[0]) {
		return nil, &SpecError{File: name, Msg: "the spec is empty", Fix: "start it with \"version: 1\" (see examples/audit.yaml)"}
	}
	d := &decoder{s: s}
	if err := d.top(root.Content[0]); err != nil {
		return nil, err
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns an error of the YAML parser into a SpecError with its
// line.
func yamlError(file string, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &SpecError{File: file, Line: line, Column: 1, Msg: "invalid YAML: " + msg,
		Fix: "check the indentation (spaces, not tabs), colons and quotes on that line and the one before", Err: err}
}

// decoder walks the YAML nodes of a spec into a Spec, recording where
// each field was set.
type decoder struct {
	s *Spec
}

// field is one key of a mapping and how to decode its value.
type field struct {
	key    string
	decode func(path string, n *yaml.Node) error
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Column: n.Column} }

func (d *decoder) fail(path string, n *yaml.Node, msg, fix string) error {
	return &SpecError{File: d.s.File, Line: n.Line, Column: n.Column, Field: path, Msg: msg, Fix: fix}
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapping decodes a mapping node by its fields; an unknown key is an
// error naming the closest valid key, a repeated key an error too.
func (d *decoder) mapping(path string, n *yaml.Node, fields []field) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		what, fix := "the spec", "write one key: value per line, starting with \"version: 1\""
		if path != "" {
			what, fix = "this section", "write its keys indented on the lines below it, or as {key: value, ...}"
		}
		return d.fail(path, n, fmt.Sprintf("%s must be a mapping of keys to values, got %s", what, describe(n)), fix)
	}
	valid := make([]string, len(fields))
	for i, f := range fields {
		valid[i] = f.key
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		key := k.Value
		if k.Kind != yaml.ScalarNode {
			return d.fail(path, k, "a key must be a name, got "+describe(k), "")
		}
		p := join(path, key)
		if seen[key] {
			return d.fail(p, k, fmt.Sprintf("key %q is given twice", key), "remove one of them")
		}
		seen[key] = true
		var f *field
		for j := range fields {
			if fields[j].key == key {
				f = &fields[j]
			}
		}
		if f == nil {
			where := "the spec"
			if path != "" {
				where = path
			}
			return d.fail(p, k, fmt.Sprintf("unknown key %q in %s", key, where), suggest(key, valid, "valid keys"))
		}
		d.s.set(p, posOf(resolve(v)))
		if err := f.decode(p, v); err != nil {
			return err
		}
	}
	return nil
}

// describe names the kind of a node for error messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing (null)"
		}
		return strconv.Quote(n.Value)
	}
	return "an unexpected YAML node"
}

// Scalar decoders.

func (d *decoder) scalar(path string, n *yaml.Node, want string) (*yaml.Node, error) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return nil, d.fail(path, n, fmt.Sprintf("want %s, got %s", want, describe(n)), "")
	}
	return n, nil
}

func (d *decoder) str(p *string) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		s, err := d.scalar(path, n, "a string")
		if err != nil {
			return err
		}
		*p = s.Value
		return nil
	}
}

// typeFix returns the fix for a scalar of the wrong type that would have
// one of the wanted tags without its quotes.
func typeFix(s *yaml.Node, tags ...string) string {
	if s.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return ""
	}
	plain := yaml.Node{Kind: yaml.ScalarNode, Value: s.Value}
	if slices.Contains(tags, plain.ShortTag()) {
		return "remove the quotes: a quoted value is a string"
	}
	return ""
}

// bigNumber matches a plain scalar that looks like a number but that the
// YAML parser resolved to a string, because it overflows a float64 (such
// as 1e400).
var bigNumber = regexp.MustCompile(`^[-+]?([0-9][0-9_]*)?(\.[0-9]*)?([eE][-+]?[0-9]+)?$`)

// isBig reports whether s is such a number.
func isBig(s *yaml.Node) bool {
	return s.ShortTag() == "!!str" && s.Style == 0 && strings.ContainsAny(s.Value, "0123456789") && bigNumber.MatchString(s.Value)
}

// integer decodes a whole number that fits an int32 (an integral float
// such as 1e6 too).
func (d *decoder) integer(p *int) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		s, err := d.scalar(path, n, "a whole number")
		if err != nil {
			return err
		}
		var v int64
		switch t := s.ShortTag(); {
		case t == "!!int" && s.Decode(&v) == nil:
		case t == "!!int": // beyond int64, out of range either way
			v = math.MaxInt64
		case t == "!!float":
			var f float64
			if s.Decode(&f) != nil {
				f = math.Inf(1) // beyond float64
			}
			if f != math.Trunc(f) {
				return d.fail(path, s, fmt.Sprintf("want a whole number, got %s", describe(s)), "")
			}
			v = math.MaxInt64 // out of range
			if math.Abs(f) < 1<<53 {
				v = int64(f)
			}
		case isBig(s):
			v = math.MaxInt64 // out of range
		default:
			return d.fail(path, s, fmt.Sprintf("want a whole number, got %s", describe(s)), typeFix(s, "!!int", "!!float"))
		}
		if v > math.MaxInt32 || v < math.MinInt32 {
			return d.fail(path, s, s.Value+" is out of range", fmt.Sprintf("give a whole number between %d and %d", math.MinInt32, math.MaxInt32))
		}
		*p = int(v)
		return nil
	}
}

func (d *decoder) uinteger(p *uint64) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		s, err := d.scalar(path, n, "a whole number >= 0")
		if err != nil {
			return err
		}
		var v uint64
		switch t := s.ShortTag(); {
		case t == "!!int" && s.Decode(&v) == nil:
			*p = v
			return nil
		case (t == "!!int" || t == "!!float" || isBig(s)) && !strings.HasPrefix(s.Value, "-") && !strings.ContainsAny(s.Value, ".eE"):
			return d.fail(path, s, s.Value+" is out of range", fmt.Sprintf("give a whole number between 0 and %d", uint64(math.MaxUint64)))
		}
		return d.fail(path, s, fmt.Sprintf("want a whole number >= 0, got %s", describe(s)), typeFix(s, "!!int"))
	}
}

func (d *decoder) floatValue(path string, n *yaml.Node) (float64, error) {
	s, err := d.scalar(path, n, "a number")
	if err != nil {
		return 0, err
	}
	var v float64
	switch t := s.ShortTag(); {
	case (t == "!!int" || t == "!!float") && s.Decode(&v) == nil:
		return v, nil
	case t == "!!int" || t == "!!float" || isBig(s):
		return 0, d.fail(path, s, s.Value+" is out of range", "give a number of magnitude below 1e308")
	}
	return 0, d.fail(path, s, fmt.Sprintf("want a number, got %s", describe(s)), typeFix(s, "!!int", "!!float"))
}

func (d *decoder) float(p *float64) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		v, err := d.floatValue(path, n)
		if err != nil {
			return err
		}
		*p = v
		return nil
	}
}

func (d *decoder) boolean(p *bool) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		s, err := d.scalar(path, n, "true or false")
		if err != nil {
			return err
		}
		if s.ShortTag() != "!!bool" || s.Decode(p) != nil {
			return d.fail(path, s, fmt.Sprintf("want true or false, got %s", describe(s)), typeFix(s, "!!bool"))
		}
		return nil
	}
}

// items returns the elements of a list node, or the node itself when it
// is a single scalar (the one-element shorthand).
func (d *decoder) items(path string, n *yaml.Node, want string) ([]*yaml.Node, error) {
	n = resolve(n)
	switch {
	case n.Kind == yaml.SequenceNode:
		return n.Content, nil
	case n.Kind == yaml.ScalarNode && !isNull(n):
		return []*yaml.Node{n}, nil
	}
	return nil, d.fail(path, n, fmt.Sprintf("want %s, got %s", want, describe(n)), "")
}

// strs decodes a list of strings (or one string). A null value leaves p
// nil (the default); an empty list sets an empty, non-nil slice.
func (d *decoder) strs(p *[]string) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		if isNull(resolve(n)) {
			*p = nil
			return nil
		}
		elems, err := d.items(path, n, "a list of names")
		if err != nil {
			return err
		}
		out := make([]string, 0, len(elems))
		for i, e := range elems {
			ep := index(path, i)
			var s string
			if err := d.str(&s)(ep, e); err != nil {
				return err
			}
			d.s.set(ep, posOf(resolve(e)))
			out = append(out, s)
		}
		*p = out
		return nil
	}
}

func (d *decoder) ints(p *[]int) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		elems, err := d.items(path, n, "a list of whole numbers")
		if err != nil {
			return err
		}
		out := make([]int, 0, len(elems))
		for i, e := range elems {
			ep := index(path, i)
			var v int
			if err := d.integer(&v)(ep, e); err != nil {
				return err
			}
			d.s.set(ep, posOf(resolve(e)))
			out = append(out, v)
		}
		*p = out
		return nil
	}
}

// Sections.

func (d *decoder) top(n *yaml.Node) error {
	s := d.s
	version := 0
	err := d.mapping("", n, []field{
		{"version", d.integer(&version)},
		{"dataset", d.dataset},
		{"split", d.split},
		{"systems", d.systems},
		{"cutoffs", d.ints(&s.Cutoffs)},
		{"k", func(path string, n *yaml.Node) error {
			if isNull(resolve(n)) { // JSON's "k": null, the largest cutoff
				s.K = nil
				return nil
			}
			var k int
			if err := d.integer(&k)(path, n); err != nil {
				return err
			}
			s.K = &k
			return nil
		}},
		{"metrics", d.metrics},
		{"groups", d.groups},
		{"exposure", d.exposure},
		{"statistics", d.statistics},
		{"probes", d.probes},
		{"seed", d.uinteger(&s.Seed)},
	})
	if err != nil {
		return err
	}
	if !s.isSet("version") {
		return &SpecError{File: s.File, Line: n.Line, Column: n.Column, Field: "version", Msg: "missing",
			Fix: fmt.Sprintf("start the spec with \"version: %d\"", SpecVersion)}
	}
	s.Version = version
	if s.K != nil && !s.isSet("cutoffs") {
		s.Cutoffs = []int{*s.K}
	}
	return nil
}

func (d *decoder) dataset(path string, n *yaml.Node) error {
	ds := &d.s.Dataset
	demoGiven, demoNull := false, false
	err := d.mapping(path, n, []field{
		{"name", d.str(&ds.Name)},
		{"dir", d.str(&ds.Dir)},
		{"interactions", d.str(&ds.Interactions)},
		{"users", d.str(&ds.Users)},
		{"items", d.str(&ds.Items)},
		{"roles", d.roles},
		{"duplicates", d.str(&ds.Duplicates)},
		{"demo", func(path string, n *yaml.Node) error {
			demoGiven, demoNull = true, isNull(resolve(n))
			return d.demo(path, n)
		}},
	})
	if err != nil {
		return err
	}
	// A null demo beside files is the JSON of results.json's spec, where
	// a dataset read from files has "demo": null.
	if (!demoGiven || demoNull) && (ds.Dir != "" || ds.Interactions != "" || ds.Users != "" || ds.Items != "") {
		ds.Demo = nil
	}
	return nil
}

func (d *decoder) roles(path string, n *yaml.Node) error {
	n = resolve(n)
	if isNull(n) {
		d.s.Dataset.Roles = nil
		return nil
	}
	if n.Kind == yaml.SequenceNode { // results.json's form
		d.s.Dataset.Roles = []RoleSpec{}
		for i, e := range n.Content {
			p := index(path, i)
			d.s.set(p, posOf(resolve(e)))
			var r RoleSpec
			if err := d.mapping(p, e, []field{{"column", d.str(&r.Column)}, {"role", d.str(&r.Role)}}); err != nil {
				return err
			}
			d.s.Dataset.Roles = append(d.s.Dataset.Roles, r)
		}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return d.fail(path, n, "want a mapping of column names to roles, such as {income: sensitive}, got "+describe(n), "")
	}
	d.s.Dataset.Roles = []RoleSpec{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		p := index(path, i/2)
		if k.Kind != yaml.ScalarNode {
			return d.fail(path, k, "a column name must be a string, got "+describe(k), "")
		}
		var role string
		if err := d.str(&role)(join(path, k.Value), v); err != nil {
			return err
		}
		d.s.set(p, posOf(resolve(v)))
		d.s.Dataset.Roles = append(d.s.Dataset.Roles, RoleSpec{Column: k.Value, Role: role})
	}
	return nil
}

func (d *decoder) demo(path string, n *yaml.Node) error {
	ds := &d.s.Dataset
	def := DefaultSpec().Dataset.Demo
	ds.Demo = def
	if isNull(resolve(n)) {
		return nil
	}
	interactionsSet := false
	err := d.mapping(path, n, []field{
		{"users", d.integer(&def.Users)},
		{"items", d.integer(&def.Items)},
		{"interactions", func(p string, n *yaml.Node) error { interactionsSet = true; return d.integer(&def.Interactions)(p, n) }},
		{"seed", d.uinteger(&def.Seed)},
		{"min_per_user", d.integer(&def.MinPerUser)},
		{"clusters", d.integer(&def.Clusters)},
		{"effects", func(p string, n *yaml.Node) error {
			if r := resolve(n); r.Kind == yaml.ScalarNode && (r.Value == "none" || r.Value == "null-world") {
				def.Effects = EffectsSpec{}
				return nil
			}
			return d.mapping(p, n, []field{
				{"age_activity", d.float(&def.Effects.AgeActivity)},
				{"brand_popularity", d.float(&def.Effects.BrandPopularity)},
				{"category_taste", d.float(&def.Effects.CategoryTaste)},
				{"credit_propensity", d.float(&def.Effects.CreditPropensity)},
			})
		}},
	})
	if err != nil {
		return err
	}
	if !interactionsSet && def.Users != demo.DefaultUsers {
		def.Interactions = def.Users * (demo.DefaultInteractions / demo.DefaultUsers)
	}
	return nil
}

func (d *decoder) split(path string, n *yaml.Node) error {
	sp := &d.s.Split
	return d.mapping(path, n, []field{
		{"kind", d.str(&sp.Kind)},
		{"fraction", d.float(&sp.Fraction)},
		{"n", d.integer(&sp.N)},
		{"cutoff", func(p string, n *yaml.Node) error {
			s, err := d.scalar(p, n, "Unix seconds or a date such as 2025-06-01")
			if err != nil {
				return err
			}
			if v, err := strconv.ParseInt(s.Value, 10, 64); err == nil {
				sp.Cutoff = v
				return nil
			}
			for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
				if t, err := time.Parse(layout, s.Value); err == nil {
					sp.Cutoff = t.Unix()
					return nil
				}
			}
			return d.fail(p, s, "want Unix seconds or a date such as 2025-06-01, got "+describe(s), "")
		}},
		{"min_interactions", d.integer(&sp.MinInteractions)},
		{"seed", func(p string, n *yaml.Node) error {
			if isNull(resolve(n)) { // JSON's "seed": null, the audit's seed
				sp.Seed = nil
				return nil
			}
			var v uint64
			if err := d.uinteger(&v)(p, n); err != nil {
				return err
			}
			sp.Seed = &v
			return nil
		}},
	})
}

func (d *decoder) systems(path string, n *yaml.Node) error {
	n = resolve(n)
	if isNull(n) { // JSON's "systems": null, the default systems
		d.s.Systems = nil
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return d.fail(path, n, "want a list of systems, got "+describe(n), "write one \"- algo: NAME\" (or file:, exec:) entry per system")
	}
	d.s.Systems = make([]SystemSpec, 0, len(n.Content))
	for i, e := range n.Content {
		p := index(path, i)
		e = resolve(e)
		d.s.set(p, posOf(e))
		var sys SystemSpec
		if e.Kind == yaml.ScalarNode && !isNull(e) { // "- ease"
			sys.Algo = e.Value
			d.s.set(p+".algo", posOf(e))
		} else if err := d.system(p, e, &sys); err != nil {
			return err
		}
		d.s.Systems = append(d.s.Systems, sys)
	}
	return nil
}

func (d *decoder) system(path string, n *yaml.Node, sys *SystemSpec) error {
	var params []SpecParam
	var command any
	err := d.mapping(path, n, []field{
		{"name", d.str(&sys.Name)},
		{"algo", d.str(&sys.Algo)},
		{"params", func(p string, n *yaml.Node) error {
			var err error
			params, err = d.params(p, n)
			return err
		}},
		{"file", d.str(&sys.File)},
		{"system", d.str(&sys.System)},
		{"exec", func(p string, n *yaml.Node) error {
			r := resolve(n)
			if r.Kind == yaml.ScalarNode && !isNull(r) {
				command = r.Value
				return nil
			}
			var words []string
			if err := d.strs(&words)(p, n); err != nil {
				return err
			}
			if words == nil {
				return d.fail(p, r, "want the command to run, as a list of words or one string", "")
			}
			command = words
			return nil
		}},
	})
	if err != nil {
		return err
	}
	if command != nil {
		if sys.Algo != "" && sys.Algo != "exec" {
			return d.fail(path+".exec", n, fmt.Sprintf("a system is an algorithm (algo: %s) or a command (exec:), not both", sys.Algo), "remove one of them")
		}
		sys.Algo = "exec"
		d.s.set(path+".algo", d.s.at(path+".exec"))
		d.s.set(path+".params.command", d.s.at(path+".exec"))
		params = append([]SpecParam{{Name: "command", Value: command}}, params...)
	}
	sys.Params = params
	return nil
}

// params decodes an algorithm's parameters, keeping their order and
// their YAML types: int64, float64, bool, string, or []string. They are a
// mapping of names to values, or (the form of results.json's spec) a list
// of {name, value} mappings.
func (d *decoder) params(path string, n *yaml.Node) ([]SpecParam, error) {
	n = resolve(n)
	if isNull(n) {
		return nil, nil
	}
	var out []SpecParam
	add := func(p string, k, v *yaml.Node) error {
		for _, q := range out {
			if q.Name == k.Value {
				return d.fail(p, k, fmt.Sprintf("parameter %q is given twice", k.Value), "remove one of them")
			}
		}
		d.s.set(p, posOf(v))
		val, err := d.paramValue(p, v)
		if err != nil {
			return err
		}
		out = append(out, SpecParam{Name: k.Value, Value: val})
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		for i, e := range n.Content {
			var name string
			var nameNode, valueNode *yaml.Node
			err := d.mapping(index(path, i), e, []field{
				{"name", func(p string, n *yaml.Node) error { nameNode = resolve(n); return d.str(&name)(p, n) }},
				{"value", func(_ string, n *yaml.Node) error { valueNode = resolve(n); return nil }},
			})
			if err != nil {
				return nil, err
			}
			if nameNode == nil || valueNode == nil {
				return nil, d.fail(index(path, i), resolve(e), "a parameter needs a name and a value", "write {name: NAME, value: VALUE}, or params as a mapping such as {neighbors: 100}")
			}
			if err := add(join(path, name), nameNode, valueNode); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.fail(path, n, "want a mapping of parameter names to values, such as {neighbors: 100}, got "+describe(n), "")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return nil, d.fail(path, k, "a parameter name must be a string, got "+describe(k), "")
		}
		if err := add(join(path, k.Value), k, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// paramValue decodes one parameter value.
func (d *decoder) paramValue(p string, v *yaml.Node) (any, error) {
	switch {
	case v.Kind == yaml.SequenceNode:
		var words []string
		if err := d.strs(&words)(p, v); err != nil {
			return nil, err
		}
		return words, nil
	case v.Kind == yaml.ScalarNode && !isNull(v):
		switch v.ShortTag() {
		case "!!int":
			var x int64
			if v.Decode(&x) != nil {
				return nil, d.fail(p, v, "want a whole number, got "+describe(v), "")
			}
			return x, nil
		case "!!float":
			var x float64
			if v.Decode(&x) != nil {
				return nil, d.fail(p, v, "want a number, got "+describe(v), "")
			}
			return x, nil
		case "!!bool":
			var x bool
			if v.Decode(&x) != nil {
				return nil, d.fail(p, v, "want true or false, got "+describe(v), "")
			}
			return x, nil
		}
		return v.Value, nil
	}
	return nil, d.fail(p, v, "want a number, true or false, a string or a list of strings, got "+describe(v), "")
}

func (d *decoder) metrics(path string, n *yaml.Node) error {
	m := &d.s.Metrics
	c := &m.Conventions
	return d.mapping(path, n, []field{
		{"measures", d.strs(&m.Measures)},
		{"group_measures", d.strs(&m.GroupMeasures)},
		{"profile", d.str(&m.Profile)},
		{"conventions", func(p string, n *yaml.Node) error {
			return d.mapping(p, n, []field{
				{"relevance_threshold", d.float(&c.RelevanceThreshold)},
				{"precision", d.str(&c.Precision)},
				{"recall", d.str(&c.Recall)},
				{"ap", d.str(&c.AP)},
				{"gain", d.str(&c.Gain)},
				{"discount", d.str(&c.Discount)},
				{"ideal", d.str(&c.Ideal)},
				{"no_relevant", d.str(&c.NoRelevant)},
				{"no_list", d.str(&c.NoList)},
				{"patience", d.float(&c.Patience)},
			})
		}},
		{"calibration_alpha", d.float(&m.CalibrationAlpha)},
		{"head_share", d.float(&m.HeadShare)},
	})
}

func (d *decoder) groups(path string, n *yaml.Node) error {
	g := &d.s.Groups
	return d.mapping(path, n, []field{
		{"sensitive", d.strs(&g.Sensitive)},
		{"bins", d.bins},
		{"intersections", func(p string, n *yaml.Node) error {
			r := resolve(n)
			if isNull(r) {
				g.Intersections = nil
				return nil
			}
			if r.Kind != yaml.SequenceNode {
				return d.fail(p, r, "want a list of lists of attributes, such as [[gender, age_band]]", "")
			}
			g.Intersections = [][]string{}
			for i, e := range r.Content {
				var names []string
				ep := index(p, i)
				d.s.set(ep, posOf(resolve(e)))
				if resolve(e).Kind != yaml.SequenceNode {
					return d.fail(ep, resolve(e), "want a list of two or more attributes, such as [gender, age_band], got "+describe(e), "")
				}
				if err := d.strs(&names)(ep, e); err != nil {
					return err
				}
				g.Intersections = append(g.Intersections, names)
			}
			return nil
		}},
		{"item_groups", d.strs(&g.ItemGroups)},
		{"flags", d.strs(&g.Flags)},
		{"category", d.str(&g.Category)},
		{"min_group_size", d.integer(&g.MinGroupSize)},
	})
}

// bins decodes {column: {edges: [...]} | {quantiles: n} | [edges] | n},
// or (the form of results.json's spec) a list of {column, edges,
// quantiles} mappings, whose infinite edges are the strings "+Inf" and
// "-Inf".
func (d *decoder) bins(path string, n *yaml.Node) error {
	n = resolve(n)
	g := &d.s.Groups
	if isNull(n) {
		g.Bins = nil
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		g.Bins = []BinSpec{}
		for i, e := range n.Content {
			p := index(path, i)
			d.s.set(p, posOf(resolve(e)))
			var b BinSpec
			err := d.mapping(p, e, []field{
				{"column", d.str(&b.Column)},
				{"edges", d.edges(&b.Edges)},
				{"quantiles", d.integer(&b.Quantiles)},
			})
			if err != nil {
				return err
			}
			if b.Column == "" {
				return d.fail(p, resolve(e), "a binning needs its column", "write {column: NAME, edges: [...]}, or bins as a mapping such as {age: [18, 35, .inf]}")
			}
			g.Bins = append(g.Bins, b)
		}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return d.fail(path, n, "want a mapping of numeric columns to their bins, such as {age: [18, 25, 35, 50, 65, .inf]}, got "+describe(n), "")
	}
	g.Bins = []BinSpec{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return d.fail(path, k, "a column name must be a string, got "+describe(k), "")
		}
		p := index(path, i/2)
		d.s.set(p, posOf(k))
		b := BinSpec{Column: k.Value}
		var err error
		switch {
		case v.Kind == yaml.SequenceNode:
			err = d.edges(&b.Edges)(p+".edges", v)
			d.s.set(p+".edges", posOf(v))
		case v.Kind == yaml.ScalarNode:
			err = d.integer(&b.Quantiles)(p+".quantiles", v)
			d.s.set(p+".quantiles", posOf(v))
		default:
			err = d.mapping(p, v, []field{
				{"edges", d.edges(&b.Edges)},
				{"quantiles", d.integer(&b.Quantiles)},
			})
		}
		if err != nil {
			return err
		}
		g.Bins = append(g.Bins, b)
	}
	return nil
}

// edges decodes a list of bin edges: numbers, .inf and -.inf, or the
// strings "+Inf" and "-Inf" of results.json.
func (d *decoder) edges(p *[]float64) func(string, *yaml.Node) error {
	return func(path string, n *yaml.Node) error {
		elems, err := d.items(path, n, "a list of numbers")
		if err != nil {
			return err
		}
		out := make([]float64, 0, len(elems))
		for i, e := range elems {
			ep := index(path, i)
			e = resolve(e)
			d.s.set(ep, posOf(e))
			if e.Kind == yaml.ScalarNode && e.ShortTag() == "!!str" {
				switch e.Value {
				case "+Inf":
					out = append(out, math.Inf(1))
					continue
				case "-Inf":
					out = append(out, math.Inf(-1))
					continue
				}
			}
			v, err := d.floatValue(ep, e)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		*p = out
		return nil
	}
}

func (d *decoder) exposure(path string, n *yaml.Node) error {
	e := &d.s.Exposure
	return d.mapping(path, n, []field{
		{"model", d.str(&e.Model)},
		{"patience", d.float(&e.Patience)},
		{"stop", d.float(&e.Stop)},
		{"top_share", d.float(&e.TopShare)},
		{"max_groups", d.integer(&e.MaxGroups)},
	})
}

func (d *decoder) statistics(path string, n *yaml.Node) error {
	st := &d.s.Statistics
	return d.mapping(path, n, []field{
		{"resamples", d.integer(&st.Resamples)},
		{"alpha", d.float(&st.Alpha)},
		{"permutations", d.integer(&st.Permutations)},
		{"aggregators", d.strs(&st.Aggregators)},
		{"unstratified", d.boolean(&st.Unstratified)},
	})
}
