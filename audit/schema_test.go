package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The JSON Schema subset used by schema.json, validated without any
// dependency: type (a name or a list of names), enum, required,
// properties, items, minItems, maxItems, oneOf and local $ref
// ("#/$defs/name"). With strict set, every property of an object must be
// declared in its schema's properties, which checks that the schema
// covers everything a Result marshals.
type jsonSchema struct {
	Ref        string                 `json:"$ref"`
	Type       any                    `json:"type"`
	Enum       []any                  `json:"enum"`
	Required   []string               `json:"required"`
	Properties map[string]*jsonSchema `json:"properties"`
	Items      *jsonSchema            `json:"items"`
	MinItems   *int                   `json:"minItems"`
	MaxItems   *int                   `json:"maxItems"`
	OneOf      []*jsonSchema          `json:"oneOf"`
	Defs       map[string]*jsonSchema `json:"$defs"`
}

type schemaValidator struct {
	root   *jsonSchema
	strict bool
	errs   []string
}

// validateJSON validates doc against the schema and returns the problems
// found, each with its JSON path.
func validateJSON(schema, doc []byte, strict bool) ([]string, error) {
	var root jsonSchema
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	sv := &schemaValidator{root: &root, strict: strict}
	sv.check("$", &root, v)
	return sv.errs, nil
}

func (sv *schemaValidator) fail(path, format string, args ...any) {
	sv.errs = append(sv.errs, path+": "+fmt.Sprintf(format, args...))
}

func (sv *schemaValidator) resolve(s *jsonSchema) *jsonSchema {
	for s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/$defs/")
		if !ok || sv.root.Defs[name] == nil {
			panic("schema: unresolved $ref " + s.Ref)
		}
		s = sv.root.Defs[name]
	}
	return s
}

// typeOf returns the JSON Schema type name of a decoded value.
func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func typeMatches(want, got string) bool {
	return want == got || want == "number" && got == "integer"
}

// check validates v against s and reports whether it is valid.
func (sv *schemaValidator) check(path string, s *jsonSchema, v any) bool {
	s = sv.resolve(s)
	n := len(sv.errs)
	if s.OneOf != nil {
		matches := 0
		for _, alt := range s.OneOf {
			sub := &schemaValidator{root: sv.root, strict: sv.strict}
			if sub.check(path, alt, v) {
				matches++
			}
		}
		if matches != 1 {
			sv.fail(path, "matches %d of the oneOf alternatives, want 1", matches)
		}
		return len(sv.errs) == n // the alternatives hold the rest of the schema
	}
	got := typeOf(v)
	switch t := s.Type.(type) {
	case string:
		if !typeMatches(t, got) {
			sv.fail(path, "type %s, want %s", got, t)
			return false
		}
	case []any:
		if !slices.ContainsFunc(t, func(w any) bool { return typeMatches(w.(string), got) }) {
			sv.fail(path, "type %s, want one of %v", got, t)
			return false
		}
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		sv.fail(path, "value %v not in %v", v, s.Enum)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				sv.fail(path, "required field %q missing", r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ps, ok := s.Properties[k]
			if !ok {
				if sv.strict {
					sv.fail(path, "field %q not declared in the schema", k)
				}
				continue
			}
			sv.check(path+"."+k, ps, x[k])
		}
	case []any:
		if s.MinItems != nil && len(x) < *s.MinItems {
			sv.fail(path, "%d items, want at least %d", len(x), *s.MinItems)
		}
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			sv.fail(path, "%d items, want at most %d", len(x), *s.MaxItems)
		}
		if s.Items != nil {
			for i, e := range x {
				sv.check(fmt.Sprintf("%s[%d]", path, i), s.Items, e)
			}
		}
	}
	return len(sv.errs) == n
}
