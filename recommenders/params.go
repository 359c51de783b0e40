package recommenders

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Panic messages for programmer errors in parameter declarations and use.
const (
	errParamName     = "recommenders: parameter name must be non-empty"
	errParamKind     = "recommenders: bad parameter kind"
	errParamDup      = "recommenders: parameter declared twice"
	errParamDefault  = "recommenders: parameter default has the wrong type or is out of range"
	errParamBounds   = "recommenders: bounds apply to int, float and duration parameters only"
	errParamChoices  = "recommenders: choices apply to string parameters only"
	errParamUnknown  = "recommenders: no such parameter"
	errParamWrongGet = "recommenders: parameter read with the wrong type"
)

// ErrParam is wrapped by every error about algorithm parameters: unknown
// names, malformed values, values out of range, missing required values.
var ErrParam = errors.New("invalid parameter")

// ParamKind is the type of an algorithm parameter.
type ParamKind int

const (
	KindInt      ParamKind = iota // a Go int
	KindFloat                     // a float64
	KindBool                      // a bool
	KindString                    // a string, optionally restricted to choices
	KindStrings                   // a []string, such as a command line
	KindDuration                  // a time.Duration, written like "200ms" or "10m"
)

// String returns the kind's name as shown by parameter listings.
func (k ParamKind) String() string {
	switch k {
	case KindInt:
		return "int"
	case KindFloat:
		return "float"
	case KindBool:
		return "bool"
	case KindString:
		return "string"
	case KindStrings:
		return "strings"
	case KindDuration:
		return "duration"
	}
	return fmt.Sprintf("ParamKind(%d)", int(k))
}

// Param declares one parameter of an algorithm: its name, type, default,
// allowed values and documentation. Build it with [IntParam], [FloatParam],
// [BoolParam], [StringParam], [StringsParam] or [DurationParam], then
// restrict it with [Param.AtLeast], [Param.Above], [Param.AtMost],
// [Param.Below], [Param.OneOf] or [Param.Required]; each returns a
// modified copy. A Param literal has no bounds.
type Param struct {
	Name    string
	Kind    ParamKind
	Default any    // int, float64, bool, string, []string or time.Duration, by Kind
	Doc     string // one sentence: what it does, and the unit if any

	hasLo, hasHi   bool
	lo, hi         float64 // bounds; durations in seconds
	loOpen, hiOpen bool
	choices        []string
	required       bool
}

// IntParam declares an integer parameter.
func IntParam(name string, def int, doc string) Param {
	return Param{Name: name, Kind: KindInt, Default: def, Doc: doc}
}

// FloatParam declares a floating-point parameter. NaN and infinite values
// are never accepted.
func FloatParam(name string, def float64, doc string) Param {
	return Param{Name: name, Kind: KindFloat, Default: def, Doc: doc}
}

// BoolParam declares a boolean parameter.
func BoolParam(name string, def bool, doc string) Param {
	return Param{Name: name, Kind: KindBool, Default: def, Doc: doc}
}

// StringParam declares a string parameter.
func StringParam(name, def, doc string) Param {
	return Param{Name: name, Kind: KindString, Default: def, Doc: doc}
}

// StringsParam declares a list-of-strings parameter. On the command line
// it is written as one string split into words like a shell would (quotes
// group words, a backslash escapes), without running a shell.
func StringsParam(name string, def []string, doc string) Param {
	return Param{Name: name, Kind: KindStrings, Default: slices.Clone(def), Doc: doc}
}

// DurationParam declares a duration parameter, written like "200ms".
func DurationParam(name string, def time.Duration, doc string) Param {
	return Param{Name: name, Kind: KindDuration, Default: def, Doc: doc}
}

func (p Param) numeric() bool {
	return p.Kind == KindInt || p.Kind == KindFloat || p.Kind == KindDuration
}

// AtLeast returns p restricted to values >= v (for durations, v seconds).
// It panics unless p is an int, float or duration parameter.
func (p Param) AtLeast(v float64) Param { return p.bound(true, v, false) }

// Above returns p restricted to values > v.
func (p Param) Above(v float64) Param { return p.bound(true, v, true) }

// AtMost returns p restricted to values <= v.
func (p Param) AtMost(v float64) Param { return p.bound(false, v, false) }

// Below returns p restricted to values < v.
func (p Param) Below(v float64) Param { return p.bound(false, v, true) }

