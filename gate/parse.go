package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ReadPolicy reads and parses the policy file at path; see [Parse]. A
// file that cannot be read (missing, a directory, unreadable) is a bad
// policy too: the error wraps both [ErrPolicy] and the I/O error (such as
// fs.ErrNotExist).
func ReadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return Parse(path, data)
}

// Parse parses a policy file; file names it in error messages. Every
// problem is reported with its line and column, all of them at once (an
// error wrapping [ErrPolicy], made of [*PolicyError] values in file
// order). Names of systems, metrics, groups and so on are checked later,
// against the result being gated ([Policy.Check]).
//
// The file is one YAML document:
//
//	version: 1                  # required
//	name: demo shop             # optional
//	rules:                      # required, at least one
//	  - id: credit-by-age       # required: letters, digits, '.', '_', '-'
//	    description: ...        # required
//	    select:                 # required
//	      kind: targeting       # metric | group | disparity | exposure | targeting
//	      system: "*"           # a name, a list of names, or "*" (the default)
//	      ...                   # the kind's other fields (see Selector)
//	    max: 2.5                # min and/or max, or change
//	    change: {max_drop: 0.05, max_rise: 0}
//	    uncertainty: interval   # point (default) | interval | significant
//	waivers:                    # optional
//	  - rule: credit-by-age
//	    reason: ...
//	    approver: ...
//	    expires: 2026-06-30     # a date: the waiver's last valid day
//
// Unknown keys, duplicate keys, YAML aliases and further documents are
// errors. Parse never panics, whatever data holds.
func Parse(file string, data []byte) (*Policy, error) {
	l := &errorList{file: file}
	p := &Policy{File: file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.add(Pos{}, "the policy file is empty")
		} else {
			yamlError(l, err)
		}
		return nil, l.err()
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		l.add(Pos{extra.Line, extra.Column}, "a policy file holds one YAML document; this is a second one")
		return nil, l.err()
	case !errors.Is(err, io.EOF):
		yamlError(l, err)
		return nil, l.err()
	}
	pr := &parser{l: l}
	root := doc.Content[0]
	m := pr.mapping(root, "the policy", "version", "name", "rules", "waivers")
	if m == nil {
		return nil, l.err()
	}
	if v, ok := m.get("version"); !ok {
		l.add(pos(root), "missing version: the policy file must start with \"version: %d\"", Version)
	} else if n, ok := pr.integer(v, "version"); ok {
		if n != Version {
			l.add(pos(v), "unsupported policy version %d: this recaudit reads version %d", n, Version)
		}
		p.Version = n
	}
	if v, ok := m.get("name"); ok {
		p.Name, _ = pr.text(v, "name")
	}
	if v, ok := m.get("rules"); !ok {
		l.add(pos(root), "missing rules: a policy needs at least one rule")
	} else if items, ok := pr.sequence(v, "rules"); ok {
		if len(items) == 0 {
			l.add(pos(v), "rules is empty: a policy needs at least one rule")
		}
		ids := map[string]Pos{}
		for _, it := range items {
			r, ok := pr.rule(it)
			if !ok {
				continue
			}
			if first, dup := ids[r.ID]; dup {
				l.add(r.Pos, "duplicate rule id %q (first at line %d)", r.ID, first.Line)
				continue
			}
			ids[r.ID] = r.Pos
			p.Rules = append(p.Rules, r)
		}
	}
	if v, ok := m.get("waivers"); ok {
		if items, ok := pr.sequence(v, "waivers"); ok {
			waived := map[string]Pos{}
			for _, it := range items {
				w, ok := pr.waiver(it)
				if !ok {
					continue
				}
				if first, dup := waived[w.Rule]; dup {
					l.add(w.Pos, "rule %q already has a waiver (line %d); a rule has at most one", w.Rule, first.Line)
					continue
				}
				waived[w.Rule] = w.Pos
				p.Waivers = append(p.Waivers, w)
			}
		}
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a positioned error.
func yamlError(l *errorList, err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		l.add(Pos{Line: line}, "YAML syntax error at or before this line: %s", m[2])
		return
	}
	l.add(Pos{}, "YAML syntax error: %s", strings.TrimPrefix(msg, "yaml: "))
}

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// parser walks the YAML nodes of a policy, collecting errors.
type parser struct {
	l *errorList
}

