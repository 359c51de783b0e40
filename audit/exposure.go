package audit

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/fairness"
)

// exposureAnalysis computes the provider-side analysis of item grouping ig
// at cutoff k: realised exposure shares with the catalogue and merit
// targets, and when the grouping is small enough bootstrap intervals and
// tests. gi numbers the grouping for its random stream.
func exposureAnalysis(lists fairness.Rankings, rel fairness.Relevance, nI int, ig *ItemGroups, k int, cfg Config, gi int) ExposureAnalysis {
	model := cfg.Exposure
	model.Cutoff = k
	G := len(ig.Levels)
	x := fairness.ItemExposureTo(nil, lists, nI, model, rel, nil)
	merit := fairness.ItemMeritTo(nil, rel, nI, nil)
	share := fairness.ExposureSharesTo(nil, fairness.GroupExposureAlignedTo(nil, x, ig.Align))
	tMerit := fairness.ExposureSharesTo(nil, fairness.GroupExposureAlignedTo(nil, merit, ig.Align))
	tCat := fairness.ExposureSharesTo(nil, ig.Items)
	maxG := cfg.MaxExposureGroups
	if maxG == 0 {
		maxG = 50
	}
	ea := ExposureAnalysis{
		Attribute: ig.Attribute,
		Cutoff:    k,
		Model:     model.Model.String(),
		Intervals: G <= maxG,
		Groups:    make([]ExposureGroup, G),
	}
	nanIv := fairness.Interval2{fairness.Float(math.NaN()), fairness.Float(math.NaN())}
	est := func(v float64) fairness.Estimate { return fairness.Estimate{Value: fairness.Float(v), CI: nanIv} }
	for g := range G {
		ea.Groups[g] = ExposureGroup{
			Group:       ig.Levels[g],
			Items:       fairness.Float(ig.Items[g]),
			Share:       est(share[g]),
			Catalogue:   fairness.Float(tCat[g]),
			Merit:       est(tMerit[g]),
			VsCatalogue: ShareComparison{Difference: est(share[g] - tCat[g])},
			VsMerit:     ShareComparison{Difference: est(share[g] - tMerit[g])},
		}
	}
	ea.L1Catalogue = est(fairness.L1Distance(share, tCat))
	ea.L1Merit = est(fairness.L1Distance(share, tMerit))
	if !ea.Intervals {
		return ea
	}

	// Bootstrap over users: per user, the exposure its list gives to each
	// group (columns 0..G-1) and the merit of its test items (G..2G-1).
	rows := userGroupRows(lists, rel, nI, ig, model)
	bs := fairness.Bootstrap{B: cfg.Analyze.BootstrapB, Src: rand.NewPCG(cfg.Analyze.Seed, uint64(streamExposure)<<32|uint64(gi)<<16|uint64(k))}
	reps := bs.SumReplicates(nil, rows)
	B := len(reps) / (2 * G)
	alpha := cfg.Analyze.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	sh := make([][]float64, G) // replicates of each share, merit share and differences
	mt := make([][]float64, G)
	dc := make([][]float64, G)
	dm := make([][]float64, G)
	for g := range G {
		sh[g], mt[g], dc[g], dm[g] = make([]float64, B), make([]float64, B), make([]float64, B), make([]float64, B)
	}
	l1c, l1m := make([]float64, B), make([]float64, B)
	s, t := make([]float64, G), make([]float64, G)
	for b := range B {
		row := reps[b*2*G : (b+1)*2*G]
		fairness.ExposureSharesTo(s, row[:G])
		fairness.ExposureSharesTo(t, row[G:])
		for g := range G {
			sh[g][b], mt[g][b] = s[g], t[g]
			dc[g][b], dm[g][b] = s[g]-tCat[g], s[g]-t[g]
		}
		l1c[b] = fairness.L1Distance(s, tCat)
		l1m[b] = fairness.L1Distance(s, t)
	}
	withCI := func(v float64, r []float64) fairness.Estimate {
		lo, hi := fairness.PercentileInterval(r, alpha)
		return fairness.Estimate{Value: fairness.Float(v), CI: fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}}
	}
	test := func(v float64, r []float64) *fairness.Test {
		return &fairness.Test{Method: "bootstrap", Statistic: fairness.Float(v), P: fairness.Float(fairness.BootstrapPValue(v, 0, r)),
			Q: fairness.Float(math.NaN()), Resamples: B}
	}
	for g := range G {
		eg := &ea.Groups[g]
		eg.Share = withCI(share[g], sh[g])
		eg.Merit = withCI(tMerit[g], mt[g])
		d := share[g] - tCat[g]
		eg.VsCatalogue = ShareComparison{Difference: withCI(d, dc[g]), Test: test(d, dc[g])}
		d = share[g] - tMerit[g]
		eg.VsMerit = ShareComparison{Difference: withCI(d, dm[g]), Test: test(d, dm[g])}
	}
	ea.L1Catalogue = withCI(float64(ea.L1Catalogue.Value), l1c)
	ea.L1Merit = withCI(float64(ea.L1Merit.Value), l1m)
	return ea
}

