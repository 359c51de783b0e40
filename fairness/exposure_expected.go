package fairness

import (
	"cmp"
	"math"
	"slices"
)

// Panic messages of the expected-exposure functions.
const (
	eeBadSamples = "fairness: malformed sample offsets"
	eeBadScope   = "fairness: bad expected-exposure scope"
)

// ExpectedExposure holds the expected-exposure measures of Diaz et al. for
// one user, or their mean over users. ε is the user's expected exposure
// vector over items (the mean over the user's sampled rankings of the
// browsing-model exposure of each item) and ε* the target exposure.
type ExpectedExposure struct {
	L      float64 // EE-L = ‖ε − ε*‖², lower is better
	D      float64 // EE-D = ‖ε‖², disparity, lower spreads exposure more equally
	R      float64 // EE-R = ε·ε*, relevance, higher is better
	Target float64 // ‖ε*‖², so that L = D − 2R + Target
}

// eeNaN is the value of a user without judgments.
var eeNaN = ExpectedExposure{math.NaN(), math.NaN(), math.NaN(), math.NaN()}

// eePair is the exposure e of item it.
type eePair struct {
	item int32
	e    float64
}

// eeWork holds the scratch buffers of one user's computation.
type eeWork struct {
	pairs  []eePair
	w      []float64
	flags  []bool
	order  []int
	target []float64
	gEps   []float64
	gTgt   []float64
}

// exposure fills k.pairs with the expected exposure ε of the items of the
// sampled lists rows[lo:hi] of lists, sorted by item and merged.
func (k *eeWork) exposure(lists Rankings, lo, hi int, judged []int32, grades []float64, model Exposure) {
	k.pairs = k.pairs[:0]
	s := float64(hi - lo)
	for row := lo; row < hi; row++ {
		list := lists.List(row)
		k.w = slices.Grow(k.w[:0], len(list))[:len(list)]
		var flags []bool
		if model.Model == ExposureCascade {
			k.flags = slices.Grow(k.flags[:0], len(list))[:len(list)]
			for r, it := range list {
				k.flags[r] = exposureGrade(judged, grades, it) > 0
			}
			flags = k.flags
		}
		model.weightsTo(k.w, flags)
		for r, it := range list {
			if it >= 0 {
				k.pairs = append(k.pairs, eePair{it, k.w[r] / s})
			}
		}
	}
	slices.SortFunc(k.pairs, func(a, b eePair) int { return cmp.Compare(a.item, b.item) })
	out := k.pairs[:0]
	for _, p := range k.pairs {
		if n := len(out); n > 0 && out[n-1].item == p.item {
			out[n-1].e += p.e
		} else {
			out = append(out, p)
		}
	}
	k.pairs = out
}

// eeLevel returns the grade used for target levels: NaN and values
// <= 0 are 0 (non-relevant; expeval treats unjudged -1 as 0).
func eeLevel(grades []float64, j int) float64 {
	if grades == nil {
		return 1
	}
	if g := grades[j]; g > 0 {
		return g
	}
	return 0
}

// targets fills k.target[j] with the target exposure ε* of judged item j:
// with judged items ordered by grade descending, a grade with m items and
// b items of higher grade above it gets, per item, the mean exposure of
// ranks b+1..b+m of that ideal ranking (for the geometric model
// (γ^b − γ^(b+m)) / (m(1−γ)), expeval exposure.target).
func (k *eeWork) targets(grades []float64, m int, model Exposure) {
	k.order = slices.Grow(k.order[:0], m)[:m]
	for j := range k.order {
		k.order[j] = j
	}
	slices.SortStableFunc(k.order, func(a, b int) int {
		return cmp.Compare(eeLevel(grades, b), eeLevel(grades, a))
	})
	k.flags = slices.Grow(k.flags[:0], m)[:m]
	for r, j := range k.order {
		k.flags[r] = eeLevel(grades, j) > 0
	}
	k.w = slices.Grow(k.w[:0], m)[:m]
	model.weightsTo(k.w, k.flags)
	k.target = slices.Grow(k.target[:0], m)[:m]
	for b := 0; b < m; {
		g := eeLevel(grades, k.order[b])
		e := b
		var sum float64
		for e < m && eeLevel(grades, k.order[e]) == g {
			sum += k.w[e]
			e++
		}
		for _, j := range k.order[b:e] {
			k.target[j] = sum / float64(e-b)
		}
		b = e
	}
}

