package fairness

import "math"

// Panic messages of the rank-fairness functions.
const (
	rankfairBadTarget = "fairness: target length differs from the number of groups"
	rankfairBadEps    = "fairness: smoothing negative or NaN"
)

// rankfairCode returns the group of item it, -1 when it has none.
func rankfairCode(group []int32, it int32) int32 {
	if it < 0 || int(it) >= len(group) {
		return -1
	}
	return group[it]
}

// rankfairCheckGroups panics unless every code is below nGroups.
func rankfairCheckGroups(group []int32, nGroups int) {
	if nGroups <= 0 {
		panic(exposureBadGroups)
	}
	for _, g := range group {
		if int(g) >= nGroups {
			panic(exposureBadGroup)
		}
	}
}

// AWRF returns the attention-weighted rank fairness of one list as the TREC
// Fair Ranking track defines it,
//
//	ρ_L(g) = Σ_r w(r) a_{i_r,g} / Σ_r Σ_h w(r) a_{i_r,h}
//	AWRF   = 1 − JSD(ρ_L, ρ*),
//
// where w is the browsing model (TREC: Exposure{Model:
// ExposureClippedLog}), a_i the alignment row of item i, ρ* the target
// distribution over align.Groups groups (normalised to sum 1; catalogue
// shares, relevant-item shares, a population prior or uniform) and JSD the
// Jensen–Shannon divergence in unit (TREC: nats, scipy jensenshannon
// squared). Items of unknown group (zero or missing alignment row) are
// dropped and the others keep their ranks (TREC 2022 is_known). Range
// [0, 1] in bits and [1 − ln 2, 1] in nats; 1 is fair.
//
// AWRF panics if align is malformed, len(target) != align.Groups, model or
// unit is bad. It returns NaN when the list has no item of known group or
// target has a negative or NaN entry or no positive sum. Reference:
// Ekstrand, McDonald, Raj & Johnson, "Overview of the TREC 2021 Fair
// Ranking Track"; fair-trec/trec2022-fair-public wptrec/metrics/awrf.py;
// Sapiezynski et al., WWW 2019 Companion; METRICS-SPEC.md §4.4.
func AWRF(list []int32, align Alignment, target []float64, model Exposure, unit InfoUnit) float64 {
	align.items()
	if len(target) != align.Groups {
		panic(rankfairBadTarget)
	}
	c := unit.scale()
	w := model.WeightsTo(nil, len(list), nil)
	return 1 - rankfairJSD(list, align, exposureNormalize(target), w, make([]float64, align.Groups))*c
}

// rankfairJSD returns JSD(ρ_L, t) in nats; t is the normalised target (nil
// if invalid), w the rank weights, rho a scratch of align.Groups.
func rankfairJSD(list []int32, align Alignment, t, w, rho []float64) float64 {
	if t == nil {
		return math.NaN()
	}
	clear(rho)
	var sum float64
	for r, it := range list {
		row := align.row(it)
		for g, a := range row {
			rho[g] += w[r] * a
			sum += w[r] * a
		}
	}
	if !(sum > 0) {
		return math.NaN()
	}
	for g := range rho {
		rho[g] /= sum
	}
	return exposureJSD(rho, t)
}

// AWRFTo fills dst with AWRF of every user's list, with the conventions of
// AWRF. dst has one element per user and is overwritten; if it is nil a
// new slice is allocated. A user whose list has no item of known group
// gets NaN.
//
// AWRFTo panics as AWRF does, and if lists is malformed or dst has the
// wrong length. Reference: METRICS-SPEC.md §4.4.
func AWRFTo(dst []float64, lists Rankings, align Alignment, target []float64, model Exposure, unit InfoUnit) []float64 {
	lists.check()
	align.items()
	if len(target) != align.Groups {
		panic(rankfairBadTarget)
	}
	c := unit.scale()
	dst = exposureDst(dst, lists.Users())
	w := model.WeightsTo(nil, lists.maxLen(), nil)
	t := exposureNormalize(target)
	rho := make([]float64, align.Groups)
	for u := range lists.Users() {
		list := lists.List(u)
		dst[u] = 1 - rankfairJSD(list, align, t, w[:len(list)], rho)*c
	}
	return dst
}

// ListGroupSharesTo fills dst with the share of each group among the items
// of known group in the first k positions of list,
//
//	p_{L^k}(a) = |{r ≤ k : group(i_r) = a}| / |{r ≤ k : i_r has a group}|,
//
// where group[i] is the code of item i in [0, nGroups) (negative, or i
// beyond group: no group). k = 0 means the whole list; a k beyond the list
// is the whole list. Pass the whole-list shares as the target of NDKL for
// FairRankTune's "self" target. dst has length nGroups and is overwritten;
// if it is nil a new slice is allocated. Every share is NaN when no item
// of the prefix has a group.
//
// ListGroupSharesTo panics if nGroups <= 0, a code is >= nGroups, k < 0 or
// dst has the wrong length. Reference: Geyik, Ambler & Kenthapadi, KDD
// 2019; METRICS-SPEC.md §4.5.
func ListGroupSharesTo(dst []float64, list []int32, group []int32, nGroups, k int) []float64 {
	rankfairCheckGroups(group, nGroups)
	if k < 0 {
		panic(exposureBadCutoff)
	}
	dst = exposureDst(dst, nGroups)
	clear(dst)
	if k == 0 || k > len(list) {
		k = len(list)
	}
	var n float64
	for _, it := range list[:k] {
		if g := rankfairCode(group, it); g >= 0 {
			dst[g]++
			n++
		}
	}
	for g := range dst {
		dst[g] /= n
	}
	return dst
}

