package probe

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/recaudit/recaudit/fairness"
)

// Defaults of [Inference].
const (
	DefaultInferenceFolds = 5
	// DefaultInferenceShuffles is the number of label shuffles. With 19,
	// the smallest attainable permutation p-value is 1/20 = 0.05, so at
	// the default Alpha a leak is declared only when the real AUC beats
	// every shuffled one.
	DefaultInferenceShuffles   = 19
	DefaultInferenceBootstrap  = 1000
	DefaultInferenceConfidence = 0.95
	DefaultInferenceAlpha      = 0.05
	// DefaultInferenceMinLift is the smallest AUC above the shuffled mean
	// that counts as a leak. With many users a negligible association is
	// statistically clear; 0.02 keeps such a one from being called a leak,
	// and is far below what the planted gender tastes give on the demo
	// dataset (lift 0.13 at 2,000 users, 0.23 at 10,000).
	DefaultInferenceMinLift = 0.02
	// DefaultInferenceMinGroupSize is the smallest class that is modelled,
	// the minimum group size of DESIGN.md ("Privacy and consent").
	DefaultInferenceMinGroupSize = 10
	// DefaultInferenceLambda is the probe's L2 strength λ (against the
	// summed log-loss): a Gaussian prior with standard deviation 1/√30 ≈
	// 0.18 on each coefficient, so that no single item seen by a handful
	// of users can dominate a prediction. On the demo dataset (10,000 and
	// 2,000 users, item-kNN lists of 10) the cross-validated AUCs vary by
	// less than 0.01 for λ from 3 to 100, and λ = 1 (scikit-learn's
	// default) both overfits (gender AUC 0.70 against 0.73) and needs
	// several times the iterations.
	DefaultInferenceLambda = 30
	// DefaultInferenceTolerance is the probe's convergence threshold (see
	// Logistic.Tolerance): AUCs differ from those at 1e-6 by less than
	// 0.001 on the demo dataset, a tenth of the shuffled AUCs' spread, at
	// half the iterations.
	DefaultInferenceTolerance = 1e-4
)

// InferenceFeatures selects the features built from a list.
type InferenceFeatures int

const (
	// ItemsAndCategories: one feature per catalogue item (its weight when
	// the item is in the list, 0 otherwise) and one per category (the
	// weighted number of the list's items in the category).
	ItemsAndCategories InferenceFeatures = iota
	// ItemsOnly: the item features only (a bag of items).
	ItemsOnly
	// CategoriesOnly: the category counts only.
	CategoriesOnly
)

// String returns "items+categories", "items" or "categories".
func (f InferenceFeatures) String() string {
	switch f {
	case ItemsAndCategories:
		return "items+categories"
	case ItemsOnly:
		return "items"
	case CategoriesOnly:
		return "categories"
	}
	return fmt.Sprintf("InferenceFeatures(%d)", int(f))
}

// RankWeighting is the weight of a list position in the features.
type RankWeighting int

const (
	// UniformRanks: every position of the list weighs 1 (a bag of items).
	UniformRanks RankWeighting = iota
	// LogRanks: position r (1-based) weighs 1/log2(r+1), the discount of
	// DCG, so that the top of the list counts most.
	LogRanks
)

// String returns "uniform" or "log".
func (w RankWeighting) String() string {
	switch w {
	case UniformRanks:
		return "uniform"
	case LogRanks:
		return "log"
	}
	return fmt.Sprintf("RankWeighting(%d)", int(w))
}