// individual returns the measures from k.pairs and k.target.
func (k *eeWork) individual(judged []int32) ExpectedExposure {
	var v ExpectedExposure
	i, j := 0, 0
	for i < len(k.pairs) || j < len(judged) {
		var e, t float64
		switch {
		case j == len(judged) || (i < len(k.pairs) && k.pairs[i].item < judged[j]):
			e = k.pairs[i].e
			i++
		case i == len(k.pairs) || judged[j] < k.pairs[i].item:
			t = k.target[j]
			j++
		default:
			e, t = k.pairs[i].e, k.target[j]
			i++
			j++
		}
		v.L += (e - t) * (e - t)
		v.D += e * e
		v.R += e * t
		v.Target += t * t
	}
	return v
}

// group returns the measures of the group-aggregated ε and ε*.
func (k *eeWork) group(judged []int32, grades []float64, group []int32, nGroups int, scope EEScope) ExpectedExposure {
	k.gEps = slices.Grow(k.gEps[:0], nGroups)[:nGroups]
	k.gTgt = slices.Grow(k.gTgt[:0], nGroups)[:nGroups]
	clear(k.gEps)
	clear(k.gTgt)
	code := func(it int32) int32 {
		if it < 0 || int(it) >= len(group) {
			return -1
		}
		return group[it]
	}
	for _, p := range k.pairs {
		g := code(p.item)
		if g < 0 || (scope == EERelevantItems && exposureGrade(judged, grades, p.item) <= 0) {
			continue
		}
		k.gEps[g] += p.e
	}
	for j, it := range judged {
		g := code(it)
		if g < 0 || (scope == EERelevantItems && eeLevel(grades, j) <= 0) {
			continue
		}
		k.gTgt[g] += k.target[j]
	}
	var v ExpectedExposure
	for g := range nGroups {
		e, t := k.gEps[g], k.gTgt[g]
		v.L += (e - t) * (e - t)
		v.D += e * e
		v.R += e * t
		v.Target += t * t
	}
	return v
}

// expectedUser computes one user's individual (nGroups == 0) or group
// measures.
func (k *eeWork) user(lists Rankings, lo, hi int, judged []int32, grades []float64, model Exposure, group []int32, nGroups int, scope EEScope) ExpectedExposure {
	if len(judged) == 0 {
		return eeNaN
	}
	k.exposure(lists, lo, hi, judged, grades, model)
	k.targets(grades, len(judged), model)
	if nGroups == 0 {
		return k.individual(judged)
	}
	return k.group(judged, grades, group, nGroups, scope)
}

