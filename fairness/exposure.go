package fairness

import (
	"math"
	"slices"
)

// Panic messages of the exposure functions.
const (
	exposureLengthMismatch = "fairness: slice length mismatch"
	exposureBadOffsets     = "fairness: malformed offsets"
	exposureBadModel       = "fairness: bad exposure model"
	exposureBadPatience    = "fairness: exposure patience not in (0, 1)"
	exposureBadStop        = "fairness: cascade stop probability not in (0, 1]"
	exposureBadTopShare    = "fairness: attention top share not in (0, 1]"
	exposureBadCutoff      = "fairness: negative cutoff"
	exposureBadRank        = "fairness: rank less than 1"
	exposureBadItems       = "fairness: negative number of items"
	exposureBadGroup       = "fairness: group code out of range"
	exposureBadGroups      = "fairness: number of groups not positive"
	exposureUsersMismatch  = "fairness: different numbers of users"
	exposureBadTarget      = "fairness: bad share target"
	exposureNoMerit        = "fairness: merit target without merit values"
	exposureBadUnit        = "fairness: bad information unit"
	exposureUnsorted       = "fairness: judged items not sorted ascending and distinct"
	exposureBadAlignment   = "fairness: alignment weights not a multiple of the number of groups"
	exposureDstLength      = "fairness: destination has the wrong length"
)

// Rankings holds one ranked list per user in compressed sparse row form:
// user u's list is Items[Offsets[u]:Offsets[u+1]] in rank order (position
// 0 is rank 1). Offsets has one more element than there are users, starts
// at 0 and never decreases; nil Offsets means no users. An empty row is a
// user without a list. Items outside the catalogue, negative ones included,
// are ignored by every function. Rankings has the layout of
// metrics.Rankings: a metrics.Rankings r converts with fairness.Rankings(r).
type Rankings struct {
	Offsets []int64
	Items   []int32
}

// Users returns the number of users (rows).
func (r Rankings) Users() int {
	if len(r.Offsets) == 0 {
		return 0
	}
	return len(r.Offsets) - 1
}

// List returns the list of user u. The caller must not modify it.
func (r Rankings) List(u int) []int32 { return r.Items[r.Offsets[u]:r.Offsets[u+1]] }

// check panics if r is malformed.
func (r Rankings) check() { exposureCheckOffsets(r.Offsets, len(r.Items)) }

// maxLen returns the length of the longest list.
func (r Rankings) maxLen() int {
	m := 0
	for u := range r.Users() {
		m = max(m, int(r.Offsets[u+1]-r.Offsets[u]))
	}
	return m
}

// Relevance holds graded test judgments, one row per user, in compressed
// sparse row form: user u's judged items are Items[Offsets[u]:Offsets[u+1]],
// sorted ascending and distinct, with grades Grades over the same range
// (nil means every grade is 1). An item is relevant iff its grade is > 0;
// filter the rows to apply another threshold. nil Offsets means nothing is
// judged. Relevance has the layout of metrics.Relevance and converts from
// it.
type Relevance struct {
	Offsets []int64
	Items   []int32
	Grades  []float64
}

// Users returns the number of users (rows).
func (r Relevance) Users() int {
	if len(r.Offsets) == 0 {
		return 0
	}
	return len(r.Offsets) - 1
}

// User returns the judged items of user u and their grades (nil when every
// grade is 1). They share memory with r; the caller must not modify them.
func (r Relevance) User(u int) (items []int32, grades []float64) {
	lo, hi := r.Offsets[u], r.Offsets[u+1]
	if r.Grades != nil {
		grades = r.Grades[lo:hi]
	}
	return r.Items[lo:hi], grades
}

// check panics if r is malformed.
func (r Relevance) check() {
	exposureCheckOffsets(r.Offsets, len(r.Items))
	if r.Grades != nil && len(r.Grades) != len(r.Items) {
		panic(exposureLengthMismatch)
	}
	for u := range r.Users() {
		exposureCheckJudged(r.Items[r.Offsets[u]:r.Offsets[u+1]])
	}
}

// exposureCheckJudged panics unless items is sorted ascending and distinct.
func exposureCheckJudged(items []int32) {
	for i := 1; i < len(items); i++ {
		if items[i] <= items[i-1] {
			panic(exposureUnsorted)
		}
	}
}

// exposureCheckOffsets panics unless offs is a valid offsets slice over n
// entries (nil offsets stand for no rows and need n == 0).
func exposureCheckOffsets(offs []int64, n int) {
	if len(offs) == 0 {
		if n != 0 {
			panic(exposureBadOffsets)
		}
		return
	}
	if offs[0] != 0 || offs[len(offs)-1] != int64(n) {
		panic(exposureBadOffsets)
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] {
			panic(exposureBadOffsets)
		}
	}
}