func (p Param) bound(lower bool, v float64, open bool) Param {
	if !p.numeric() {
		panic(errParamBounds)
	}
	if lower {
		p.hasLo, p.lo, p.loOpen = true, v, open
	} else {
		p.hasHi, p.hi, p.hiOpen = true, v, open
	}
	return p
}

// OneOf returns p restricted to the given values. It panics unless p is a
// string parameter.
func (p Param) OneOf(values ...string) Param {
	if p.Kind != KindString {
		panic(errParamChoices)
	}
	p.choices = slices.Clone(values)
	return p
}

// Required returns p without a default: [Registry.New] fails unless the
// parameter is given.
func (p Param) Required() Param {
	p.required = true
	p.Default = nil
	return p
}

// IsRequired reports whether the parameter must be given.
func (p Param) IsRequired() bool { return p.required }

// Choices returns the allowed values of a string parameter, nil when any
// string is allowed.
func (p Param) Choices() []string { return slices.Clone(p.choices) }

// Allowed describes the allowed values in the notation of parameter
// listings and error messages: an interval such as "[1, +inf)" or
// "(0, 1]", "one of a, b", or "any".
func (p Param) Allowed() string {
	if len(p.choices) > 0 {
		return "one of " + strings.Join(p.choices, ", ")
	}
	if !p.numeric() || (!p.hasLo && !p.hasHi) {
		return "any"
	}
	var b strings.Builder
	if p.hasLo && !p.loOpen {
		b.WriteByte('[')
	} else {
		b.WriteByte('(')
	}
	if p.hasLo {
		b.WriteString(p.formatBound(p.lo))
	} else {
		b.WriteString("-inf")
	}
	b.WriteString(", ")
	if p.hasHi {
		b.WriteString(p.formatBound(p.hi))
	} else {
		b.WriteString("+inf")
	}
	if p.hasHi && !p.hiOpen {
		b.WriteByte(']')
	} else {
		b.WriteByte(')')
	}
	return b.String()
}

func (p Param) formatBound(v float64) string {
	if p.Kind == KindDuration {
		return time.Duration(v * float64(time.Second)).String()
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// DefaultString returns the default as written on the command line, or ""
// for a required parameter.
func (p Param) DefaultString() string {
	if p.required || p.Default == nil {
		return ""
	}
	return formatValue(p.Kind, p.Default)
}

func formatValue(k ParamKind, v any) string {
	switch k {
	case KindInt:
		return strconv.Itoa(v.(int))
	case KindFloat:
		return strconv.FormatFloat(v.(float64), 'g', -1, 64)
	case KindBool:
		return strconv.FormatBool(v.(bool))
	case KindString:
		return v.(string)
	case KindStrings:
		return joinWords(v.([]string))
	case KindDuration:
		return v.(time.Duration).String()
	}
	panic(errParamKind)
}

// inRange reports whether the numeric value x (durations in seconds)
// satisfies the bounds.
func (p Param) inRange(x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	if p.hasLo && (x < p.lo || (p.loOpen && x == p.lo)) {
		return false
	}
	if p.hasHi && (x > p.hi || (p.hiOpen && x == p.hi)) {
		return false
	}
	return true
}

// convert turns a given value (a string from the command line, or a typed
// value from a spec file) into the parameter's Go type and checks it. The
// error message does not name the parameter; the caller adds that.
func (p Param) convert(v any) (any, error) {
	if s, ok := v.(string); ok && p.Kind != KindString {
		return p.parse(s)
	}
	var out any
	switch p.Kind {
	case KindInt:
		n, ok := asInt(v)
		if !ok {
			return nil, fmt.Errorf("want an integer, got %v (%T)", v, v)
		}
		out = n
	case KindFloat:
		f, ok := asFloat(v)
		if !ok {
			return nil, fmt.Errorf("want a number, got %v (%T)", v, v)
		}
		out = f
	case KindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("want true or false, got %v (%T)", v, v)
		}
		out = b
	case KindString:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want a string, got %v (%T)", v, v)
		}
		out = s
	case KindStrings:
		switch x := v.(type) {
		case []string:
			out = slices.Clone(x)
		case []any:
			ss := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings, element %d is %v (%T)", i, e, e)
				}
				ss[i] = s
			}
			out = ss
		default:
			return nil, fmt.Errorf("want a list of strings, got %v (%T)", v, v)
		}
	case KindDuration:
		d, ok := v.(time.Duration)
		if !ok {
			return nil, fmt.Errorf("want a duration such as 200ms or 10m, got %v (%T)", v, v)
		}
		out = d
	default:
		panic(errParamKind)
	}
	return out, p.check(out)
}

