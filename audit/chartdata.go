package audit

import (
	"math"
	"slices"

	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
)

// LorenzPoints is the number of points of a stored Lorenz curve over a
// catalogue of at least LorenzPoints−1 items (one every percent of the
// items, both ends included).
const LorenzPoints = 101

// LorenzCurve is the Lorenz curve of the item exposure of one system's
// lists at one cutoff, with its Gini index: the chart data of a report,
// kept in the result so that a report can be drawn from the result alone.
// It aggregates over items, never over single users.
type LorenzCurve struct {
	Cutoff int `json:"cutoff"`
	// Model is the browsing model of the exposure (Settings.ExposureModel).
	Model string `json:"model"`
	// Items is the catalogue size n.
	Items int `json:"items"`
	// Gini is the Gini index of the item exposures (METRICS-SPEC.md §2.2,
	// metrics.GiniStandard), the system's exposure_gini@k; NaN (null) when
	// no item is exposed.
	Gini fairness.Float `json:"gini"`
	// ItemShare and ExposureShare are the points of the curve: the least
	// exposed ItemShare[i] of the items receive ExposureShare[i] of the
	// exposure. With m = min(n, LorenzPoints−1) the points are at
	// j_i = ⌊i·n/m⌋ items, i = 0..m, so ItemShare[i] = j_i/n exactly and
	// the curve runs from (0, 0) to (1, 1). Both are empty when Gini is
	// NaN.
	ItemShare     []fairness.Float `json:"item_share"`
	ExposureShare []fairness.Float `json:"exposure_share"`
}

// RankExposure is the exposure of each rank position of one system's
// lists, ranks 1..K, where K is the largest cutoff (the longest list when
// a cutoff is 0, the whole list): the chart data of "exposure by rank
// position".
type RankExposure struct {
	// Cutoff is the largest cutoff (0: whole lists).
	Cutoff int `json:"cutoff"`
	// Model is the browsing model of the provider-side analysis.
	Model string `json:"model"`
	// Lists[r-1] is the number of lists that have a rank r.
	Lists []int `json:"lists"`
	// MeanExposure[r-1] is the mean exposure of rank r over the users with
	// a non-empty list, a list shorter than r counting 0:
	//
	//	mean(r) = Σ_u w_u(r) / |{u : L_u ≠ ∅}|,
	//
	// w_u(r) the weight of rank r in u's list under Model (for the cascade
	// model it depends on the relevance of the items above r). NaN (null)
	// when no user has a list.
	MeanExposure []fairness.Float `json:"mean_exposure"`
	// Groupings holds, for every item grouping with at most
	// Config.MaxExposureGroups groups (those with intervals in Provider),
	// each group's share of the exposure at each rank.
	Groupings []RankShares `json:"groupings"`
}

// RankShares is the share of the exposure at each rank that goes to each
// group of one item grouping.
type RankShares struct {
	Attribute string           `json:"attribute"`
	Groups    []RankGroupShare `json:"groups"`
}

// RankGroupShare is one item group's share of the exposure at each rank,
//
//	share_g(r) = Σ_u w_u(r) a(L_u(r), g) / Σ_u w_u(r),
//
// a(i, g) the item's alignment weight for the group (1 for its group; 1/m
// for each of m groups of a multi-valued attribute; 0 without a value, so
// that the shares of a rank sum to less than 1 when some items have no
// group). Share[r-1] is NaN (null) when no list has rank r or its total
// weight is 0.
type RankGroupShare struct {
	Group string           `json:"group"`
	Share []fairness.Float `json:"share"`
}

// lorenzCurves returns the Lorenz curve of the item exposure at every
// cutoff: the exposure of metrics.ItemCounts with the weights of the
// exposure model without relevance, as for exposure_gini in
// systemMetrics, so that the Gini indexes agree.
func lorenzCurves(lists metrics.Rankings, nI int, cutoffs []int, cfg Config) []LorenzCurve {
	maxLen := 0
	for u := range lists.Users() {
		maxLen = max(maxLen, len(lists.List(u)))
	}
	out := make([]LorenzCurve, 0, len(cutoffs))
	for _, k := range cutoffs {
		model := cfg.Exposure
		model.Cutoff = k
		x := metrics.ItemCounts(lists, k, nI, model.WeightsTo(nil, max(maxLen, k), nil))
		lc := LorenzCurve{Cutoff: k, Model: model.Model.String(), Items: nI,
			Gini: fairness.Float(metrics.Gini(x, metrics.GiniStandard)), ItemShare: []fairness.Float{}, ExposureShare: []fairness.Float{}}
		if !lc.Gini.IsNaN() {
			lc.ItemShare, lc.ExposureShare = lorenzPoints(x)
		}
		out = append(out, lc)
	}
	return out
}