// exposureGrade returns the grade of item it among the judged items (sorted
// ascending), 0 when it is not judged.
func exposureGrade(items []int32, grades []float64, it int32) float64 {
	j, ok := slices.BinarySearch(items, it)
	if !ok {
		return 0
	}
	if grades == nil {
		return 1
	}
	return grades[j]
}

// ExposureModel selects the browsing model that turns a rank into exposure.
type ExposureModel int

const (
	// ExposureLog is w(r) = 1/log2(r+1), the DCG discount (Singh & Joachims
	// 2018; FairRankTune EXP). It is the default.
	ExposureLog ExposureModel = iota
	// ExposureClippedLog is w(r) = 1/log2(max(r, 2)): ranks 1 and 2 both
	// get 1 (TREC Fair Ranking 2021/2022 discount(); LensKit LogRankWeight).
	ExposureClippedLog
	// ExposureGeometric is w(r) = γ^(r−1), the rank-biased precision
	// patience model (Moffat & Zobel 2008; expeval "rbp").
	ExposureGeometric
	// ExposureCascade is w(r) = γ^(r−1) (1−u)^(number of relevant items
	// above r), the GERR model (Chapelle et al. 2009; expeval "gerr", its
	// default). Without relevance it equals ExposureGeometric.
	ExposureCascade
	// ExposureAttention is w(r) = p (1−p)^(r−1), where p is the share of
	// attention on rank 1 (Sapiezynski et al., WWW 2019 Companion;
	// FairRankTune AWRF multiplies it by 100).
	ExposureAttention
)

// String returns the name of the model.
func (m ExposureModel) String() string {
	switch m {
	case ExposureLog:
		return "log"
	case ExposureClippedLog:
		return "clipped-log"
	case ExposureGeometric:
		return "geometric"
	case ExposureCascade:
		return "cascade"
	case ExposureAttention:
		return "attention"
	}
	return "ExposureModel(?)"
}

// Exposure is a browsing model with its parameters. The zero value is the
// default model 1/log2(r+1) over whole lists. Zero parameters take the
// expeval defaults: Patience γ = 0.5, Stop u = 0.5, TopShare p = 0.5.
//
// Exposure values are not normalised: any constant factor (such as RBP's
// 1−γ) cancels in shares, ratios, AWRF, DTR and DIR, but not in raw totals
// or in expected exposure.
type Exposure struct {
	Model    ExposureModel
	Patience float64 // γ of ExposureGeometric and ExposureCascade, in (0, 1); 0 means 0.5
	Stop     float64 // u of ExposureCascade, in (0, 1]; 0 means 0.5
	TopShare float64 // p of ExposureAttention, in (0, 1]; 0 means 0.5
	Cutoff   int     // ranks after Cutoff get no exposure; 0 means no cutoff
}

// params validates e and returns γ, u and p with defaults applied.
func (e Exposure) params() (gamma, stop, top float64) {
	gamma, stop, top = e.Patience, e.Stop, e.TopShare
	if gamma == 0 {
		gamma = 0.5
	}
	if stop == 0 {
		stop = 0.5
	}
	if top == 0 {
		top = 0.5
	}
	switch {
	case e.Model < ExposureLog || e.Model > ExposureAttention:
		panic(exposureBadModel)
	case !(gamma > 0 && gamma < 1):
		panic(exposureBadPatience)
	case !(stop > 0 && stop <= 1):
		panic(exposureBadStop)
	case !(top > 0 && top <= 1):
		panic(exposureBadTopShare)
	case e.Cutoff < 0:
		panic(exposureBadCutoff)
	}
	return gamma, stop, top
}

// Weight returns the exposure w(r) of rank r (1-based) under e, with no
// relevant item above r (so ExposureCascade gives γ^(r−1)):
//
//	log          1/log2(r+1)
//	clipped log  1/log2(max(r, 2))
//	geometric    γ^(r−1)
//	cascade      γ^(r−1)
//	attention    p (1−p)^(r−1)
//
// and 0 when e.Cutoff > 0 and r > e.Cutoff. Weight panics if r < 1 or e
// has a bad model or parameter. Reference: METRICS-SPEC.md §4.1.
func (e Exposure) Weight(r int) float64 {
	gamma, _, top := e.params()
	if r < 1 {
		panic(exposureBadRank)
	}
	if e.Cutoff > 0 && r > e.Cutoff {
		return 0
	}
	switch e.Model {
	case ExposureLog:
		return 1 / math.Log2(float64(r)+1)
	case ExposureClippedLog:
		return 1 / math.Log2(float64(max(r, 2)))
	case ExposureGeometric, ExposureCascade:
		return math.Pow(gamma, float64(r-1))
	default: // ExposureAttention
		return top * math.Pow(1-top, float64(r-1))
	}
}

