package fairness

import "math"

// targetingFlag reports whether item it is flagged.
func targetingFlag(flagged []bool, it int32) bool {
	return it >= 0 && int(it) < len(flagged) && flagged[it]
}

// TargetingShareTo fills dst with the share of each user's top k that is
// flagged,
//
//	share(u) = |{r <= k : flagged[i_r]}| / k,
//
// for a flagged item class (for example high-cost credit), where every row
// of lists is a user and flagged[i] marks item i (items beyond flagged are
// not flagged). A list shorter than k still divides by k (missing
// positions are unflagged, METRICS-SPEC.md §0); k = 0 means whole lists,
// divided by their length. dst has one element per user and is
// overwritten; if it is nil a new slice is allocated. Group the values
// with TargetingRates.
//
// TargetingShareTo panics if lists is malformed, k < 0 or dst has the
// wrong length. With k = 0 the share of an empty list is NaN. Reference:
// recaudit targeting audit (the rate at which each user group is shown a
// flagged class, at each cutoff); METRICS-SPEC.md §0 (short lists).
func TargetingShareTo(dst []float64, lists Rankings, k int, flagged []bool) []float64 {
	lists.check()
	if k < 0 {
		panic(exposureBadCutoff)
	}
	dst = exposureDst(dst, lists.Users())
	for u := range lists.Users() {
		top := itemsideTop(lists.List(u), k)
		n := 0
		for _, it := range top {
			if targetingFlag(flagged, it) {
				n++
			}
		}
		den := k
		if k == 0 {
			den = len(top)
		}
		dst[u] = float64(n) / float64(den)
	}
	return dst
}

// TargetingShownTo fills dst with 1 for every user whose top k holds at
// least one flagged item and 0 otherwise,
//
//	shown(u) = 1[∃ r <= k : flagged[i_r]],
//
// with the conventions of TargetingShareTo (k = 0: whole lists; an empty
// list gives 0). Its group mean is the share of users shown the class.
//
// TargetingShownTo panics if lists is malformed, k < 0 or dst has the
// wrong length. Reference: recaudit targeting audit.
func TargetingShownTo(dst []float64, lists Rankings, k int, flagged []bool) []float64 {
	lists.check()
	if k < 0 {
		panic(exposureBadCutoff)
	}
	dst = exposureDst(dst, lists.Users())
	for u := range lists.Users() {
		dst[u] = 0
		for _, it := range itemsideTop(lists.List(u), k) {
			if targetingFlag(flagged, it) {
				dst[u] = 1
				break
			}
		}
	}
	return dst
}

// TargetingExposureTo fills dst with the position-weighted share of each
// user's list that is flagged,
//
//	share_w(u) = Σ_{r<=n} w(r) 1[flagged[i_r]] / Σ_{r=1..n} w(r),
//
// where w is the browsing model and n = model.Cutoff when positive (a
// shorter list still divides by the exposure of n ranks) and the list
// length otherwise. ExposureCascade has no relevance here and equals
// ExposureGeometric. The other conventions are those of TargetingShareTo.
//
// TargetingExposureTo panics if lists is malformed, model is bad or dst
// has the wrong length. Without a cutoff the share of an empty list is NaN.
// Reference: recaudit targeting audit; METRICS-SPEC.md §4.1 (browsing
// models).
func TargetingExposureTo(dst []float64, lists Rankings, flagged []bool, model Exposure) []float64 {
	lists.check()
	model.params()
	dst = exposureDst(dst, lists.Users())
	n := lists.maxLen()
	if model.Cutoff > 0 {
		n = max(n, model.Cutoff)
	}
	w := model.WeightsTo(nil, n, nil)
	cum := make([]float64, n+1) // cum[r] = Σ_{s<r} w
	for r, v := range w {
		cum[r+1] = cum[r] + v
	}
	for u := range lists.Users() {
		list := lists.List(u)
		var num float64
		for r, it := range list {
			if targetingFlag(flagged, it) {
				num += w[r]
			}
		}
		den := cum[len(list)]
		if model.Cutoff > 0 {
			den = cum[model.Cutoff]
		}
		dst[u] = num / den
	}
	return dst
}

// Targeting holds the group breakdown of a per-user targeting value.
type Targeting struct {
	Rates []float64 // weighted mean value of each group; NaN for a group without users
	Users []float64 // weight (number of users with a value) of each group
	Most  int       // group with the highest rate, -1 when none
	Least int       // group with the lowest rate, -1 when none
	Ratio float64   // Rates[Most] / Rates[Least]
}

// TargetingRates returns the rate of each user group and the ratio between
// the most and the least targeted group,
//
//	rate(G) = Σ_{u∈G} ω_u v_u / Σ_{u∈G} ω_u,
//	ratio   = max_G rate(G) / min_G rate(G),
//
// where v holds one value per user (TargetingShareTo, TargetingShownTo or
// TargetingExposureTo; NaN values are left out), userGroup[u] is the group
// of user u in [0, nGroups) (negative: left out) and ω_u = weights[u] (nil
// means unit weights). Groups without users are NaN and take no part in
// the ratio. Ties go to the lowest group code.
//
// TargetingRates panics if len(userGroup) != len(v), weights is not nil
// and not as long, nGroups <= 0 or a code is >= nGroups. Ratio is +Inf
// when the least targeted rate is 0 and the most is not, and NaN when
// fewer than two groups have users or every rate is 0. Reference: recaudit
// targeting audit; METRICS-SPEC.md §3.2 (max/min ratio).
func TargetingRates(v []float64, userGroup []int32, nGroups int, weights []float64) Targeting {
	if len(userGroup) != len(v) {
		panic(exposureLengthMismatch)
	}
	exposureCheckWeights(weights, len(v))
	rankfairCheckGroups(userGroup, nGroups)
	t := Targeting{Rates: make([]float64, nGroups), Users: make([]float64, nGroups), Most: -1, Least: -1, Ratio: math.NaN()}
	for u, g := range userGroup {
		if g < 0 || math.IsNaN(v[u]) {
			continue
		}
		ω := exposureUserWeight(weights, u)
		t.Rates[g] += ω * v[u]
		t.Users[g] += ω
	}
	groups := 0
	for g := range t.Rates {
		if t.Users[g] == 0 {
			t.Rates[g] = math.NaN()
			continue
		}
		t.Rates[g] /= t.Users[g]
		groups++
		if t.Most < 0 || t.Rates[g] > t.Rates[t.Most] {
			t.Most = g
		}
		if t.Least < 0 || t.Rates[g] < t.Rates[t.Least] {
			t.Least = g
		}
	}
	if groups >= 2 && t.Rates[t.Most] != 0 {
		t.Ratio = t.Rates[t.Most] / t.Rates[t.Least]
	}
	return t
}
