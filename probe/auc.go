package probe

import (
	"cmp"
	"math"
	"slices"
)

// Panic messages of the inference probe's programmer errors (STYLE.md rule
// 11). The names carry an inf prefix because the consent probe shares the
// package.
const (
	errInfLength  = "probe: slice length mismatch"
	errInfClasses = "probe: number of classes must be positive"
	errInfLabel   = "probe: class label out of range"
	errInfWeight  = "probe: negative or NaN weight"
	errInfShape   = "probe: malformed sparse matrix"
	errInfParam   = "probe: invalid inference parameter"
	errInfLambda  = "probe: negative regularisation strength"
	errInfUsers   = "probe: grouping and lists differ in number of users"
)

// AUC returns the area under the ROC curve of scores for separating the
// positive from the negative cases, in its Mann–Whitney form: the share of
// (positive, negative) pairs in which the positive scores higher, ties
// counting one half,
//
//	AUC = Σ_{i∈P} Σ_{j∈N} w_i w_j ([s_i > s_j] + ½[s_i = s_j]) / (Σ_{i∈P} w_i · Σ_{j∈N} w_j)
//
// weights are per-case weights (integer weights are resample counts: the
// result equals the AUC of the data with case i repeated w_i times); nil
// means unit weights. scores, positive and weights (when not nil) have the
// same length; they are not modified. 0.5 is chance, 1 perfect separation,
// 0 perfect separation the wrong way round.
//
// AUC panics if the lengths differ or a weight is negative or NaN. It returns
// NaN if the positives or the negatives have zero total weight, or if a
// score of a case with positive weight is NaN.
//
// Reference: Hanley & McNeil, "The meaning and use of the area under a
// receiver operating characteristic (ROC) curve", Radiology 143, 1982; Mann &
// Whitney, Ann. Math. Statist. 18, 1947.
func AUC(scores []float64, positive []bool, weights []float64) float64 {
	if len(positive) != len(scores) || (weights != nil && len(weights) != len(scores)) {
		panic(errInfLength)
	}
	order := make([]int32, 0, len(scores))
	for i, s := range scores {
		w := 1.0
		if weights != nil {
			w = weights[i]
			if !(w >= 0) {
				panic(errInfWeight)
			}
		}
		if w == 0 {
			continue
		}
		if math.IsNaN(s) {
			return math.NaN()
		}
		order = append(order, int32(i))
	}
	sortByScore(order, scores)
	sorted := make([]float64, len(order))
	pos := make([]bool, len(order))
	for k, i := range order {
		sorted[k], pos[k] = scores[i], positive[i]
	}
	return aucSorted(sorted, pos, order, weights)
}