// WeightsTo fills dst[r-1] with the exposure of rank r = 1..n,
//
//	dst[r-1] = w(r), cascade: γ^(r−1) (1−u)^(Σ_{s<r} relevant[s-1]),
//
// where relevant[s-1] says whether the item at rank s is relevant; only
// ExposureCascade reads it, and nil means no relevant item. Ranks after
// e.Cutoff (when positive) get 0. If dst is nil a new slice is allocated.
//
// WeightsTo panics if n < 0, dst is not nil and len(dst) != n, relevant is
// not nil and len(relevant) != n, or e has a bad model or parameter.
// Reference: METRICS-SPEC.md §4.1; expeval exposure.py.
func (e Exposure) WeightsTo(dst []float64, n int, relevant []bool) []float64 {
	if n < 0 {
		panic(exposureBadCutoff)
	}
	dst = exposureDst(dst, n)
	if relevant != nil && len(relevant) != n {
		panic(exposureLengthMismatch)
	}
	e.weightsTo(dst, relevant)
	return dst
}

// weightsTo fills dst (any length) as WeightsTo does, without allocating.
func (e Exposure) weightsTo(dst []float64, relevant []bool) {
	gamma, stop, top := e.params()
	n := len(dst)
	if e.Cutoff > 0 && n > e.Cutoff {
		clear(dst[e.Cutoff:])
		n = e.Cutoff
	}
	switch e.Model {
	case ExposureLog:
		for r := range n {
			dst[r] = 1 / math.Log2(float64(r)+2)
		}
	case ExposureClippedLog:
		for r := range n {
			dst[r] = 1 / math.Log2(float64(max(r+1, 2)))
		}
	case ExposureGeometric, ExposureCascade:
		w := 1.0
		for r := range n {
			dst[r] = w
			w *= gamma
			if e.Model == ExposureCascade && relevant != nil && relevant[r] {
				w *= 1 - stop
			}
		}
	case ExposureAttention:
		w := top
		for r := range n {
			dst[r] = w
			w *= 1 - top
		}
	}
}

// exposureDst returns dst, allocated with length n when nil; it panics if
// dst has another length. The contents are not cleared.
func exposureDst(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(exposureDstLength)
	}
	return dst
}

// exposureCheckWeights panics unless weights is nil or has one weight per
// user.
func exposureCheckWeights(weights []float64, users int) {
	if weights != nil && len(weights) != users {
		panic(exposureLengthMismatch)
	}
}

// exposureUserWeight returns the weight of user u (1 when weights is nil).
func exposureUserWeight(weights []float64, u int) float64 {
	if weights == nil {
		return 1
	}
	return weights[u]
}

// exposureMarker looks up the grades of one user's judged items in O(1)
// through a dense stamp over the judged item range.
type exposureMarker struct {
	rel   Relevance
	stamp []int   // 1 + the loaded user, for the items that user judged
	pos   []int64 // index in rel.Items of a stamped item
	u     int
}

// newExposureMarker returns a marker over the judged items of rel.
func newExposureMarker(rel Relevance) *exposureMarker {
	n := int32(-1)
	for _, it := range rel.Items {
		n = max(n, it)
	}
	return &exposureMarker{rel: rel, stamp: make([]int, n+1), pos: make([]int64, n+1)}
}

// load marks the judged items of user u.
func (m *exposureMarker) load(u int) {
	m.u = u + 1
	for j := m.rel.Offsets[u]; j < m.rel.Offsets[u+1]; j++ {
		if it := m.rel.Items[j]; it >= 0 {
			m.stamp[it] = m.u
			m.pos[it] = j
		}
	}
}

// grade returns the grade of item it for the loaded user, 0 when unjudged.
func (m *exposureMarker) grade(it int32) float64 {
	if it < 0 || int(it) >= len(m.stamp) || m.stamp[it] != m.u {
		return 0
	}
	if m.rel.Grades == nil {
		return 1
	}
	return m.rel.Grades[m.pos[it]]
}

// exposureScan calls fn(u, list, w, mk) for every user with the exposure w
// of each position of the user's list under model, and, when grades is set
// or the model is the cascade, a marker loaded with the user's judgments
// (nil when rel has no rows). The cascade model reads relevance from rel
// (grade > 0); other models share one weight table.
func exposureScan(lists Rankings, model Exposure, rel Relevance, grades bool, fn func(u int, list []int32, w []float64, mk *exposureMarker)) {
	lists.check()
	model.params()
	var mk *exposureMarker
	if rel.Users() > 0 || rel.Offsets != nil {
		rel.check()
		if rel.Users() != lists.Users() {
			panic(exposureUsersMismatch)
		}
		if rel.Users() > 0 && (grades || model.Model == ExposureCascade) {
			mk = newExposureMarker(rel)
		}
	}
	cascade := model.Model == ExposureCascade && mk != nil
	table := make([]float64, lists.maxLen())
	var relevant []bool
	if cascade {
		relevant = make([]bool, len(table))
	} else {
		model.weightsTo(table, nil)
	}
	for u := range lists.Users() {
		list := lists.List(u)
		w := table[:len(list)]
		if mk != nil {
			mk.load(u)
		}
		if cascade {
			flags := relevant[:len(list)]
			for r, it := range list {
				flags[r] = mk.grade(it) > 0
			}
			model.weightsTo(w, flags)
		}
		fn(u, list, w, mk)
	}
}