// Inference is the attribute-inference probe. Its zero value is usable:
// whole lists, item and category features, uniform rank weights, 5 folds,
// 19 shuffles, 1000 bootstrap replicates, λ = 30, minimum group size 10,
// α = 0.05 and a minimum lift of 0.02.
//
// # Features
//
// User u's features come from the first K items of their list (all of it
// when K is 0), position r weighted by w_r (RankWeighting): item i's feature
// is w_r when i is at position r, 0 otherwise; category c's feature is the
// weighted number of the list's items in c,
//
//	n_c = Σ_{r: c ∈ cats(i_r)} w_r/|cats(i_r)|
//
// (an item with k categories counts 1/k in each), so that items and
// categories are on the same scale: a count, not a share, which would be
// ten times smaller for lists of ten and so ten times more penalised.
// Items outside the catalogue are ignored, and a repeated item counts at
// its first position. Users whose list is empty are not modelled.
//
// # Model and cross-validation
//
// Each class is separated from the rest by a binary [Logistic] regression
// (one-vs-rest; a single model for two classes), fitted on Folds−1 folds and
// scored on the held-out fold, with folds stratified by class and drawn at
// random. The out-of-fold decision values of all users are pooled and
// scored by [MacroAUC] (for two classes, the plain AUC). The regularisation
// strength is fixed (Model.Lambda, default DefaultLambda) rather than tuned
// by inner cross-validation: tuning would multiply the cost by the size of
// the grid times the inner folds, for every shuffle, while the verdict
// compares like with like (the shuffled labels get the same λ).
//
// # Baseline, test and interval
//
// The whole pipeline (fold draw, fits, AUC) is rerun Shuffles times with
// the users' labels randomly permuted among them. The shuffled AUCs give the
// baseline (mean, standard deviation, range) and the Monte Carlo
// permutation p-value
//
//	p = (1 + #{s : AUC_s ≥ AUC}) / (1 + Shuffles)
//
// (Phipson & Smyth, Stat. Appl. Genet. Mol. Biol. 9, 2010; Ojala & Garriga,
// JMLR 11, 2010, test 1). The AUC's interval is the bootstrap percentile
// interval over users of the pooled out-of-fold scores, resampled within
// each class (Bootstrap replicates, level Confidence). It holds the fitted
// models fixed: it measures how much the AUC depends on which users were
// evaluated, which dominates at these sample sizes, without refitting every
// model per replicate (which would cost Bootstrap times the fits); the
// variation from refitting is what the shuffled baseline measures under the
// null. The spread of fold-wise AUCs was not used: the folds share training
// users, so their spread understates the uncertainty (Bengio & Grandvalet,
// JMLR 5, 2004).
//
// # Verdict
//
// An attribute leaks when p ≤ Alpha and the AUC exceeds the shuffled mean
// by at least MinLift; otherwise there is no evidence of a leak. It is
// undetermined when fewer than two classes can be modelled.
//
// # Determinism
//
// Src is drawn once; every shuffle, fold draw and bootstrap replicate has
// its own random stream derived from that value, each fit is sequential,
// and every task writes to its own place, so the result depends on the seed
// only, not on GOMAXPROCS.
type Inference struct {
	// K is the list cutoff; 0 means the whole list.
	K int
	// Features and Weighting select the features (see above).
	Features  InferenceFeatures
	Weighting RankWeighting
	// Model is the per-class classifier; a zero Lambda means
	// DefaultInferenceLambda and a zero Tolerance
	// DefaultInferenceTolerance (not the defaults of Logistic itself).
	Model Logistic
	// Folds is the number of cross-validation folds, at least 2; 0 means
	// DefaultInferenceFolds.
	Folds int
	// Shuffles is the number of label shuffles; 0 means
	// DefaultInferenceShuffles.
	Shuffles int
	// Bootstrap is the number of bootstrap replicates of the AUC's
	// interval; 0 means DefaultInferenceBootstrap.
	Bootstrap int
	// Confidence is the interval's level, in (0, 1); 0 means
	// DefaultInferenceConfidence.
	Confidence float64
	// MinGroupSize is the smallest class that is modelled (at least 2);
	// 0 means DefaultInferenceMinGroupSize.
	MinGroupSize int
	// Alpha is the significance level of the verdict, in (0, 1); 0 means
	// DefaultInferenceAlpha.
	Alpha float64
	// MinLift is the smallest AUC − shuffled mean that counts as a leak;
	// 0 means DefaultInferenceMinLift, a negative value means no minimum.
	MinLift float64
	// PValue selects the p-value of the test against the shuffled AUCs;
	// the zero value is the permutation p-value (see [InferencePValue]).
	PValue InferencePValue
	// Src is the source of randomness; nil means the global source.
	Src rand.Source
}

