package audit

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/fairness"
)

// providerAnalyses computes the provider-side analysis of every item
// grouping at every cutoff: realised exposure shares with the catalogue
// and merit targets, and for groupings with at most MaxExposureGroups
// groups bootstrap intervals and tests. All bootstrapped groupings and
// cutoffs share one set of resamples of the users (one
// fairness.Bootstrap.SumReplicates call), so their intervals are paired.
func providerAnalyses(lists fairness.Rankings, rel fairness.Relevance, nI int, groups []*ItemGroups, cutoffs []int, cfg Config) []ExposureAnalysis {
	maxG := cfg.MaxExposureGroups
	if maxG == 0 {
		maxG = 50
	}
	alpha := cfg.Analyze.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	merit := fairness.ItemMeritTo(nil, rel, nI, nil)
	out := []ExposureAnalysis{}
	// Columns of the shared bootstrap: per bootstrapped grouping its merit
	// block, then an exposure block per cutoff.
	type block struct {
		analysis int // index in out, -1 for a merit block
		ig       *ItemGroups
		model    fairness.Exposure
		merit    bool
		col      int // first column
	}
	var blocks []block
	ncol := 0
	meritCol := map[*ItemGroups]int{}
	for _, ig := range groups {
		G := len(ig.Levels)
		boot := G <= maxG
		if boot {
			meritCol[ig] = ncol
			blocks = append(blocks, block{analysis: -1, ig: ig, merit: true, col: ncol})
			ncol += G
		}
		tMerit := fairness.ExposureSharesTo(nil, fairness.GroupExposureAlignedTo(nil, merit, ig.Align))
		tCat := fairness.ExposureSharesTo(nil, ig.Items)
		for _, k := range cutoffs {
			model := cfg.Exposure
			model.Cutoff = k
			x := fairness.ItemExposureTo(nil, lists, nI, model, rel, nil)
			share := fairness.ExposureSharesTo(nil, fairness.GroupExposureAlignedTo(nil, x, ig.Align))
			out = append(out, pointAnalysis(ig, k, model, share, tCat, tMerit, boot))
			if boot {
				blocks = append(blocks, block{analysis: len(out) - 1, ig: ig, model: model, col: ncol})
				ncol += G
			}
		}
	}
	if len(blocks) == 0 {
		return out
	}
	// Per user, the exposure its list gives to each group of each block and
	// the merit of its test items, alignment-weighted.
	rows := fairness.SparseRows{Offsets: make([]int64, lists.Users()+1), NumCols: ncol}
	acc := make([]float64, ncol)
	var touched []int32
	add := func(c int, v float64) {
		if v == 0 {
			return
		}
		if acc[c] == 0 {
			touched = append(touched, int32(c))
		}
		acc[c] += v
	}
	weights := make([]rankWeights, len(blocks))
	for i, b := range blocks {
		if !b.merit {
			weights[i] = newRankWeights(lists, b.model)
		}
	}
	for u := range lists.Users() {
		list := lists.List(u)
		items, grades := rel.User(u)
		for i, b := range blocks {
			G := b.ig.Align.Groups
			if b.merit {
				for j, it := range items {
					if int(it) >= nI {
						continue
					}
					grade := 1.0
					if grades != nil {
						grade = grades[j]
					}
					for g, a := range b.ig.Align.Weights[int(it)*G : int(it+1)*G] {
						add(b.col+g, grade*a)
					}
				}
				continue
			}
			w := weights[i].of(list, items, grades)
			for r, it := range list {
				if int(it) >= nI || w[r] == 0 {
					continue
				}
				for g, a := range b.ig.Align.Weights[int(it)*G : int(it+1)*G] {
					add(b.col+g, w[r]*a)
				}
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
	bs := fairness.Bootstrap{B: cfg.Analyze.BootstrapB, Src: rand.NewPCG(cfg.Analyze.Seed, streamExposure)}
	reps := bs.SumReplicates(nil, rows)
	B := len(reps) / ncol
	for _, b := range blocks {
		if b.merit {
			continue
		}
		ea := &out[b.analysis]
		G := len(b.ig.Levels)
		mc := meritCol[b.ig]
		tCat := make([]float64, G)
		for g := range G {
			tCat[g] = float64(ea.Groups[g].Catalogue)
		}
		sh := make([][]float64, G)
		mt := make([][]float64, G)
		dc := make([][]float64, G)
		dm := make([][]float64, G)
		for g := range G {
			sh[g], mt[g], dc[g], dm[g] = make([]float64, B), make([]float64, B), make([]float64, B), make([]float64, B)
		}
		l1c, l1m := make([]float64, B), make([]float64, B)
		s, t := make([]float64, G), make([]float64, G)
		for r := range B {
			row := reps[r*ncol : (r+1)*ncol]
			fairness.ExposureSharesTo(s, row[b.col:b.col+G])
			fairness.ExposureSharesTo(t, row[mc:mc+G])
			for g := range G {
				sh[g][r], mt[g][r] = s[g], t[g]
				dc[g][r], dm[g][r] = s[g]-tCat[g], s[g]-t[g]
			}
			l1c[r] = fairness.L1Distance(s, tCat)
			l1m[r] = fairness.L1Distance(s, t)
		}
		withCI := func(v fairness.Float, r []float64) fairness.Estimate {
			lo, hi := fairness.PercentileInterval(r, alpha)
			return fairness.Estimate{Value: v, CI: fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}}
		}
		test := func(v fairness.Float, r []float64) *fairness.Test {
			return &fairness.Test{Method: "bootstrap", Statistic: v, P: fairness.Float(fairness.BootstrapPValue(float64(v), 0, r)),
				Q: fairness.Float(math.NaN()), Resamples: B}
		}
		for g := range G {
			eg := &ea.Groups[g]
			eg.Share = withCI(eg.Share.Value, sh[g])
			eg.Merit = withCI(eg.Merit.Value, mt[g])
			d := eg.VsCatalogue.Difference.Value
			eg.VsCatalogue = ShareComparison{Difference: withCI(d, dc[g]), Test: test(d, dc[g])}
			d = eg.VsMerit.Difference.Value
			eg.VsMerit = ShareComparison{Difference: withCI(d, dm[g]), Test: test(d, dm[g])}
		}
		ea.L1Catalogue = withCI(ea.L1Catalogue.Value, l1c)
		ea.L1Merit = withCI(ea.L1Merit.Value, l1m)
	}
	return out
}

// pointAnalysis returns the analysis of one grouping at one cutoff with
// point values only.
func pointAnalysis(ig *ItemGroups, k int, model fairness.Exposure, share, tCat, tMerit []float64, intervals bool) ExposureAnalysis {
	G := len(ig.Levels)
	nanIv := fairness.Interval2{fairness.Float(math.NaN()), fairness.Float(math.NaN())}
	est := func(v float64) fairness.Estimate { return fairness.Estimate{Value: fairness.Float(v), CI: nanIv} }
	ea := ExposureAnalysis{
		Attribute: ig.Attribute,
		Cutoff:    k,
		Model:     model.Model.String(),
		Intervals: intervals,
		Groups:    make([]ExposureGroup, G),
	}
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
	return ea
}

// rankWeights gives the exposure of each rank of a user's list: one table
// for every model but the cascade, whose weights depend on the relevance
// of the items above each rank.
type rankWeights struct {
	model    fairness.Exposure
	table    []float64
	w        []float64
	relevant []bool
}

func newRankWeights(lists fairness.Rankings, model fairness.Exposure) rankWeights {
	maxLen := 0
	for u := range lists.Users() {
		maxLen = max(maxLen, len(lists.List(u)))
	}
	rw := rankWeights{model: model, table: model.WeightsTo(nil, maxLen, nil)}
	if model.Model == fairness.ExposureCascade {
		rw.w, rw.relevant = make([]float64, maxLen), make([]bool, maxLen)
	}
	return rw
}

// of returns the weights of the ranks of list, given the user's judged
// items (sorted) and grades.
func (rw *rankWeights) of(list, items []int32, grades []float64) []float64 {
	if rw.w == nil {
		return rw.table[:len(list)]
	}
	w, rel := rw.w[:len(list)], rw.relevant[:len(list)]
	for r, it := range list {
		j, ok := slices.BinarySearch(items, it)
		rel[r] = ok && (grades == nil || grades[j] > 0)
	}
	return rw.model.WeightsTo(w, len(list), rel)
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
		tr.Rates = append(tr.Rates, TargetedGroup{Group: ge.Group, N: ge.N, Rate: fairness.Float(rates.Rates[g]), CI: ge.CI, Withheld: ge.Withheld})
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