// SkewTo fills dst with the skew of every group a in the top k of list,
//
//	Skew_a@k = ln( (p_{L^k}(a) + ε) / (p*(a) + ε) ),
//
// where p_{L^k}(a) is the share of group a among the items of known group
// in the first k positions (ListGroupSharesTo), p* the desired
// distribution target (one entry per group, normalised to sum 1) and
// ε = eps >= 0 a smoothing added to both shares (0: exact, −Inf for a
// group absent from the top k; FairRankTune uses 1e-7). k = 0 means the
// whole list; a k beyond the list is the whole list. group[i] is the code
// of item i in [0, len(target)) or negative for none. dst has length
// len(target) and is overwritten; if it is nil a new slice is allocated.
// Every entry is NaN when no item of the top k has a group or the target
// is invalid (a negative or NaN entry, no positive sum).
//
// SkewTo panics if target is empty, a code is >= len(target), k < 0, eps
// is negative or NaN, or dst has the wrong length. Reference: Geyik,
// Ambler & Kenthapadi, "Fairness-Aware Ranking in Search & Recommendation
// Systems with Application to LinkedIn Talent Search", KDD 2019;
// METRICS-SPEC.md §4.5.
func SkewTo(dst []float64, list []int32, group []int32, target []float64, k int, eps float64) []float64 {
	if !(eps >= 0) {
		panic(rankfairBadEps)
	}
	dst = ListGroupSharesTo(dst, list, group, len(target), k)
	t := exposureNormalize(target)
	for a := range dst {
		if t == nil {
			dst[a] = math.NaN()
		} else {
			dst[a] = math.Log((dst[a] + eps) / (t[a] + eps))
		}
	}
	return dst
}

// MinSkew returns MinSkew@k = min_a Skew_a@k (<= 0 without smoothing;
// closer to 0 is better), with the conventions of SkewTo. It is −Inf when
// a group is absent from the top k and eps is 0, and NaN when SkewTo gives
// NaN. MinSkew panics as SkewTo does. Reference: Geyik et al., KDD 2019;
// METRICS-SPEC.md §4.5.
func MinSkew(list []int32, group []int32, target []float64, k int, eps float64) float64 {
	s := SkewTo(nil, list, group, target, k, eps)
	m := math.Inf(1)
	for _, v := range s {
		if math.IsNaN(v) {
			return v
		}
		m = min(m, v)
	}
	return m
}

// MaxSkew returns MaxSkew@k = max_a Skew_a@k (>= 0 without smoothing;
// closer to 0 is better), with the conventions of SkewTo. It is +Inf when
// a group in the top k has target share 0 and eps is 0, and NaN when
// SkewTo gives NaN. MaxSkew panics as SkewTo does. Reference: Geyik et al.,
// KDD 2019; METRICS-SPEC.md §4.5.
func MaxSkew(list []int32, group []int32, target []float64, k int, eps float64) float64 {
	s := SkewTo(nil, list, group, target, k, eps)
	m := math.Inf(-1)
	for _, v := range s {
		if math.IsNaN(v) {
			return v
		}
		m = max(m, v)
	}
	return m
}

// NDKL returns the normalised discounted KL divergence of list from the
// desired group distribution,
//
//	NDKL(L) = (1/Z) Σ_{i=1..|L|} (1/log2(i+1)) KL(D_{L^i} + ε ‖ D* + ε),
//	Z = Σ_{i=1..|L|} 1/log2(i+1),
//
// in nats, where D_{L^i} is the group distribution of the first i
// positions (ListGroupSharesTo), D* = target normalised to sum 1 and
// ε = eps >= 0 is added to both without renormalising (FairRankTune:
// 1e-7; 0: exact, with 0·log 0 = 0 and +Inf when a present group has
// target 0). Prefixes without an item of known group are left out of the
// sum and of Z. FairRankTune's NDKL takes the list's own distribution as
// the target: pass ListGroupSharesTo(nil, list, group, nGroups, 0). Range
// [0, ∞); 0 means every prefix matches the target.
//
// NDKL panics if target is empty, a code is >= len(target), or eps is
// negative or NaN. It returns NaN when no item has a group or the target
// is invalid. Reference: Geyik, Ambler & Kenthapadi, KDD 2019;
// METRICS-SPEC.md §4.5.
func NDKL(list []int32, group []int32, target []float64, eps float64) float64 {
	if !(eps >= 0) {
		panic(rankfairBadEps)
	}
	rankfairCheckGroups(group, len(target))
	t := exposureNormalize(target)
	if t == nil {
		return math.NaN()
	}
	counts := make([]float64, len(target))
	var n, sum, z float64
	for i, it := range list {
		if g := rankfairCode(group, it); g >= 0 {
			counts[g]++
			n++
		}
		if n == 0 {
			continue
		}
		var kl float64
		for a, c := range counts {
			p := c/n + eps
			if c > 0 || eps > 0 {
				kl += p * math.Log(p/(t[a]+eps))
			}
		}
		d := 1 / math.Log2(float64(i)+2)
		sum += d * kl
		z += d
	}
	if z == 0 {
		return math.NaN()
	}
	return sum / z
}