// parse converts a command-line string.
func (p Param) parse(s string) (any, error) {
	var out any
	switch p.Kind {
	case KindInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, strconv.IntSize)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		out = int(n)
	case KindFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		out = f
	case KindBool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		out = b
	case KindString:
		out = s
	case KindStrings:
		w, err := splitWords(s)
		if err != nil {
			return nil, err
		}
		out = w
	case KindDuration:
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a duration such as 200ms or 10m", s)
		}
		out = d
	default:
		panic(errParamKind)
	}
	return out, p.check(out)
}

// check validates a value of the parameter's Go type.
func (p Param) check(v any) error {
	var x float64
	switch p.Kind {
	case KindInt:
		x = float64(v.(int))
	case KindFloat:
		x = v.(float64)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not a finite number", x)
		}
	case KindDuration:
		x = v.(time.Duration).Seconds()
	case KindString:
		if len(p.choices) > 0 && !slices.Contains(p.choices, v.(string)) {
			return fmt.Errorf("%q is not allowed: want %s", v, p.Allowed())
		}
		return nil
	default:
		return nil
	}
	if !p.inRange(x) {
		return fmt.Errorf("%s is out of range %s", formatValue(p.Kind, v), p.Allowed())
	}
	return nil
}

func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int8:
		return int(x), true
	case int16:
		return int(x), true
	case int32:
		return int(x), true
	case int64:
		if int64(int(x)) != x {
			return 0, false
		}
		return int(x), true
	case uint8:
		return int(x), true
	case uint16:
		return int(x), true
	case uint32:
		return int(x), true
	case uint:
		if x > math.MaxInt {
			return 0, false
		}
		return int(x), true
	case uint64:
		if x > math.MaxInt {
			return 0, false
		}
		return int(x), true
	case float64: // JSON and YAML decoders give float64 for numbers
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, false
		}
		return int(x), true
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	if n, ok := asInt(v); ok {
		return float64(n), true
	}
	return 0, false
}

// Params are the parameter settings given to [Registry.New], by name. A
// value is either a string, as written on the command line (parsed by the
// parameter's kind), or a typed Go value as a spec file decoder produces:
// any integer type or an integral float64 for int parameters, any number
// for float parameters, bool, string, []string or []any of strings, and
// time.Duration. A nil Params means all defaults.
type Params map[string]any

// ParseParams turns command-line settings of the form "name=value" into
// Params. The value may be empty; the name may not. It returns an error
// wrapping [ErrParam] for a setting without "=" or a name given twice.
func ParseParams(settings []string) (Params, error) {
	p := make(Params, len(settings))
	for _, s := range settings {
		name, value, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("recommenders: %w: %q is not of the form name=value", ErrParam, s)
		}
		if _, dup := p[name]; dup {
			return nil, fmt.Errorf("recommenders: %w: parameter %q given twice", ErrParam, name)
		}
		p[name] = value
	}
	return p, nil
}

// ParamError is an invalid parameter setting. It wraps [ErrParam].
type ParamError struct {
	Algorithm string // registered name of the algorithm
	Param     string // the parameter; empty when the problem is not about one
	Msg       string
}

func (e *ParamError) Error() string {
	if e.Param == "" {
		return fmt.Sprintf("recommenders: %s: %s", e.Algorithm, e.Msg)
	}
	return fmt.Sprintf("recommenders: %s: parameter %q: %s", e.Algorithm, e.Param, e.Msg)
}

// Unwrap returns ErrParam.
func (e *ParamError) Unwrap() error { return ErrParam }

// Values are the resolved parameters of one algorithm: every declared
// parameter with its given or default value, checked. A factory reads them
// with the getter of the parameter's kind; a getter panics if the
// parameter is not declared with that kind (a programmer error).
type Values struct {
	algorithm string
	params    []Param
	vals      map[string]any
	given     map[string]bool
}