// ItemExposureTo fills dst with the exposure every catalogue item receives
// from the users' lists,
//
//	E(i) = Σ_u ω_u w_u(rank_u(i))   (0 for a user whose list lacks i),
//
// where w_u is the browsing model (ExposureCascade reads the relevance of
// the list items from rel; grade > 0 is relevant) and ω_u = weights[u]
// (nil means unit weights). Items outside [0, nItems) are ignored; an item
// repeated in a list receives the exposure of each of its positions
// (package datasets rejects repeats). rel may be the zero Relevance
// (nothing relevant); only the cascade model reads it. dst has length
// nItems and is overwritten; if it is nil a new slice is allocated.
//
// ItemExposureTo panics if nItems < 0, dst has the wrong length, lists or
// rel is malformed, rel has rows but not one per user, weights is not nil
// and not one per user, or model is bad. Reference: METRICS-SPEC.md §4.1.
func ItemExposureTo(dst []float64, lists Rankings, nItems int, model Exposure, rel Relevance, weights []float64) []float64 {
	if nItems < 0 {
		panic(exposureBadItems)
	}
	dst = exposureDst(dst, nItems)
	clear(dst)
	exposureCheckWeights(weights, lists.Users())
	exposureScan(lists, model, rel, false, func(u int, list []int32, w []float64, _ *exposureMarker) {
		ω := exposureUserWeight(weights, u)
		for r, it := range list {
			if uint32(it) < uint32(nItems) {
				dst[it] += ω * w[r]
			}
		}
	})
	return dst
}

// ItemClicksTo fills dst with the expected clicks (relevance-weighted
// exposure) of every catalogue item,
//
//	C(i) = Σ_u ω_u rel(u, i) w_u(rank_u(i)),
//
// the numerator of the disparate impact of Singh & Joachims, with the
// grades of rel as rel(u, i) (unjudged items 0). The conventions are those
// of ItemExposureTo, except that rel must hold one row per user.
//
// ItemClicksTo panics as ItemExposureTo does, and if rel does not have one
// row per user. Reference: Singh & Joachims, "Fairness of Exposure in
// Rankings", KDD 2018; METRICS-SPEC.md §4.2.
func ItemClicksTo(dst []float64, lists Rankings, nItems int, model Exposure, rel Relevance, weights []float64) []float64 {
	if nItems < 0 {
		panic(exposureBadItems)
	}
	if rel.Users() != lists.Users() {
		panic(exposureUsersMismatch)
	}
	dst = exposureDst(dst, nItems)
	clear(dst)
	exposureCheckWeights(weights, lists.Users())
	exposureScan(lists, model, rel, true, func(u int, list []int32, w []float64, mk *exposureMarker) {
		if mk == nil {
			return // no users
		}
		ω := exposureUserWeight(weights, u)
		for r, it := range list {
			if uint32(it) < uint32(nItems) {
				dst[it] += ω * mk.grade(it) * w[r]
			}
		}
	})
	return dst
}

// ItemMeritTo fills dst with the merit of every catalogue item, its total
// test relevance over users,
//
//	M(i) = Σ_u ω_u rel(u, i),
//
// with ω_u = weights[u] (nil means unit weights). Judged items outside
// [0, nItems) are ignored. dst has length nItems and is overwritten; if it
// is nil a new slice is allocated. Divide by the number of users for the
// mean relevance of Singh & Joachims (ratios do not change).
//
// ItemMeritTo panics if nItems < 0, dst has the wrong length, rel is
// malformed or weights is not nil and not one per user. Reference:
// METRICS-SPEC.md §4.2.
func ItemMeritTo(dst []float64, rel Relevance, nItems int, weights []float64) []float64 {
	if nItems < 0 {
		panic(exposureBadItems)
	}
	dst = exposureDst(dst, nItems)
	clear(dst)
	rel.check()
	exposureCheckWeights(weights, rel.Users())
	for u := range rel.Users() {
		ω := exposureUserWeight(weights, u)
		items, grades := rel.User(u)
		for j, it := range items {
			if uint32(it) < uint32(nItems) {
				g := 1.0
				if grades != nil {
					g = grades[j]
				}
				dst[it] += ω * g
			}
		}
	}
	return dst
}

// exposureCheckGroups panics unless group is as long as x and every code is
// below nGroups (negative codes mean no group).
func exposureCheckGroups(x []float64, group []int32, nGroups int) {
	if nGroups <= 0 {
		panic(exposureBadGroups)
	}
	if len(group) != len(x) {
		panic(exposureLengthMismatch)
	}
	for _, g := range group {
		if int(g) >= nGroups {
			panic(exposureBadGroup)
		}
	}
}