// UserExpectedExposure returns EE-L, EE-D and EE-R of one user from the
// user's sampled rankings,
//
//	ε_i  = (1/S) Σ_{s=1..S} w(rank_s(i))   (0 when sample s lacks i)
//	ε*_i = mean of w(b+1), …, w(b+m) in the ideal ranking, for item i of a
//	       grade held by m judged items with b judged items of higher grade
//	EE-L = ‖ε − ε*‖²,  EE-D = ‖ε‖²,  EE-R = εᵀε*,
//
// where every row of samples is one sampled ranking (a deterministic
// ranking is a single row), judged holds the user's judged items (sorted
// ascending and distinct) with grades (nil means every grade is 1; grades
// <= 0 are non-relevant), and w is the browsing model. The spec's model is
// Exposure{Model: ExposureGeometric} (RBP, γ = 0.5), for which
// ε*_i = (γ^b − γ^(b+m)) / (m(1−γ)); expeval's default is ExposureCascade
// (GERR, relevant = grade > 0). Unjudged items have target 0; judge every
// candidate with grade 0 for the complete-judgments setting (expeval -C).
// Values are unnormalised (expeval -U). A user with no sample has ε = 0.
//
// UserExpectedExposure panics if samples is malformed, judged is not
// sorted ascending and distinct, grades is not nil and not as long as
// judged, or model is bad. Every field is NaN when judged is empty.
// Reference: Diaz, Mitra, Ekstrand, Biega & Carterette, "Evaluating
// Stochastic Rankings with Expected Exposure", CIKM 2020; METRICS-SPEC.md
// §4.3.
func UserExpectedExposure(samples Rankings, judged []int32, grades []float64, model Exposure) ExpectedExposure {
	samples.check()
	eeCheckJudged(judged, grades)
	model.params()
	var k eeWork
	return k.user(samples, 0, samples.Users(), judged, grades, model, nil, 0, 0)
}

// EEScope selects the items whose exposure counts in the group version of
// expected exposure.
type EEScope int

const (
	// EEAllItems counts every item with a group, judged or not (TREC Fair
	// 2021 Task 2; expeval -C). The default.
	EEAllItems EEScope = iota
	// EERelevantItems counts only items with grade > 0 (expeval without
	// -C; TREC Fair 2022 only_rel).
	EERelevantItems
)

// UserGroupExpectedExposure returns the group version of EE-L, EE-D and
// EE-R for one user: ε and ε* are first summed within item groups,
//
//	ε_G = Σ_{i∈G} ε_i,  ε*_G = Σ_{i∈G} ε*_i,
//	EE-L = ‖ε_G − ε*_G‖²,  EE-D = ‖ε_G‖²,  EE-R = ε_Gᵀε*_G,
//
// where group[i] is the code of item i in [0, nGroups) (negative, or i
// beyond group: no group, left out) and scope says which items count. The
// other conventions are those of UserExpectedExposure.
//
// UserGroupExpectedExposure panics as UserExpectedExposure does, and if
// nGroups <= 0, a code is >= nGroups or scope is bad. Every field is NaN
// when judged is empty. Reference: Diaz et al., CIKM 2020 (group
// exposure), expeval group.py; METRICS-SPEC.md §4.3.
func UserGroupExpectedExposure(samples Rankings, judged []int32, grades []float64, group []int32, nGroups int, model Exposure, scope EEScope) ExpectedExposure {
	samples.check()
	eeCheckJudged(judged, grades)
	model.params()
	eeCheckGroups(group, nGroups, scope)
	var k eeWork
	return k.user(samples, 0, samples.Users(), judged, grades, model, group, nGroups, scope)
}

// eeCheckJudged panics if judged is unsorted or grades mismatched.
func eeCheckJudged(judged []int32, grades []float64) {
	exposureCheckJudged(judged)
	if grades != nil && len(grades) != len(judged) {
		panic(exposureLengthMismatch)
	}
}

// eeCheckGroups panics on bad group arguments.
func eeCheckGroups(group []int32, nGroups int, scope EEScope) {
	if nGroups <= 0 {
		panic(exposureBadGroups)
	}
	for _, g := range group {
		if int(g) >= nGroups {
			panic(exposureBadGroup)
		}
	}
	if scope != EEAllItems && scope != EERelevantItems {
		panic(eeBadScope)
	}
}

// eeRows returns the function giving the rows of user u.
func eeRows(lists Rankings, samples []int64, users int) func(u int) (int, int) {
	if samples == nil {
		if lists.Users() != users {
			panic(exposureUsersMismatch)
		}
		return func(u int) (int, int) { return u, u + 1 }
	}
	if len(samples) != users+1 {
		panic(eeBadSamples)
	}
	if samples[0] != 0 || samples[users] != int64(lists.Users()) {
		panic(eeBadSamples)
	}
	for u := range users {
		if samples[u+1] < samples[u] {
			panic(eeBadSamples)
		}
	}
	return func(u int) (int, int) { return int(samples[u]), int(samples[u+1]) }
}