// fields are the entries of a mapping, by key.
type fields struct {
	vals map[string]*yaml.Node
	keys map[string]*yaml.Node
}

func (f fields) get(k string) (*yaml.Node, bool) {
	n, ok := f.vals[k]
	return n, ok
}

// keyPos returns the position of key k, or def when it is absent.
func (f fields) keyPos(k string, def Pos) Pos {
	if n, ok := f.keys[k]; ok {
		return pos(n)
	}
	return def
}

// alias reports an alias node as an error.
func (p *parser) alias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		p.l.add(pos(n), "YAML aliases (*%s) are not supported in policy files; write the value out", n.Value)
		return true
	}
	return false
}

// mapping checks that n is a mapping whose keys are all in allowed and
// distinct, and returns its entries; nil when n is not a mapping.
func (p *parser) mapping(n *yaml.Node, what string, allowed ...string) *fields {
	if p.alias(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.l.add(pos(n), "%s must be a mapping of keys to values, not %s", what, describe(n))
		return nil
	}
	f := &fields{vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if p.alias(k) {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			p.l.add(pos(k), "a key of %s must be a name, not %s", what, describe(k))
			continue
		}
		if prev, dup := f.keys[k.Value]; dup {
			p.l.add(pos(k), "duplicate key %q in %s (first at line %d)", k.Value, what, prev.Line)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			p.l.add(pos(k), "unknown key %q in %s%s", k.Value, what, suggest(k.Value, allowed))
			continue
		}
		f.keys[k.Value], f.vals[k.Value] = k, v
	}
	return f
}

// describe names the YAML type of n for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return strconv.Quote(n.Value)
	}
	return "a document"
}

// sequence returns the items of a list.
func (p *parser) sequence(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	if p.alias(n) {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		p.l.add(pos(n), "%s must be a list, not %s", what, describe(n))
		return nil, false
	}
	return n.Content, true
}

// scalar checks that n is a non-null scalar.
func (p *parser) scalar(n *yaml.Node, what string) bool {
	if p.alias(n) {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.l.add(pos(n), "%s must be a single value, not %s", what, describe(n))
		return false
	}
	return true
}

// text returns a scalar as text.
func (p *parser) text(n *yaml.Node, what string) (string, bool) {
	if !p.scalar(n, what) {
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.l.add(pos(n), "%s is empty", what)
		return "", false
	}
	return n.Value, true
}

// number returns a finite number.
func (p *parser) number(n *yaml.Node, what string) (float64, bool) {
	if !p.scalar(n, what) {
		return 0, false
	}
	if n.Tag != "!!int" && n.Tag != "!!float" {
		p.l.add(pos(n), "%s must be a number, not %s", what, describe(n))
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.l.add(pos(n), "%s must be a finite number, not %s", what, describe(n))
		return 0, false
	}
	return v, true
}