// GroupExposureTo fills dst with the total exposure of each item group,
//
//	E(G) = Σ_{i ∈ G} x_i,
//
// where x holds one value per catalogue item (ItemExposureTo, ItemClicksTo
// or ItemMeritTo) and group[i] is the code of item i in [0, nGroups), or
// negative for an item in no group (left out). dst has length nGroups and
// is overwritten; if it is nil a new slice is allocated.
//
// GroupExposureTo panics if nGroups <= 0, len(group) != len(x), a code is
// >= nGroups, or dst has the wrong length. Reference: METRICS-SPEC.md §4.1
// (sums, as TREC Fair Ranking).
func GroupExposureTo(dst []float64, x []float64, group []int32, nGroups int) []float64 {
	exposureCheckGroups(x, group, nGroups)
	dst = exposureDst(dst, nGroups)
	clear(dst)
	for i, g := range group {
		if g >= 0 {
			dst[g] += x[i]
		}
	}
	return dst
}

// GroupMeanExposureTo fills dst with the mean exposure per item of each
// group,
//
//	Ē(G) = (1/|G|) Σ_{i ∈ G} x_i,
//
// where |G| counts the catalogue items of the group (the entries of group
// with code G, recommended or not), as Singh & Joachims and FairRankTune
// EXP do. The other rules are those of GroupExposureTo. The mean of a group
// without items is NaN.
//
// GroupMeanExposureTo panics as GroupExposureTo does. Reference: Singh &
// Joachims, KDD 2018; METRICS-SPEC.md §4.1.
func GroupMeanExposureTo(dst []float64, x []float64, group []int32, nGroups int) []float64 {
	dst = GroupExposureTo(dst, x, group, nGroups)
	n := make([]int, nGroups)
	for _, g := range group {
		if g >= 0 {
			n[g]++
		}
	}
	for g := range dst {
		if n[g] == 0 {
			dst[g] = math.NaN()
		} else {
			dst[g] /= float64(n[g])
		}
	}
	return dst
}

// Alignment gives every catalogue item a weight for each of Groups groups,
// as the alignment vectors of TREC Fair Ranking 2022: item i has weight
// Weights[i*Groups+g] for group g, usually a distribution over groups. An
// item whose weights are all zero, or beyond the end of Weights, has an
// unknown group.
type Alignment struct {
	Groups  int
	Weights []float64
}

// items returns the number of items a and panics if a is malformed.
func (a Alignment) items() int {
	if a.Groups <= 0 {
		panic(exposureBadGroups)
	}
	if len(a.Weights)%a.Groups != 0 {
		panic(exposureBadAlignment)
	}
	return len(a.Weights) / a.Groups
}

// row returns the weights of item it, or nil when it is outside a.
func (a Alignment) row(it int32) []float64 {
	if it < 0 || int(it) >= len(a.Weights)/a.Groups {
		return nil
	}
	return a.Weights[int(it)*a.Groups : int(it+1)*a.Groups]
}

// AlignmentOf returns the alignment of single group codes: item i has
// weight 1 for group[i] and 0 elsewhere; a negative code gives an item of
// unknown group. AlignmentOf panics if nGroups <= 0 or a code is >=
// nGroups.
func AlignmentOf(group []int32, nGroups int) Alignment {
	if nGroups <= 0 {
		panic(exposureBadGroups)
	}
	a := Alignment{Groups: nGroups, Weights: make([]float64, len(group)*nGroups)}
	for i, g := range group {
		if int(g) >= nGroups {
			panic(exposureBadGroup)
		}
		if g >= 0 {
			a.Weights[i*nGroups+int(g)] = 1
		}
	}
	return a
}

// GroupExposureAlignedTo fills dst with the alignment-weighted exposure of
// each group,
//
//	E(G) = Σ_i a_{i,G} x_i,
//
// the TREC Fair Ranking 2022 aggregation for items that belong to several
// groups. x holds one value per catalogue item and align one row per item
// (items beyond align count for no group). dst has length align.Groups and
// is overwritten; if it is nil a new slice is allocated.
//
// GroupExposureAlignedTo panics if align is malformed or dst has the wrong
// length. Reference: METRICS-SPEC.md §4 (alignment vectors), §4.4.
func GroupExposureAlignedTo(dst []float64, x []float64, align Alignment) []float64 {
	n, ng := align.items(), align.Groups
	dst = exposureDst(dst, ng)
	clear(dst)
	for i, v := range x[:min(len(x), n)] {
		for g, a := range align.Weights[i*ng : (i+1)*ng] {
			dst[g] += a * v
		}
	}
	return dst
}

