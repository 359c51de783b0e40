package report_test

import (
	"fmt"

	"github.com/recaudit/recaudit/report"
)

// inferenceByAttribute is the attribute-inference probe of three systems:
// the personalised ones reveal gender (AUC far above the shuffled band),
// none reveals region, and the popularity list is the same for everyone.
func inferenceByAttribute() report.InferenceAUC {
	return report.InferenceAUC{
		K:            10,
		Level:        0.95,
		Significance: "leaks (BH q < 0.05)",
		Systems: []report.SystemAUCs{
			{System: "popularity", Attributes: []report.AttributeAUC{
				{Attribute: "gender", AUC: 0.5, Lo: 0.5, Hi: 0.5, ShuffledLo: 0.5, ShuffledHi: 0.5},
				{Attribute: "age band", AUC: 0.5, Lo: 0.5, Hi: 0.5, ShuffledLo: 0.5, ShuffledHi: 0.5},
				{Attribute: "region", AUC: nan, Lo: nan, Hi: nan, ShuffledLo: nan, ShuffledHi: nan},
			}},
			{System: "item-kNN", Attributes: []report.AttributeAUC{
				{Attribute: "gender", AUC: 0.725, Lo: 0.713, Hi: 0.737, ShuffledLo: 0.481, ShuffledHi: 0.525, Leaks: true},
				{Attribute: "age band", AUC: 0.521, Lo: 0.514, Hi: 0.528, ShuffledLo: 0.496, ShuffledHi: 0.506, Leaks: true},
				{Attribute: "region", AUC: 0.497, Lo: 0.488, Hi: 0.507, ShuffledLo: 0.490, ShuffledHi: 0.511},
			}},
			{System: "ALS", Attributes: []report.AttributeAUC{
				{Attribute: "gender", AUC: 0.742, Lo: 0.729, Hi: 0.754, ShuffledLo: 0.488, ShuffledHi: 0.508, Leaks: true},
				{Attribute: "age band", AUC: 0.515, Lo: 0.508, Hi: 0.522, ShuffledLo: 0.494, ShuffledHi: 0.509},
				{Attribute: "region", AUC: 0.502, Lo: 0.493, Hi: 0.511, ShuffledLo: 0.489, ShuffledHi: 0.512},
			}},
		},
	}
}

func ExampleInferenceChart() {
	p, err := report.InferenceChart(inferenceByAttribute())
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, true)
	// A band with Lo > Hi cannot be drawn.
	bad := inferenceByAttribute()
	bad.Systems[1].Attributes[0].ShuffledLo = 0.6
	_, err = report.InferenceChart(bad)
	fmt.Println(err)
	// Output:
	// title: "How well the top-10 lists reveal each attribute"
	// x: "attribute"
	// y: "AUC of predicting it from the list (0.5: chance)"
	// x tick: "gender"
	// x tick: "age band"
	// x tick: "region"
	// report: invalid plot data: system "item-kNN", attribute "gender": shuffled band [0.6, 0.525] is infinite or has Lo > Hi
}