// resolve checks p against the declarations and fills in defaults.
func resolve(algorithm string, params []Param, p Params) (Values, error) {
	v := Values{algorithm: algorithm, params: params, vals: make(map[string]any, len(params)), given: make(map[string]bool, len(p))}
	for _, name := range slices.Sorted(maps.Keys(p)) {
		i := slices.IndexFunc(params, func(d Param) bool { return d.Name == name })
		if i < 0 {
			names := make([]string, len(params))
			for j, d := range params {
				names[j] = d.Name
			}
			known := "it has no parameters"
			if len(names) > 0 {
				known = "its parameters are " + strings.Join(names, ", ")
			}
			return Values{}, &ParamError{Algorithm: algorithm, Param: name, Msg: "unknown parameter; " + known}
		}
		x, err := params[i].convert(p[name])
		if err != nil {
			return Values{}, &ParamError{Algorithm: algorithm, Param: name, Msg: err.Error()}
		}
		v.vals[name] = x
		v.given[name] = true
	}
	for _, d := range params {
		if v.given[d.Name] {
			continue
		}
		if d.required {
			return Values{}, &ParamError{Algorithm: algorithm, Param: d.Name, Msg: "required parameter not given: " + d.Doc}
		}
		def := d.Default
		if s, ok := def.([]string); ok {
			def = slices.Clone(s)
		}
		v.vals[d.Name] = def
	}
	return v, nil
}

// Algorithm returns the registered name of the algorithm.
func (v Values) Algorithm() string { return v.algorithm }

// Given reports whether the parameter was set explicitly rather than by
// its default.
func (v Values) Given(name string) bool { return v.given[name] }

// Map returns every parameter's value by name, for provenance (results
// files record the parameters of each system). The map is a copy.
func (v Values) Map() map[string]any {
	m := make(map[string]any, len(v.vals))
	for k, x := range v.vals {
		if s, ok := x.([]string); ok {
			x = slices.Clone(s)
		}
		m[k] = x
	}
	return m
}

// Settings returns every parameter as name=value in declaration order,
// the form [ParseParams] reads back.
func (v Values) Settings() []string {
	out := make([]string, 0, len(v.params))
	for _, d := range v.params {
		if x, ok := v.vals[d.Name]; ok && x != nil {
			out = append(out, d.Name+"="+formatValue(d.Kind, x))
		}
	}
	return out
}

func (v Values) get(name string, k ParamKind) any {
	i := slices.IndexFunc(v.params, func(d Param) bool { return d.Name == name })
	if i < 0 {
		panic(errParamUnknown + ": " + name)
	}
	if v.params[i].Kind != k {
		panic(errParamWrongGet + ": " + name)
	}
	return v.vals[name]
}

// Int returns an int parameter.
func (v Values) Int(name string) int { return v.get(name, KindInt).(int) }

// Float returns a float parameter.
func (v Values) Float(name string) float64 { return v.get(name, KindFloat).(float64) }

// Bool returns a bool parameter.
func (v Values) Bool(name string) bool { return v.get(name, KindBool).(bool) }

// Str returns a string parameter.
func (v Values) Str(name string) string {
	x, _ := v.get(name, KindString).(string)
	return x
}

// Strs returns a list-of-strings parameter (a copy).
func (v Values) Strs(name string) []string {
	x, _ := v.get(name, KindStrings).([]string)
	return slices.Clone(x)
}

// Duration returns a duration parameter.
func (v Values) Duration(name string) time.Duration { return v.get(name, KindDuration).(time.Duration) }

// splitWords splits s into words like a POSIX shell, without expansions:
// blanks separate words, single quotes keep everything literally, double
// quotes group words and honour backslash escapes of \ and ", and a
// backslash outside quotes escapes the next character.
func splitWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
		quote rune // 0, '\'' or '"'
		esc   bool
	)
	for _, r := range s {
		switch {
		case esc:
			if quote == '"' && r != '"' && r != '\\' {
				cur.WriteByte('\\')
			}
			cur.WriteRune(r)
			esc = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				esc = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			esc, in = true, true
		case r == '\'' || r == '"':
			quote, in = r, true
		case unicode.IsSpace(r):
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if esc || quote != 0 {
		return nil, fmt.Errorf("unterminated quote or escape in %q", s)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// joinWords is the inverse of splitWords: words that need it are quoted.
func joinWords(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if w != "" && !strings.ContainsFunc(w, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`'"\$`+"`", r)
		}) {
			out[i] = w
			continue
		}
		out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