// lorenzPoints returns the points of the Lorenz curve of x (non-negative,
// positive sum) at j_i = ⌊i·n/m⌋, m = min(n, LorenzPoints−1). x is not
// modified.
func lorenzPoints(x []float64) (items, exposure []fairness.Float) {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	cum := make([]float64, n+1)
	for j, v := range s {
		cum[j+1] = cum[j] + v
	}
	m := min(n, LorenzPoints-1)
	items = make([]fairness.Float, m+1)
	exposure = make([]fairness.Float, m+1)
	for i := range m + 1 {
		j := i * n / m
		items[i] = fairness.Float(float64(j) / float64(n))
		exposure[i] = fairness.Float(cum[j] / cum[n])
	}
	return items, exposure
}

// rankExposure returns the exposure of each rank 1..K of the lists, K the
// largest cutoff (or the longest list when a cutoff is 0), under the
// exposure model of the provider-side analysis, with the share of every
// group of the groupings with at most MaxExposureGroups groups.
func rankExposure(lists fairness.Rankings, rel fairness.Relevance, nI int, groups []*ItemGroups, cutoffs []int, cfg Config) RankExposure {
	maxG := cfg.MaxExposureGroups
	if maxG == 0 {
		maxG = 50
	}
	maxLen := 0
	for u := range lists.Users() {
		maxLen = max(maxLen, len(lists.List(u)))
	}
	K := 0
	for _, k := range cutoffs {
		K = max(K, k)
	}
	if slices.Contains(cutoffs, 0) {
		K = max(K, maxLen)
	}
	model := cfg.Exposure
	model.Cutoff = K
	if slices.Contains(cutoffs, 0) {
		model.Cutoff = 0
	}
	re := RankExposure{Cutoff: model.Cutoff, Model: model.Model.String(), Lists: make([]int, K),
		MeanExposure: make([]fairness.Float, K), Groupings: []RankShares{}}
	var kept []*ItemGroups
	for _, ig := range groups {
		if len(ig.Levels) <= maxG {
			kept = append(kept, ig)
		}
	}
	total := make([]float64, K)
	shares := make([][]float64, len(kept)) // per grouping: group-major, G×K
	for i, ig := range kept {
		shares[i] = make([]float64, len(ig.Levels)*K)
	}
	withList := 0
	rw := newRankWeights(lists, model)
	for u := range lists.Users() {
		list := lists.List(u)
		if len(list) == 0 {
			continue
		}
		withList++
		items, grades := rel.User(u)
		w := rw.of(list, items, grades)
		for r, it := range list[:min(len(list), K)] {
			re.Lists[r]++
			total[r] += w[r]
			if w[r] == 0 || int(it) >= nI {
				continue
			}
			for i, ig := range kept {
				G := ig.Align.Groups
				for g, a := range ig.Align.Weights[int(it)*G : int(it+1)*G] {
					shares[i][g*K+r] += w[r] * a
				}
			}
		}
	}
	for r := range K {
		re.MeanExposure[r] = fairness.Float(total[r] / float64(withList))
	}
	for i, ig := range kept {
		rs := RankShares{Attribute: ig.Attribute, Groups: make([]RankGroupShare, len(ig.Levels))}
		for g, level := range ig.Levels {
			s := make([]fairness.Float, K)
			for r := range K {
				s[r] = fairness.Float(math.NaN())
				if total[r] > 0 {
					s[r] = fairness.Float(shares[i][g*K+r] / total[r])
				}
			}
			rs.Groups[g] = RankGroupShare{Group: level, Share: s}
		}
		re.Groupings = append(re.Groupings, rs)
	}
	return re
}