// ExposureSharesTo fills dst with the shares of x,
//
//	s_g = x_g / Σ_h x_h,
//
// for example the exposure share of each group. dst has the length of x
// and is overwritten; if it is nil a new slice is allocated. Every share is
// NaN when the sum is 0 or NaN.
//
// ExposureSharesTo panics if dst is not nil and len(dst) != len(x).
// Reference: METRICS-SPEC.md §4.1.
func ExposureSharesTo(dst []float64, x []float64) []float64 {
	dst = exposureDst(dst, len(x))
	var sum float64
	for _, v := range x {
		sum += v
	}
	for i, v := range x {
		if sum == 0 || math.IsNaN(sum) {
			dst[i] = math.NaN()
		} else {
			dst[i] = v / sum
		}
	}
	return dst
}

// exposureGroupSums returns Σ_{i∈g0} x_i, Σ_{i∈g1} x_i and the item counts
// of g0 and g1.
func exposureGroupSums(x []float64, group []int32, g0, g1 int32) (s0, s1 float64, n0, n1 int) {
	if len(group) != len(x) {
		panic(exposureLengthMismatch)
	}
	if g0 < 0 || g1 < 0 {
		panic(exposureBadGroup)
	}
	for i, g := range group {
		switch g {
		case g0:
			s0 += x[i]
			n0++
		case g1:
			s1 += x[i]
			n1++
		}
	}
	return s0, s1, n0, n1
}

// ExposureParityRatio returns the demographic parity ratio of exposure
// between item groups g0 and g1, the ratio of their mean exposure per
// catalogue item,
//
//	DP = Ē(g0) / Ē(g1),  Ē(G) = (1/|G|) Σ_{i∈G} x_i,
//
// where x holds the exposure of every catalogue item (ItemExposureTo) and
// group[i] the group code of item i (negative: no group); |G| counts
// catalogue items. 1 is parity; swap g0 and g1 for the other orientation.
//
// ExposureParityRatio panics if len(group) != len(x) or g0 or g1 is
// negative. It returns NaN when a group has no item or the ratio is 0/0,
// and +Inf when only Ē(g1) is 0. Reference: Singh & Joachims, "Fairness of
// Exposure in Rankings", KDD 2018; METRICS-SPEC.md §4.2.
func ExposureParityRatio(x []float64, group []int32, g0, g1 int32) float64 {
	s0, s1, n0, n1 := exposureGroupSums(x, group, g0, g1)
	if n0 == 0 || n1 == 0 {
		return math.NaN()
	}
	return (s0 / float64(n0)) / (s1 / float64(n1))
}

// ExposureParityDifference returns the demographic parity difference of
// exposure between item groups g0 and g1,
//
//	Ē(g0) − Ē(g1),  Ē(G) = (1/|G|) Σ_{i∈G} x_i,
//
// with the conventions of ExposureParityRatio; 0 is parity. It panics as
// ExposureParityRatio does and returns NaN when a group has no item.
// Reference: Singh & Joachims, KDD 2018; METRICS-SPEC.md §4.2.
func ExposureParityDifference(x []float64, group []int32, g0, g1 int32) float64 {
	s0, s1, n0, n1 := exposureGroupSums(x, group, g0, g1)
	if n0 == 0 || n1 == 0 {
		return math.NaN()
	}
	return s0/float64(n0) - s1/float64(n1)
}

// exposureMeritRatio returns [Σ_{g0} x / Σ_{g0} m] / [Σ_{g1} x / Σ_{g1} m].
func exposureMeritRatio(x, merit []float64, group []int32, g0, g1 int32) float64 {
	if len(merit) != len(x) {
		panic(exposureLengthMismatch)
	}
	e0, e1, n0, n1 := exposureGroupSums(x, group, g0, g1)
	m0, m1, _, _ := exposureGroupSums(merit, group, g0, g1)
	if n0 == 0 || n1 == 0 {
		return math.NaN()
	}
	return (e0 / m0) / (e1 / m1)
}

// DisparateTreatmentRatio returns the disparate treatment ratio of Singh &
// Joachims between item groups g0 and g1, exposure per unit of merit,
//
//	DTR = [Exposure(g0)/U(g0)] / [Exposure(g1)/U(g1)]
//	    = [Σ_{i∈g0} x_i / Σ_{i∈g0} m_i] / [Σ_{i∈g1} x_i / Σ_{i∈g1} m_i],
//
// where x is the exposure (ItemExposureTo) and merit m the relevance
// (ItemMeritTo) of every catalogue item; the per-item means of the paper
// have the same |G| above and below, so it cancels. 1 is fair; > 1 means
// g0 gets more exposure per unit of merit. DTR depends on the browsing
// model but not on the log base or a scale of the weights.
//
// DisparateTreatmentRatio panics if x, merit and group differ in length or
// g0 or g1 is negative. It returns NaN when a group has no item or a ratio
// is 0/0, and ±Inf or 0 when only a merit or exposure sum is 0. Reference:
// Singh & Joachims, "Fairness of Exposure in Rankings", KDD 2018;
// METRICS-SPEC.md §4.2.
func DisparateTreatmentRatio(x, merit []float64, group []int32, g0, g1 int32) float64 {
	return exposureMeritRatio(x, merit, group, g0, g1)
}

