package gate

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/recaudit/recaudit/fairness"
)

// JSONSchemaVersion is the version of the JSON document of WriteJSON.
const JSONSchemaVersion = 1

type jsonReport struct {
	SchemaVersion int            `json:"schema_version"`
	Passed        bool           `json:"passed"`
	Date          string         `json:"date"`
	Policy        jsonPolicy     `json:"policy"`
	Result        jsonSource     `json:"result"`
	Baseline      *jsonSource    `json:"baseline"`
	QThreshold    fairness.Float `json:"q_threshold"`
	Counts        jsonCounts     `json:"counts"`
	Rules         []jsonRule     `json:"rules"`
}

type jsonPolicy struct {
	File string `json:"file"`
	Name string `json:"name"`
}

type jsonSource struct {
	Dataset     string   `json:"dataset"`
	ToolVersion string   `json:"tool_version"`
	Seed        uint64   `json:"seed"`
	Systems     []string `json:"systems"`
}

type jsonCounts struct {
	Rules   int `json:"rules"`
	Pass    int `json:"pass"`
	Fail    int `json:"fail"`
	Waived  int `json:"waived"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

type jsonRule struct {
	ID          string        `json:"id"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Status      string        `json:"status"`
	Message     string        `json:"message"`
	Kind        string        `json:"kind"`
	Field       string        `json:"field"`
	Uncertainty string        `json:"uncertainty"`
	Min         *float64      `json:"min"`
	Max         *float64      `json:"max"`
	MaxDrop     *float64      `json:"max_drop"`
	MaxRise     *float64      `json:"max_rise"`
	Waiver      *jsonWaiver   `json:"waiver"`
	Outcomes    []jsonOutcome `json:"outcomes"`
}

type jsonWaiver struct {
	Reason   string `json:"reason"`
	Approver string `json:"approver"`
	Expires  string `json:"expires"`
	Expired  bool   `json:"expired"`
}

type jsonOutcome struct {
	Status     string            `json:"status"`
	Target     string            `json:"target"`
	System     string            `json:"system"`
	Metric     string            `json:"metric"`
	Cutoff     int               `json:"cutoff"`
	Attribute  string            `json:"attribute"`
	Group      string            `json:"group"`
	Aggregator string            `json:"aggregator"`
	Flag       string            `json:"flag"`
	Measure    string            `json:"measure"`
	Value      fairness.Float    `json:"value"`
	CI         [2]fairness.Float `json:"ci"`
	Q          fairness.Float    `json:"q"`
	Baseline   fairness.Float    `json:"baseline"`
	Min        fairness.Float    `json:"min"`
	Max        fairness.Float    `json:"max"`
	Message    string            `json:"message"`
}

func jsonSourceOf(s Source) jsonSource {
	sys := s.Systems
	if sys == nil {
		sys = []string{}
	}
	return jsonSource{Dataset: s.Dataset, ToolVersion: s.ToolVersion, Seed: s.Seed, Systems: sys}
}

// WriteJSON writes r as one indented JSON document followed by a newline;
// the package documentation lists its fields. Undefined numbers are null.
//
// WriteJSON panics if r is nil.
func WriteJSON(w io.Writer, r *Report) error {
	if r == nil {
		panic(panicNilReport)
	}
	c := r.Counts()
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Passed:        r.Passed(),
		Date:          r.Date.Format(time.DateOnly),
		Policy:        jsonPolicy{File: r.Policy, Name: r.PolicyName},
		Result:        jsonSourceOf(r.Result),
		QThreshold:    fairness.Float(r.QThreshold),
		Counts:        jsonCounts(c),
		Rules:         []jsonRule{},
	}
	if r.Baseline != nil {
		b := jsonSourceOf(*r.Baseline)
		doc.Baseline = &b
	}
	for _, rr := range r.Rules {
		ru := &rr.Rule
		jr := jsonRule{
			ID: ru.ID, Description: ru.Description, Line: ru.Pos.Line,
			Status: rr.Status.String(), Message: rr.Message,
			Kind: ru.Select.Kind.String(), Field: fieldName(ru.Select.Kind, ru.Select.Field),
			Uncertainty: ru.Uncertainty.String(),
			Min:         ru.Min, Max: ru.Max,
			Outcomes: []jsonOutcome{},
		}
		if ru.Change != nil {
			jr.MaxDrop, jr.MaxRise = ru.Change.MaxDrop, ru.Change.MaxRise
		}
		if w := rr.Waiver; w != nil {
			jr.Waiver = &jsonWaiver{Reason: w.Reason, Approver: w.Approver, Expires: w.Expires.Format(time.DateOnly), Expired: rr.WaiverExpired}
		}
		for _, o := range rr.Outcomes {
			t := o.Target
			jr.Outcomes = append(jr.Outcomes, jsonOutcome{
				Status: o.Status.String(), Target: t.String(),
				System: t.System, Metric: t.Metric, Cutoff: t.Cutoff, Attribute: t.Attribute, Group: t.Group,
				Aggregator: t.Aggregator, Flag: t.Flag, Measure: t.Measure,
				Value: fairness.Float(o.Value), CI: [2]fairness.Float{fairness.Float(o.CI[0]), fairness.Float(o.CI[1])},
				Q: fairness.Float(o.Q), Baseline: fairness.Float(o.Baseline),
				Min: fairness.Float(o.Min), Max: fairness.Float(o.Max),
				Message: o.Message,
			})
		}
		doc.Rules = append(doc.Rules, jr)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