// integer returns an integer.
func (p *parser) integer(n *yaml.Node, what string) (int, bool) {
	if !p.scalar(n, what) {
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if n.Tag != "!!int" || err != nil {
		p.l.add(pos(n), "%s must be a whole number, not %s", what, describe(n))
		return 0, false
	}
	return v, true
}

// names parses a match of names: "*", a name, or a list of names.
func (p *parser) names(n *yaml.Node, what string) (Match[string], bool) {
	m := Match[string]{Pos: pos(n)}
	if p.alias(n) {
		return m, false
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
		if len(items) == 0 {
			p.l.add(pos(n), "%s is an empty list; write \"*\" for every %s", what, what)
			return m, false
		}
	}
	ok := true
	for _, it := range items {
		s, good := p.text(it, what)
		switch {
		case !good:
			ok = false
		case s == "*" && n.Kind == yaml.SequenceNode:
			p.l.add(pos(it), "\"*\" stands alone: write %s: \"*\" for every %s", what, what)
			ok = false
		case s == "*":
		case slices.Contains(m.Values, s):
			p.l.add(pos(it), "%s %q is listed twice", what, s)
			ok = false
		default:
			m.Values = append(m.Values, s)
		}
	}
	return m, ok
}

// cutoffs parses a match of cutoffs: "*", a positive integer, or a list.
func (p *parser) cutoffs(n *yaml.Node) (Match[int], bool) {
	m := Match[int]{Pos: pos(n)}
	if p.alias(n) {
		return m, false
	}
	if n.Kind == yaml.ScalarNode && n.Value == "*" && n.Tag == "!!str" {
		return m, true
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
		if len(items) == 0 {
			p.l.add(pos(n), "cutoff is an empty list; write \"*\" for every cutoff")
			return m, false
		}
	}
	ok := true
	for _, it := range items {
		k, good := p.integer(it, "cutoff")
		switch {
		case !good:
			ok = false
		case k < 1:
			p.l.add(pos(it), "cutoff must be at least 1, not %d", k)
			ok = false
		case slices.Contains(m.Values, k):
			p.l.add(pos(it), "cutoff %d is listed twice", k)
			ok = false
		default:
			m.Values = append(m.Values, k)
		}
	}
	return m, ok
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// rule parses one rule.
func (p *parser) rule(n *yaml.Node) (Rule, bool) {
	r := Rule{Pos: pos(n)}
	m := p.mapping(n, "a rule", "id", "description", "select", "min", "max", "change", "uncertainty")
	if m == nil {
		return r, false
	}
	ok := true
	if v, has := m.get("id"); !has {
		p.l.add(pos(n), "missing id: every rule needs an id")
		ok = false
	} else if id, good := p.text(v, "id"); !good {
		ok = false
	} else if !idPattern.MatchString(id) {
		p.l.add(pos(v), "rule id %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", id)
		ok = false
	} else {
		r.ID = id
		r.Pos = pos(v)
	}
	if v, has := m.get("description"); !has {
		p.l.add(r.Pos, "rule %q: missing description: say what the rule guards", r.ID)
		ok = false
	} else if r.Description, has = p.text(v, "description"); !has {
		ok = false
	}
	if v, has := m.get("select"); !has {
		p.l.add(r.Pos, "rule %q: missing select: which values does the rule bound?", r.ID)
		ok = false
	} else if r.Select, has = p.selector(v); !has {
		ok = false
	}
	for _, side := range []string{"min", "max"} {
		if v, has := m.get(side); has {
			x, good := p.number(v, side)
			if !good {
				ok = false
				continue
			}
			if side == "min" {
				r.Min = &x
			} else {
				r.Max = &x
			}
			if r.BoundPos == (Pos{}) {
				r.BoundPos = m.keyPos(side, r.Pos)
			}
		}
	}
	if v, has := m.get("change"); has {
		r.BoundPos = m.keyPos("change", r.Pos)
		c := p.mapping(v, "change", "max_drop", "max_rise")
		if c == nil {
			ok = false
		} else {
			r.Change = &Change{}
			for _, side := range []string{"max_drop", "max_rise"} {
				if w, has := c.get(side); has {
					x, good := p.number(w, side)
					if !good {
						ok = false
						continue
					}
					if side == "max_drop" {
						r.Change.MaxDrop = &x
					} else {
						r.Change.MaxRise = &x
					}
				}
			}
		}
	}
	if v, has := m.get("uncertainty"); has {
		if s, good := p.text(v, "uncertainty"); !good {
			ok = false
		} else if i := slices.Index(uncertaintyNames[:], s); i < 0 {
			p.l.add(pos(v), "unknown uncertainty %q%s", s, suggest(s, uncertaintyNames[:]))
			ok = false
		} else {
			r.Uncertainty = Uncertainty(i)
		}
	}
	return r, ok
}

// selectorKeys are the keys of a select mapping besides kind and value, by
// kind.
var selectorKeys = [numKinds][]string{
	KindMetric:    {"system", "metric", "cutoff"},
	KindGroup:     {"system", "metric", "cutoff", "attribute", "group"},
	KindDisparity: {"system", "metric", "cutoff", "attribute", "aggregator"},
	KindExposure:  {"system", "attribute", "group", "cutoff"},
	KindTargeting: {"system", "flag", "cutoff", "attribute", "measure", "group"},
}

// selector parses a select mapping.
func (p *parser) selector(n *yaml.Node) (Selector, bool) {
	s := Selector{Pos: pos(n)}
	m := p.mapping(n, "select", "kind", "system", "metric", "cutoff", "attribute", "group", "aggregator", "flag", "measure", "value")
	if m == nil {
		return s, false
	}
	v, has := m.get("kind")
	if !has {
		p.l.add(pos(n), "select: missing kind: one of %s", strings.Join(kindNames[:], ", "))
		return s, false
	}
	name, good := p.text(v, "kind")
	if !good {
		return s, false
	}
	k := slices.Index(kindNames[:], name)
	if k < 0 {
		p.l.add(pos(v), "unknown kind %q%s", name, suggest(name, kindNames[:]))
		return s, false
	}
	s.Kind = Kind(k)
	ok := true
	allowed := selectorKeys[s.Kind]
	for key, kn := range m.keys {
		if key != "kind" && key != "value" && !slices.Contains(allowed, key) {
			p.l.add(pos(kn), "%s does not apply to kind %s, whose fields are %s", key, s.Kind, strings.Join(append(slices.Clone(allowed), "value"), ", "))
			ok = false
		}
	}
	for _, key := range allowed {
		v, has := m.get(key)
		if !has {
			continue
		}
		var good bool
		switch key {
		case "cutoff":
			s.Cutoff, good = p.cutoffs(v)
		case "system":
			s.System, good = p.names(v, key)
		case "metric":
			s.Metric, good = p.names(v, key)
		case "attribute":
			s.Attribute, good = p.names(v, key)
		case "group":
			s.Group, good = p.names(v, key)
		case "aggregator":
			s.Aggregator, good = p.names(v, key)
		case "flag":
			s.Flag, good = p.names(v, key)
		case "measure":
			s.Measure, good = p.names(v, key)
		}
		ok = ok && good
	}
	if v, has := m.get("value"); has {
		name, good := p.text(v, "value")
		if !good {
			return s, false
		}
		var valid []string
		found := false
		for _, fn := range fieldNames[s.Kind] {
			valid = append(valid, fn.name)
			if fn.name == name {
				s.Field, found = fn.field, true
			}
		}
		if !found {
			p.l.add(pos(v), "kind %s has no value %q%s", s.Kind, name, suggest(name, valid))
			ok = false
		}
	}
	if ok {
		// Keep the key positions of wildcard defaults at the selector.
		for _, mt := range []*Match[string]{&s.System, &s.Metric, &s.Attribute, &s.Group, &s.Aggregator, &s.Flag, &s.Measure} {
			if mt.Pos == (Pos{}) {
				mt.Pos = s.Pos
			}
		}
		if s.Cutoff.Pos == (Pos{}) {
			s.Cutoff.Pos = s.Pos
		}
	}
	return s, ok
}

// waiver parses one waiver.
func (p *parser) waiver(n *yaml.Node) (Waiver, bool) {
	w := Waiver{Pos: pos(n)}
	m := p.mapping(n, "a waiver", "rule", "reason", "approver", "expires")
	if m == nil {
		return w, false
	}
	ok := true
	for _, key := range []string{"rule", "reason", "approver", "expires"} {
		v, has := m.get(key)
		if !has {
			p.l.add(pos(n), "waiver: missing %s: a waiver names its rule, a reason, an approver and an expiry date", key)
			ok = false
			continue
		}
		var s string
		if s, has = p.text(v, key); !has {
			ok = false
			continue
		}
		switch key {
		case "rule":
			w.Rule, w.Pos = s, pos(v)
		case "reason":
			w.Reason = s
		case "approver":
			w.Approver = s
		case "expires":
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				p.l.add(pos(v), "expires must be a date like 2026-06-30, not %q", s)
				ok = false
				continue
			}
			w.Expires = d
		}
	}
	return w, ok
}