// userGroupRows returns, for every user, the exposure the user's list gives
// to each group (columns [0, G)) and the merit of the user's test items
// for each group (columns [G, 2G)), alignment-weighted.
func userGroupRows(lists fairness.Rankings, rel fairness.Relevance, nI int, ig *ItemGroups, model fairness.Exposure) fairness.SparseRows {
	G := ig.Align.Groups
	nU := lists.Users()
	rows := fairness.SparseRows{Offsets: make([]int64, nU+1), NumCols: 2 * G}
	acc := make([]float64, 2*G)
	var touched []int32
	var w []float64
	var relevant []bool
	add := func(c int, v float64) {
		if v == 0 {
			return
		}
		if acc[c] == 0 {
			touched = append(touched, int32(c))
		}
		acc[c] += v
	}
	for u := range nU {
		list := lists.List(u)
		items, grades := rel.User(u)
		if cap(w) < len(list) {
			w = make([]float64, len(list))
			relevant = make([]bool, len(list))
		}
		w, relevant = w[:len(list)], relevant[:len(list)]
		for r, it := range list {
			_, relevant[r] = slices.BinarySearch(items, it)
			if relevant[r] && grades != nil {
				j, _ := slices.BinarySearch(items, it)
				relevant[r] = grades[j] > 0
			}
		}
		model.WeightsTo(w, len(list), relevant)
		for r, it := range list {
			if int(it) >= nI || w[r] == 0 {
				continue
			}
			for g, a := range ig.Align.Weights[int(it)*G : int(it+1)*G] {
				add(g, w[r]*a)
			}
		}
		for j, it := range items {
			if int(it) >= nI {
				continue
			}
			grade := 1.0
			if grades != nil {
				grade = grades[j]
			}
			for g, a := range ig.Align.Weights[int(it)*G : int(it+1)*G] {
				add(G+g, grade*a)
			}
		}
		slices.Sort(touched)
		for _, c := range touched {
			rows.Cols = append(rows.Cols, c)
			rows.Values = append(rows.Values, acc[c])
			acc[c] = 0
		}
		touched = touched[:0]
		rows.Offsets[u+1] = int64(len(rows.Cols))
	}
	return rows
}

// targetingResult summarises the targeting of flag at cutoff k over the
// groups of ug, from the per-user shares col and the consumer analysis.
func targetingResult(a *fairness.Analysis, col []float64, ug *UserGroups, flag string, k int, metric string) TargetingResult {
	tr := TargetingResult{Flag: flag, Cutoff: k, Attribute: ug.Attribute, Metric: metric,
		Rates: []TargetedGroup{}, P: fairness.Float(math.NaN()), Q: fairness.Float(math.NaN())}
	nan := fairness.Float(math.NaN())
	tr.Ratio = fairness.Estimate{Value: nan, CI: fairness.Interval2{nan, nan}}
	var cmp *fairness.Comparison
	for i := range a.Comparisons {
		c := &a.Comparisons[i]
		if c.Metric == metric && c.Attribute == ug.Attribute {
			cmp = c
			break
		}
	}
	if cmp == nil || len(ug.Levels) == 0 {
		return tr
	}
	// Withheld groups take no part (their users are left out).
	codes := ug.Codes
	withheld := false
	for _, ge := range cmp.Groups {
		withheld = withheld || ge.Withheld
	}
	if withheld {
		codes = slices.Clone(codes)
		for u, c := range codes {
			if c >= 0 && cmp.Groups[c].Withheld {
				codes[u] = -1
			}
		}
	}
	rates := fairness.TargetingRates(col, codes, len(ug.Levels), nil)
	for g, ge := range cmp.Groups {
		tr.Rates = append(tr.Rates, TargetedGroup{Group: ge.Group, N: ge.N, Rate: fairness.Float(rates.Rates[g]), CI: ge.CI})
	}
	if rates.Most >= 0 {
		tr.Most, tr.Least = ug.Levels[rates.Most], ug.Levels[rates.Least]
	}
	tr.Ratio.Value = fairness.Float(rates.Ratio)
	for _, d := range cmp.Disparities {
		if d.Aggregator == fairness.MinMaxRatio.String() {
			// max/min = 1/(min/max); the percentile interval of a monotone
			// decreasing function of the replicates is the image of the
			// interval with its ends swapped.
			tr.Ratio.CI = fairness.Interval2{1 / d.CI[1], 1 / d.CI[0]}
		}
	}
	return tr
}
