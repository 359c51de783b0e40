package audit

import (
	"bytes"
	"encoding/json"

	"github.com/recaudit/recaudit/fairness"
)

// targetedGroupJSON is the JSON form of a TargetedGroup, with the count
// of a withheld group null.
type targetedGroupJSON struct {
	Group    string             `json:"group"`
	N        *int               `json:"n"`
	Rate     fairness.Float     `json:"rate"`
	CI       fairness.Interval2 `json:"ci"`
	Withheld bool               `json:"withheld"`
}

// MarshalJSON implements json.Marshaler: n is null for a withheld group,
// whose number of users is not published.
func (g TargetedGroup) MarshalJSON() ([]byte, error) {
	v := targetedGroupJSON{Group: g.Group, Rate: g.Rate, CI: g.CI, Withheld: g.Withheld}
	if !g.Withheld {
		v.N = &g.N
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the calling encoder escapes, if asked to
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
