package fairness

import (
	"bytes"
	"encoding/json"
	"math"
)

// Float is a float64 that marshals to JSON as a number, or as null when it
// is NaN or infinite (JSON has no representation for them). Finite values
// are written exactly as encoding/json writes a float64, the shortest text
// that reads back to the same bits, so equal values give equal bytes.
// UnmarshalJSON reads null back as NaN; an infinity therefore does not
// survive a round trip, and documents that need one must say so in another
// field.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// UnmarshalJSON implements json.Unmarshaler: null gives NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// IsNaN reports whether f is NaN.
func (f Float) IsNaN() bool { return math.IsNaN(float64(f)) }

// Interval2 is a confidence interval [lo, hi], marshalled as a two-element
// JSON array; undefined bounds are NaN (null in JSON).
type Interval2 [2]Float

// interval2 converts an Interval's bounds.
func interval2(iv Interval) Interval2 { return Interval2{Float(iv.Lo), Float(iv.Hi)} }

// groupEstimateJSON is the JSON form of a GroupEstimate, with the counts
// of a withheld group null.
type groupEstimateJSON struct {
	Group    string    `json:"group"`
	N        *int      `json:"n"`
	Excluded *int      `json:"excluded"`
	Value    Float     `json:"value"`
	CI       Interval2 `json:"ci"`
	VsRest   Estimate  `json:"vs_rest"`
	Withheld bool      `json:"withheld"`
}

// MarshalJSON implements json.Marshaler: the fields under their JSON
// names, with n and excluded null for a withheld group, whose number of
// users with a value is not published. Decoding needs no counterpart: a
// null count reads back as 0.
func (g GroupEstimate) MarshalJSON() ([]byte, error) {
	v := groupEstimateJSON{Group: g.Group, Value: g.Value, CI: g.CI, VsRest: g.VsRest, Withheld: g.Withheld}
	if !g.Withheld {
		v.N, v.Excluded = &g.N, &g.Excluded
	}
	return marshalNoEscape(v)
}

// marshalNoEscape marshals v without escaping HTML characters, leaving
// that choice to the encoder that calls a MarshalJSON method (it escapes
// the compacted result itself when asked to).
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON implements json.Unmarshaler. A statistic, p-value or
// q-value missing from the document is undefined (NaN), as null is: a
// hand-made or truncated results file without its q-values must not read
// as q = 0, which would make every test significant.
func (t *Test) UnmarshalJSON(b []byte) error {
	type plain Test // without this method
	p := plain{Statistic: Float(math.NaN()), P: Float(math.NaN()), Q: Float(math.NaN())}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*t = Test(p)
	return nil
}