// InferenceInput is what the probe sees: the lists, and the item categories.
type InferenceInput struct {
	// Lists holds one ranked list per user, in the users' index order (the
	// order of the targets' Codes).
	Lists fairness.Rankings
	// NumItems is the catalogue size: item indices are in [0, NumItems).
	NumItems int
	// Categories holds each item's categories, codes in [0,
	// NumCategories); nil Offsets means no categories.
	Categories    fairness.ItemCategories
	NumCategories int
}

// InferenceTarget is one attribute to infer.
type InferenceTarget struct {
	// Grouping gives every user's class: Codes[u] indexes Levels, or is −1
	// for a user without a value or in a group the caller suppressed.
	Grouping fairness.Grouping
	// Suppressed lists the groups the caller already withheld (for
	// example audit.UserGroups.Suppressed, which applies complementary
	// suppression); they are reported as given, after the probe's own.
	Suppressed []SuppressedGroup
}

// SuppressedGroup is a group that was not modelled, with the reason, which
// never states its size. It has the fields of audit.Suppressed, so that one
// converts to the other.
type SuppressedGroup struct {
	Group  string `json:"group"`
	Reason string `json:"reason"`
}

// ReasonInferenceSmall is the reason given for a class the probe does not
// model because it has fewer users with a list than the minimum group size.
const ReasonInferenceSmall = "fewer than %d users with a list"

// InferenceVerdict is the conclusion for one attribute.
type InferenceVerdict int

const (
	// InferenceUndetermined: fewer than two classes could be modelled.
	InferenceUndetermined InferenceVerdict = iota
	// InferenceNoEvidence: the AUC is not clearly above the shuffled
	// baseline.
	InferenceNoEvidence
	// InferenceLeaks: the lists predict the attribute clearly better
	// than shuffled labels allow.
	InferenceLeaks
)

// String returns "undetermined", "no evidence" or "leaks".
func (v InferenceVerdict) String() string {
	switch v {
	case InferenceUndetermined:
		return "undetermined"
	case InferenceNoEvidence:
		return "no evidence"
	case InferenceLeaks:
		return "leaks"
	}
	return fmt.Sprintf("InferenceVerdict(%d)", int(v))
}

// MarshalText implements encoding.TextMarshaler (the JSON form is the
// String).
func (v InferenceVerdict) MarshalText() ([]byte, error) {
	switch v {
	case InferenceUndetermined, InferenceNoEvidence, InferenceLeaks:
		return []byte(v.String()), nil
	}
	return nil, fmt.Errorf("probe: bad inference verdict %d", int(v))
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *InferenceVerdict) UnmarshalText(b []byte) error {
	for _, c := range []InferenceVerdict{InferenceUndetermined, InferenceNoEvidence, InferenceLeaks} {
		if string(b) == c.String() {
			*v = c
			return nil
		}
	}
	return fmt.Errorf("probe: unknown inference verdict %q", b)
}

// InferenceResult is the outcome of the probe, a JSON document whose
// fields are added, never renamed; NaN values are null.
type InferenceResult struct {
	Settings   InferenceSettings    `json:"settings"`
	Attributes []AttributeInference `json:"attributes"`
}