// DisparateImpactRatio returns the disparate impact ratio of Singh &
// Joachims between item groups g0 and g1, expected clicks per unit of
// merit,
//
//	DIR = [CTR(g0)/U(g0)] / [CTR(g1)/U(g1)]
//	    = [Σ_{i∈g0} c_i / Σ_{i∈g0} m_i] / [Σ_{i∈g1} c_i / Σ_{i∈g1} m_i],
//
// where clicks c (ItemClicksTo) is the relevance-weighted exposure and
// merit m the relevance (ItemMeritTo) of every catalogue item. 1 is fair.
// It panics and returns NaN as DisparateTreatmentRatio does. Reference:
// Singh & Joachims, KDD 2018; METRICS-SPEC.md §4.2.
func DisparateImpactRatio(clicks, merit []float64, group []int32, g0, g1 int32) float64 {
	return exposureMeritRatio(clicks, merit, group, g0, g1)
}

// ExposurePerMeritTo fills dst with the exposure per unit of merit of each
// group,
//
//	v_G = Σ_{i∈G} x_i / Σ_{i∈G} m_i,
//
// the per-group quantity whose ratio between two groups is DTR (with x the
// exposure) or DIR (with x the clicks); aggregate more than two groups with
// a disparity aggregator (FairRankTune EXPU). dst has length nGroups and
// is overwritten; if it is nil a new slice is allocated. v_G is NaN for
// 0/0 and +Inf when only the merit is 0.
//
// ExposurePerMeritTo panics if x, merit and group differ in length,
// nGroups <= 0, a code is >= nGroups, or dst has the wrong length.
// Reference: Singh & Joachims, KDD 2018; METRICS-SPEC.md §4.2.
func ExposurePerMeritTo(dst []float64, x, merit []float64, group []int32, nGroups int) []float64 {
	if len(merit) != len(x) {
		panic(exposureLengthMismatch)
	}
	dst = GroupExposureTo(dst, x, group, nGroups)
	m := GroupExposureTo(nil, merit, group, nGroups)
	for g := range dst {
		dst[g] /= m[g]
	}
	return dst
}

// ShareTarget selects the target exposure share of each group.
type ShareTarget int

const (
	// TargetCatalog is t(G) = |G| / Σ_H |H|, the catalogue share of the
	// group: equal exposure per item (statistical parity). The default.
	TargetCatalog ShareTarget = iota
	// TargetMerit is t(G) = Σ_{i∈G} m_i / Σ_i m_i, the share of the merit
	// (test relevance): equity of attention.
	TargetMerit
	// TargetUniform is t(G) = 1/#groups.
	TargetUniform
)

// TargetSharesTo fills dst with the target share of each of nGroups item
// groups,
//
//	catalogue  t(G) = |G| / Σ_H |H|
//	merit      t(G) = Σ_{i∈G} m_i / Σ_{i ∈ any group} m_i
//	uniform    t(G) = 1 / nGroups,
//
// where group[i] is the code of catalogue item i (negative: no group, left
// out of every count) and merit m_i its relevance (ItemMeritTo; read only
// by TargetMerit, else it may be nil). dst has length nGroups and is
// overwritten; if it is nil a new slice is allocated. Every share is NaN
// when the denominator is 0.
//
// TargetSharesTo panics if target is bad, nGroups <= 0, a code is >=
// nGroups, merit is nil for TargetMerit or not as long as group, or dst
// has the wrong length. Reference: METRICS-SPEC.md §4.2.
func TargetSharesTo(dst []float64, target ShareTarget, group []int32, nGroups int, merit []float64) []float64 {
	switch target {
	case TargetCatalog:
		ones := make([]float64, len(group))
		for i := range ones {
			ones[i] = 1
		}
		return ExposureSharesTo(dst, GroupExposureTo(dst, ones, group, nGroups))
	case TargetMerit:
		if merit == nil {
			panic(exposureNoMerit)
		}
		return ExposureSharesTo(dst, GroupExposureTo(dst, merit, group, nGroups))
	case TargetUniform:
		if nGroups <= 0 {
			panic(exposureBadGroups)
		}
		dst = exposureDst(dst, nGroups)
		for g := range dst {
			dst[g] = 1 / float64(nGroups)
		}
		return dst
	}
	panic(exposureBadTarget)
}

// ShareDifferencesTo fills dst with the difference between realised and
// target shares of each group,
//
//	d_G = s_G − t_G,
//
// positive when the group gets more than its target. dst has the length of
// s and is overwritten; if it is nil a new slice is allocated.
//
// ShareDifferencesTo panics if len(s) != len(t) or dst has the wrong
// length. Reference: METRICS-SPEC.md §4.2.
func ShareDifferencesTo(dst, s, t []float64) []float64 {
	if len(s) != len(t) {
		panic(exposureLengthMismatch)
	}
	dst = exposureDst(dst, len(s))
	for i := range s {
		dst[i] = s[i] - t[i]
	}
	return dst
}

