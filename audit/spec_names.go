package audit

import (
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
)

// named is one allowed value of a spec field: its name and the typed
// constant it stands for.
type named[T any] struct {
	Name  string
	Value T
}

func names[T any](choices []named[T]) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Name
	}
	return out
}

func lookup[T any](choices []named[T], name string) (T, bool) {
	for _, c := range choices {
		if c.Name == name {
			return c.Value, true
		}
	}
	var zero T
	return zero, false
}

// measureChoices are the accuracy measures a spec names, by the stable
// names of metrics.Measure; "all" (handled by Spec.measures) stands for
// every one.
var measureChoices = func() []named[metrics.Measure] {
	var out []named[metrics.Measure]
	for _, m := range metrics.AllMeasures() {
		out = append(out, named[metrics.Measure]{m.String(), m})
	}
	return out
}()

var profileChoices = []named[metrics.Profile]{
	{"default", metrics.ProfileDefault},
	{"trec_eval", metrics.ProfileTrecEval},
	{"ranx", metrics.ProfileRanx},
	{"recbole", metrics.ProfileRecBole},
	{"lenskit", metrics.ProfileLensKit},
	{"elliot", metrics.ProfileElliot},
	{"rectools", metrics.ProfileRecTools},
}

var precisionChoices = []named[metrics.PrecisionDenominator]{
	{"k", metrics.PrecisionK},
	{"list-length", metrics.PrecisionListLength},
}

var recallChoices = []named[metrics.RecallDenominator]{
	{"relevant", metrics.RecallRelevant},
	{"min-relevant-k", metrics.RecallMinRelevantK},
}

var apChoices = []named[metrics.APNormalizer]{
	{"min-relevant-k", metrics.APMinRelevantK},
	{"relevant", metrics.APRelevant},
	{"k", metrics.APK},
	{"elliot", metrics.APElliot},
	{"min-relevant-list-length", metrics.APMinRelevantListLength},
}

var gainChoices = []named[metrics.Gain]{
	{"binary", metrics.GainBinary},
	{"linear", metrics.GainLinear},
	{"exp", metrics.GainExp},
	{"elliot", metrics.GainElliot},
}

var discountChoices = []named[metrics.Discount]{
	{"log2", metrics.DiscountLog2},
	{"clip", metrics.DiscountClip},
	{"ln", metrics.DiscountLn},
}

var idealChoices = []named[metrics.Ideal]{
	{"relevant-cut-k", metrics.IdealRelevantCutK},
	{"fixed-k", metrics.IdealFixedK},
	{"all-relevant", metrics.IdealAllRelevant},
}

var noRelevantChoices = []named[metrics.NoRelevant]{
	{"exclude", metrics.NoRelevantExclude},
	{"zero", metrics.NoRelevantZero},
	{"zero-if-judged", metrics.NoRelevantZeroIfJudged},
}

var noListChoices = []named[metrics.NoList]{
	{"miss", metrics.NoListMiss},
	{"exclude", metrics.NoListExclude},
}

var splitChoices = []named[datasets.SplitKind]{
	{"random", datasets.SplitRandom},
	{"leave-n-out", datasets.SplitLeaveNOut},
	{"last-n", datasets.SplitLastN},
	{"temporal-cutoff", datasets.SplitTemporalCutoff},
	{"temporal-fraction", datasets.SplitTemporalFraction},
}

var exposureChoices = []named[fairness.ExposureModel]{
	{"log", fairness.ExposureLog},
	{"clipped-log", fairness.ExposureClippedLog},
	{"geometric", fairness.ExposureGeometric},
	{"cascade", fairness.ExposureCascade},
	{"attention", fairness.ExposureAttention},
}

var aggregatorChoices = func() []named[fairness.Aggregator] {
	var out []named[fairness.Aggregator]
	for a := fairness.MaxMinDiff; a <= fairness.CV; a++ {
		out = append(out, named[fairness.Aggregator]{a.String(), a})
	}
	return out
}()

var duplicateChoices = []named[datasets.DuplicatePolicy]{
	{"error", datasets.DuplicatesError},
	{"sum", datasets.DuplicatesSum},
	{"max", datasets.DuplicatesMax},
}

// nameOf returns the name of value v among choices, for the effective
// spec; it panics if v has none (a programmer error).
func nameOf[T comparable](choices []named[T], v T) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Name
		}
	}
	panic(errNoSpecName)
}

// errNoSpecName is the panic message of nameOf.
const errNoSpecName = "audit: value without a spec name"