// InferenceSettings records the settings a result was computed with, with
// defaults filled in.
type InferenceSettings struct {
	K             int     `json:"k"` // 0: whole lists
	Features      string  `json:"features"`
	Weighting     string  `json:"weighting"`
	Model         string  `json:"model"`
	Lambda        float64 `json:"lambda"`
	Tolerance     float64 `json:"tolerance"`
	MaxIterations int     `json:"max_iterations"`
	Folds         int     `json:"folds"`
	Shuffles      int     `json:"shuffles"`
	Interval      string  `json:"interval"`
	Bootstrap     int     `json:"bootstrap"`
	Confidence    float64 `json:"confidence"`
	MinGroupSize  int     `json:"min_group_size"`
	Alpha         float64 `json:"alpha"`
	MinLift       float64 `json:"min_lift"`
	// PValue names the p-value: "permutation" or "shuffled-t" (see
	// InferencePValue).
	PValue string `json:"p_value"`
	Rule   string `json:"rule"`
}

// AttributeInference is the probe's result for one attribute.
type AttributeInference struct {
	Attribute string `json:"attribute"`
	// Classes are the modelled groups, in level order; ClassAUC their
	// one-vs-rest AUCs (for two classes both are the binary AUC).
	Classes  []string         `json:"classes"`
	ClassAUC []fairness.Float `json:"class_auc"`
	// Suppressed lists the groups not modelled: the probe's small classes,
	// then the caller's.
	Suppressed []SuppressedGroup `json:"suppressed"`
	// Users is the number of users modelled (in a modelled class, with a
	// non-empty list).
	Users int `json:"users"`
	// AUC is the cross-validated (macro one-vs-rest) AUC with its
	// bootstrap interval.
	AUC fairness.Estimate `json:"auc"`
	// Shuffled summarises the AUCs of the shuffled-label reruns.
	Shuffled ShuffledAUC `json:"shuffled"`
	// Lift is AUC − Shuffled.Mean.
	Lift fairness.Float `json:"lift"`
	// Test is the permutation test of AUC against the shuffled AUCs
	// (Method "permutation", Statistic the AUC, Resamples the shuffles);
	// its Q is filled in by fairness.AdjustBH.
	Test    fairness.Test    `json:"test"`
	Verdict InferenceVerdict `json:"verdict"`
	// NotConverged counts the fits (of all folds, classes and shuffles)
	// that stopped at the iteration cap before reaching the tolerance.
	NotConverged int `json:"not_converged"`
}

// ShuffledAUC summarises the AUCs of the pipeline on shuffled labels.
type ShuffledAUC struct {
	Mean fairness.Float `json:"mean"`
	SD   fairness.Float `json:"sd"`
	Min  fairness.Float `json:"min"`
	Max  fairness.Float `json:"max"`
	N    int            `json:"n"`
}

// settings returns c with its defaults filled in; it panics on invalid
// settings.
func (c Inference) settings() Inference {
	if c.K < 0 || c.Folds < 0 || c.Folds == 1 || c.Shuffles < 0 || c.Bootstrap < 0 ||
		c.MinGroupSize < 0 || c.MinGroupSize == 1 ||
		!(c.Confidence >= 0 && c.Confidence < 1) || !(c.Alpha >= 0 && c.Alpha < 1) || math.IsNaN(c.MinLift) {
		panic(errInfParam)
	}
	switch c.Features {
	case ItemsAndCategories, ItemsOnly, CategoriesOnly:
	default:
		panic(errInfParam)
	}
	switch c.Weighting {
	case UniformRanks, LogRanks:
	default:
		panic(errInfParam)
	}
	switch c.PValue {
	case PermutationPValue, ShuffledTPValue:
	default:
		panic(errInfParam)
	}
	if c.Model.Lambda == 0 {
		c.Model.Lambda = DefaultInferenceLambda
	}
	if c.Model.Tolerance == 0 {
		c.Model.Tolerance = DefaultInferenceTolerance
	}
	c.Model = c.Model.settings()
	if c.Folds == 0 {
		c.Folds = DefaultInferenceFolds
	}
	if c.Shuffles == 0 {
		c.Shuffles = DefaultInferenceShuffles
	}
	if c.Bootstrap == 0 {
		c.Bootstrap = DefaultInferenceBootstrap
	}
	if c.Confidence == 0 {
		c.Confidence = DefaultInferenceConfidence
	}
	if c.MinGroupSize == 0 {
		c.MinGroupSize = DefaultInferenceMinGroupSize
	}
	if c.Alpha == 0 {
		c.Alpha = DefaultInferenceAlpha
	}
	switch {
	case c.MinLift == 0:
		c.MinLift = DefaultInferenceMinLift
	case c.MinLift < 0:
		c.MinLift = math.Inf(-1)
	}
	return c
}