// ExpectedExposureTo fills dst with UserExpectedExposure of every user,
// where user u's judgments are row u of rel and user u's sampled rankings
// are the rows samples[u] .. samples[u+1]-1 of lists (samples nil: row u of
// lists is user u's only, deterministic ranking). samples, when not nil,
// has one more element than rel has users, starts at 0, never decreases
// and ends at lists.Users(). dst has one element per user and is
// overwritten; if it is nil a new slice is allocated. Users without
// judgments get NaN fields; MeanExpectedExposure skips them.
//
// ExpectedExposureTo panics if lists or rel is malformed, samples is nil
// and lists and rel differ in users, samples is malformed, dst has the
// wrong length, or model is bad. Reference: Diaz et al., CIKM 2020;
// METRICS-SPEC.md §4.3.
func ExpectedExposureTo(dst []ExpectedExposure, lists Rankings, samples []int64, rel Relevance, model Exposure) []ExpectedExposure {
	return eeAll(dst, lists, samples, rel, model, nil, 0, 0)
}

// GroupExpectedExposureTo fills dst with UserGroupExpectedExposure of
// every user, with the layout of ExpectedExposureTo.
//
// GroupExpectedExposureTo panics as ExpectedExposureTo and
// UserGroupExpectedExposure do. Reference: Diaz et al., CIKM 2020;
// METRICS-SPEC.md §4.3.
func GroupExpectedExposureTo(dst []ExpectedExposure, lists Rankings, samples []int64, rel Relevance, group []int32, nGroups int, model Exposure, scope EEScope) []ExpectedExposure {
	eeCheckGroups(group, nGroups, scope)
	return eeAll(dst, lists, samples, rel, model, group, nGroups, scope)
}

// eeAll is ExpectedExposureTo and GroupExpectedExposureTo.
func eeAll(dst []ExpectedExposure, lists Rankings, samples []int64, rel Relevance, model Exposure, group []int32, nGroups int, scope EEScope) []ExpectedExposure {
	lists.check()
	rel.check()
	model.params()
	users := rel.Users()
	rows := eeRows(lists, samples, users)
	if dst == nil {
		dst = make([]ExpectedExposure, users)
	} else if len(dst) != users {
		panic(exposureDstLength)
	}
	var k eeWork
	for u := range users {
		lo, hi := rows(u)
		judged, grades := rel.User(u)
		dst[u] = k.user(lists, lo, hi, judged, grades, model, group, nGroups, scope)
	}
	return dst
}

// MeanExpectedExposure returns the weighted mean of the per-user measures
// v over the users whose values are not NaN,
//
//	mean = Σ_u ω_u v_u / Σ_u ω_u,
//
// with ω_u = weights[u] (nil means unit weights). Every field is NaN when
// no user counts. MeanExpectedExposure panics if weights is not nil and
// len(weights) != len(v). Reference: Diaz et al., CIKM 2020 (averaged over
// queries); METRICS-SPEC.md §4.3.
func MeanExpectedExposure(v []ExpectedExposure, weights []float64) ExpectedExposure {
	exposureCheckWeights(weights, len(v))
	var m ExpectedExposure
	var sum float64
	for u, x := range v {
		if math.IsNaN(x.L) || math.IsNaN(x.D) || math.IsNaN(x.R) {
			continue
		}
		ω := exposureUserWeight(weights, u)
		m.L += ω * x.L
		m.D += ω * x.D
		m.R += ω * x.R
		m.Target += ω * x.Target
		sum += ω
	}
	if sum == 0 {
		return eeNaN
	}
	m.L /= sum
	m.D /= sum
	m.R /= sum
	m.Target /= sum
	return m
}