// ShareRatiosTo fills dst with the ratio of realised to target share of
// each group,
//
//	r_G = s_G / t_G,
//
// 1 when the group gets its target; 0/0 is NaN and x/0 is +Inf. dst has
// the length of s and is overwritten; if it is nil a new slice is
// allocated.
//
// ShareRatiosTo panics if len(s) != len(t) or dst has the wrong length.
// Reference: METRICS-SPEC.md §4.2.
func ShareRatiosTo(dst, s, t []float64) []float64 {
	if len(s) != len(t) {
		panic(exposureLengthMismatch)
	}
	dst = exposureDst(dst, len(s))
	for i := range s {
		dst[i] = s[i] / t[i]
	}
	return dst
}

// InfoUnit is the unit of an information quantity (the base of the
// logarithm).
type InfoUnit int

const (
	// Nats uses the natural logarithm. The default.
	Nats InfoUnit = iota
	// Bits uses the base-2 logarithm: nats / ln 2.
	Bits
)

// scale returns the factor that converts nats into u.
func (u InfoUnit) scale() float64 {
	switch u {
	case Nats:
		return 1
	case Bits:
		return 1 / math.Ln2
	}
	panic(exposureBadUnit)
}

// exposureNormalize returns x / Σx, or nil when the sum is not positive or
// an entry is negative or NaN.
func exposureNormalize(x []float64) []float64 {
	var sum float64
	for _, v := range x {
		if !(v >= 0) {
			return nil
		}
		sum += v
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return nil
	}
	p := make([]float64, len(x))
	for i, v := range x {
		p[i] = v / sum
	}
	return p
}

// L1Distance returns the L1 distance between two distributions,
//
//	L1(s, t) = Σ_G |s_G − t_G|,
//
// in [0, 2]; s and t are used as given (pass shares). It returns NaN when
// an entry is NaN. L1Distance panics if len(s) != len(t). Reference:
// METRICS-SPEC.md §4.2.
func L1Distance(s, t []float64) float64 {
	if len(s) != len(t) {
		panic(exposureLengthMismatch)
	}
	var d float64
	for i := range s {
		d += math.Abs(s[i] - t[i])
	}
	return d
}

// exposureKL returns KL(p‖q) in nats with 0·log 0 = 0.
func exposureKL(p, q []float64) float64 {
	var d float64
	for i, v := range p {
		if v > 0 {
			d += v * math.Log(v/q[i])
		}
	}
	return d
}

// KLDivergence returns the Kullback–Leibler divergence of s from t,
//
//	KL(s‖t) = Σ_G s_G log(s_G / t_G),
//
// with 0·log 0 = 0, in unit (nats by default). s and t are normalised to
// sum 1 first (so counts may be passed); the value is +Inf when some
// s_G > 0 has t_G = 0. KLDivergence returns NaN when s or t has a negative
// or NaN entry or does not have a positive finite sum. It panics if
// len(s) != len(t) or unit is bad. Reference: METRICS-SPEC.md §4.2.
func KLDivergence(s, t []float64, unit InfoUnit) float64 {
	if len(s) != len(t) {
		panic(exposureLengthMismatch)
	}
	c := unit.scale()
	p, q := exposureNormalize(s), exposureNormalize(t)
	if p == nil || q == nil {
		return math.NaN()
	}
	return exposureKL(p, q) * c
}

// JSDivergence returns the Jensen–Shannon divergence of s and t,
//
//	JSD(s, t) = ½ KL(s‖m) + ½ KL(t‖m),  m = ½ (s + t),
//
// in unit (nats by default; at most ln 2 nats = 1 bit). s and t are
// normalised to sum 1 first. This is the divergence, the square of scipy's
// jensenshannon distance. JSDivergence returns NaN when s or t has a
// negative or NaN entry or does not have a positive finite sum. It panics
// if len(s) != len(t) or unit is bad. Reference: Lin, "Divergence measures
// based on the Shannon entropy", IEEE Trans. Inf. Theory 1991;
// METRICS-SPEC.md §4.2, §4.4.
func JSDivergence(s, t []float64, unit InfoUnit) float64 {
	if len(s) != len(t) {
		panic(exposureLengthMismatch)
	}
	c := unit.scale()
	p, q := exposureNormalize(s), exposureNormalize(t)
	if p == nil || q == nil {
		return math.NaN()
	}
	return exposureJSD(p, q) * c
}

// exposureJSD returns the JSD of distributions p and q in nats.
func exposureJSD(p, q []float64) float64 {
	var d float64
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			d += p[i] * math.Log(p[i]/m)
		}
		if q[i] > 0 {
			d += q[i] * math.Log(q[i]/m)
		}
	}
	return max(d/2, 0)
}