// record returns the settings as recorded in a result.
func (c Inference) record() InferenceSettings {
	lift := c.MinLift
	if math.IsInf(lift, -1) {
		lift = -1 // "no minimum"; JSON has no infinity
	}
	return InferenceSettings{
		K: c.K, Features: c.Features.String(), Weighting: c.Weighting.String(),
		Model:  "L2-regularised logistic regression, one-vs-rest, L-BFGS",
		Lambda: c.Model.Lambda, Tolerance: c.Model.Tolerance, MaxIterations: c.Model.MaxIterations,
		Folds: c.Folds, Shuffles: c.Shuffles,
		Interval:  "bootstrap percentile over users of the out-of-fold scores, stratified by class",
		Bootstrap: c.Bootstrap, Confidence: c.Confidence, MinGroupSize: c.MinGroupSize,
		Alpha: c.Alpha, MinLift: lift, PValue: c.PValue.String(),
		Rule: "leaks if the " + c.PValue.String() + " p-value ≤ alpha and AUC − shuffled mean ≥ min_lift; undetermined with fewer than two classes",
	}
}

// Run runs the probe for every target and returns the result, with the
// attributes in the order of targets. A user is modelled for a target when
// their code is not −1, their class has at least MinGroupSize users with a
// list, and their list is not empty; a non-personalised list (the same
// fallback for every user without consent) is a list like any other, and
// dilutes the AUC towards 0.5 as it should: it reveals nothing. Values that
// are undefined (no two classes) are NaN, null in JSON. Inputs are not
// modified; the result is new and shares no memory with them.
//
// Run panics if the settings are invalid (a negative or out-of-range
// field, Folds or MinGroupSize of 1, an unknown Features or Weighting), if a
// target's Codes differ in length from the number of lists, if a code is
// outside [−1, len(Levels)), or if a category code is outside [0,
// NumCategories). It returns ctx.Err() if ctx is cancelled.
func (c Inference) Run(ctx context.Context, in InferenceInput, targets []InferenceTarget) (*InferenceResult, error) {
	c = c.settings()
	nUsers := in.Lists.Users()
	for _, t := range targets {
		if len(t.Grouping.Codes) != nUsers {
			panic(errInfUsers)
		}
		for _, code := range t.Grouping.Codes {
			if code < -1 || int(code) >= len(t.Grouping.Levels) {
				panic(errInfLabel)
			}
		}
	}
	x, hasList := c.features(in)
	var base uint64
	if c.Src == nil {
		base = rand.Uint64()
	} else {
		base = c.Src.Uint64()
	}
	res := &InferenceResult{Settings: c.record(), Attributes: make([]AttributeInference, 0, len(targets))}
	for ti, t := range targets {
		a, err := c.attribute(ctx, &x, hasList, t, infMix(base, uint64(ti)))
		if err != nil {
			return nil, err
		}
		res.Attributes = append(res.Attributes, a)
	}
	return res, nil
}

// infMix is the splitmix64 finaliser applied to a ⊕ mix(b) (Steele, Lea &
// Flood, OOPSLA 2014): it derives independent stream seeds.
func infMix(a, b uint64) uint64 {
	z := a ^ infFinalise(b+0x9e3779b97f4a7c15)
	return infFinalise(z)
}

func infFinalise(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