// sortByScore sorts the case indices in order by ascending score, ties by
// index, so that the order is fully determined.
func sortByScore(order []int32, scores []float64) {
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(scores[a], scores[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// aucSorted computes the weighted Mann–Whitney AUC of cases already sorted
// by ascending score: sorted[k] is the k-th smallest score, pos[k] whether
// that case is positive, and idx[k] its index into weights (nil: unit
// weights). It walks the tie groups once, so it costs O(n): within a tie
// group of positive weight P and negative weight N, the positives beat every
// negative below the group and tie with the group's N,
//
//	num += P·(negatives below) + ½·P·N
//
// Sums of integer weights are exact, so the result does not depend on how
// the work is split.
func aucSorted(sorted []float64, pos []bool, idx []int32, weights []float64) float64 {
	var num, below, totP float64
	n := len(sorted)
	for k := 0; k < n; {
		var p, q float64
		j := k
		for ; j < n && sorted[j] == sorted[k]; j++ {
			w := 1.0
			if weights != nil {
				w = weights[idx[j]]
			}
			if pos[j] {
				p += w
			} else {
				q += w
			}
		}
		num += float64(p*below) + float64(0.5*float64(p*q))
		below += q
		totP += p
		k = j
	}
	if totP == 0 || below == 0 {
		return math.NaN()
	}
	return num / float64(totP*below)
}

// MacroAUC returns the unweighted mean over classes of the one-vs-rest AUC
// (macro-averaged one-vs-rest ROC AUC, as sklearn.metrics.roc_auc_score with
// multi_class="ovr", average="macro"):
//
//	MacroAUC = (1/|C'|) Σ_{c∈C'} AUC(scores[·, c], label = c)
//
// where scores is row-major, case i's score for class c at
// scores[i·classes+c], and C' are the classes whose AUC is defined (with
// cases both in and outside the class). A case with label −1 is left out.
// weights are per-case weights as for [AUC]; nil means unit weights. For two
// classes, with scores[·, 0] = −scores[·, 1], MacroAUC is the binary AUC of
// scores[·, 1].
//
// MacroAUC panics if classes < 1, if len(scores) ≠ classes·len(labels), if
// weights is not nil and its length differs from len(labels), if a label is
// outside [−1, classes) or if a weight is negative or NaN. It returns NaN if no
// class has a defined AUC (fewer than two classes occur), or if a score of a
// labelled case is NaN.
//
// Reference: Fawcett, "An introduction to ROC analysis", Pattern Recognition
// Letters 27, 2006, §10 (class reference formulation); Hand & Till, Machine
// Learning 45, 2001.
func MacroAUC(scores []float64, classes int, labels []int32, weights []float64) float64 {
	if classes < 1 {
		panic(errInfClasses)
	}
	if len(scores) != classes*len(labels) || (weights != nil && len(weights) != len(labels)) {
		panic(errInfLength)
	}
	for i, l := range labels {
		if l < -1 || int(l) >= classes {
			panic(errInfLabel)
		}
		if weights != nil && !(weights[i] >= 0) {
			panic(errInfWeight)
		}
	}
	plan, ok := newAUCPlan(scores, classes, labels)
	if !ok {
		return math.NaN()
	}
	return plan.macro(weights)
}

// aucPlan holds, for every class, the labelled cases sorted by their score
// for that class, so that the AUC of many weightings of the same cases (the
// bootstrap) costs O(n) each instead of a sort.
type aucPlan struct {
	sorted [][]float64 // per class: scores, ascending
	pos    [][]bool    // per class: whether the case at that place is in the class
	idx    [][]int32   // per class: the case index at that place
}

// newAUCPlan sorts the labelled cases (label ≥ 0) by each class's score. It
// reports false if a labelled case has a NaN score. Labels must be in
// [−1, classes).
func newAUCPlan(scores []float64, classes int, labels []int32) (*aucPlan, bool) {
	var cases []int32
	for i, l := range labels {
		if l >= 0 {
			cases = append(cases, int32(i))
		}
	}
	plan := &aucPlan{sorted: make([][]float64, classes), pos: make([][]bool, classes), idx: make([][]int32, classes)}
	col := make([]float64, len(labels))
	for c := range classes {
		for _, i := range cases {
			v := scores[int(i)*classes+c]
			if math.IsNaN(v) {
				return nil, false
			}
			col[i] = v
		}
		order := slices.Clone(cases)
		sortByScore(order, col)
		sorted := make([]float64, len(order))
		pos := make([]bool, len(order))
		for k, i := range order {
			sorted[k], pos[k] = col[i], labels[i] == int32(c)
		}
		plan.sorted[c], plan.pos[c], plan.idx[c] = sorted, pos, order
	}
	return plan, true
}

// class returns the one-vs-rest AUC of class c under weights (nil: unit).
func (p *aucPlan) class(c int, weights []float64) float64 {
	return aucSorted(p.sorted[c], p.pos[c], p.idx[c], weights)
}

// macro returns the mean of the defined one-vs-rest AUCs, NaN if none is.
func (p *aucPlan) macro(weights []float64) float64 {
	var sum float64
	defined := 0
	for c := range p.sorted {
		if a := p.class(c, weights); !math.IsNaN(a) {
			sum += a
			defined++
		}
	}
	if defined == 0 {
		return math.NaN()
	}
	return sum / float64(defined)
}
