package fairness

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Panic messages of Analyze.
const (
	analyzeLength   = "fairness: per-user column or grouping of the wrong length"
	analyzeCode     = "fairness: group code outside the grouping's levels"
	analyzeMinUsers = "fairness: negative minimum number of users"
)

// UserColumn is one named per-user column of a [PerUser] table: Values[u]
// is the value of user u, NaN when the user is excluded from this metric
// (for example a user without relevant test items).
type UserColumn struct {
	Name   string
	Values []float64
}

// PerUser is a per-user metric table: every column has one value per user,
// users in the same order in every column.
type PerUser []UserColumn

// Grouping assigns users to the groups of one attribute: Codes[u] is the
// index in Levels of user u's group, or -1 for a user in no group (a
// missing value, or a group suppressed for its size).
type Grouping struct {
	Attribute string
	Levels    []string
	Codes     []int32
}

// AnalyzeConfig holds the settings of [Analyze]. The zero value is the
// toolkit default of METRICS-SPEC.md §7: 1000 stratified bootstrap
// resamples, 95% percentile intervals, aggregators MaxMinDiff and
// MinMaxRatio, permutation tests with an automatic number of relabelings
// (see [AnalyzeConfig.PermutationResamples]) that are exact when there are
// at most 100 000 relabelings, and seed 0.
type AnalyzeConfig struct {
	// BootstrapB is the number of bootstrap resamples; 0 means 1000.
	BootstrapB int
	// Alpha is the error rate of the intervals (coverage 1 − Alpha); 0
	// means 0.05.
	Alpha float64
	// Unstratified resamples all grouped users together instead of within
	// each group (see [Bootstrap]).
	Unstratified bool
	// PermutationB is the number of Monte Carlo relabelings of every
	// permutation test; 0 means automatic, see
	// [AnalyzeConfig.PermutationResamples].
	PermutationB int
	// MaxExact is the largest number of distinct relabelings enumerated
	// exactly, as in [Permutation]; 0 means 100 000, negative never.
	MaxExact int
	// Aggregators lists the disparities to estimate and test; nil means
	// MaxMinDiff and MinMaxRatio.
	Aggregators []Aggregator
	// MinUsers withholds small groups: a group with fewer than MinUsers
	// users with a value in a column is treated as empty for that column
	// (value, interval and disparities leave it out) and marked Withheld.
	// 0 or 1 withholds nothing.
	MinUsers int
	// Complementary also withholds, while the withheld groups of a column
	// with users with a value are a single one or hold fewer than MinUsers
	// such users together, the remaining group with the fewest users with
	// a value (ties: the first level). Set it when a total over all the
	// groups' users is reported elsewhere (a metric's mean over all users,
	// with its number of users): that total less the reported groups would
	// otherwise give the withheld group's number of users and the sum of
	// its values (complementary suppression).
	Complementary bool
	// Withhold, if not nil, is called for every grouping and column once
	// the groups of MinUsers and Complementary are marked in withheld
	// (one entry per level); it may mark more, and never unmarks any.
	// values are the column's per-user values, grouping the index of the
	// grouping. It is called from one goroutine at a time and must not
	// keep or modify values or withheld.
	Withhold func(grouping int, values []float64, withheld []bool)
	// Seed selects every random stream of the analysis.
	Seed uint64
}

// Default number of permutation relabelings and the work budget of the
// automatic rule.
const (
	analyzePermB      = 10_000
	analyzePermMinB   = 1_000
	analyzePermBudget = 100_000_000 // relabeled users per test
)

// PermutationResamples returns the number of Monte Carlo relabelings used
// for a test over n users: PermutationB when it is set; otherwise the
// default 10 000 of METRICS-SPEC.md §7 while 10 000·n stays within a budget
// of 10⁸ relabeled users (n ≤ 10 000), and fewer for larger n,
//
//	B = max(1000, ⌊10⁸ / n⌋ rounded down to a multiple of 100),
//
// so that the cost of an analysis grows no faster than its number of
// tests: 5000 relabelings at 20 000 users, 2000 at 50 000, 1000 from
// 100 000 on. With many users a sampled relabeling rarely changes the
// verdict; what B limits is the resolution of the p-value, which is never
// below 1/(B+1). After Benjamini–Hochberg correction over m tests a lone
// effect at that floor gets q = m/(B+1), so with hundreds of tests on a
// large sample set PermutationB (or rely on the effect showing in several
// tests, which share the correction).
func (c AnalyzeConfig) PermutationResamples(n int) int {
	if c.PermutationB < 0 {
		panic(errResamples)
	}
	if c.PermutationB > 0 {
		return c.PermutationB
	}
	if n <= 0 || analyzePermB*n <= analyzePermBudget {
		return analyzePermB
	}
	b := analyzePermBudget / n / 100 * 100
	return max(analyzePermMinB, b)
}

func (c AnalyzeConfig) aggregators() []Aggregator {
	if c.Aggregators == nil {
		return []Aggregator{MaxMinDiff, MinMaxRatio}
	}
	for _, a := range c.Aggregators {
		a.FairValue() // panics on a bad aggregator
	}
	return c.Aggregators
}

// Analysis is the result of [Analyze]: one Comparison per (attribute,
// metric), attributes in the order of the groupings and metrics in the
// order of the table's columns. Its fields have stable JSON names; NaN
// values marshal as null.
type Analysis struct {
	Settings    AnalysisSettings `json:"settings"`
	Comparisons []Comparison     `json:"comparisons"`
}

// AnalysisSettings records the resolved settings of an analysis.
type AnalysisSettings struct {
	BootstrapResamples int      `json:"bootstrap_resamples"`
	Alpha              Float    `json:"alpha"`
	Stratified         bool     `json:"stratified"`
	MaxExact           int      `json:"max_exact"`
	Aggregators        []string `json:"aggregators"`
	MinUsers           int      `json:"min_users"`
	Seed               uint64   `json:"seed"`
}

// Comparison holds the group analysis of one metric over the groups of one
// attribute.
type Comparison struct {
	Metric    string `json:"metric"`
	Attribute string `json:"attribute"`
	// Overall is the user-weighted mean of the grouped users with a value
	// ([UserWeightedMean]), with its bootstrap interval.
	Overall Estimate `json:"overall"`
	// Groups holds one entry per level of the grouping, in level order.
	Groups []GroupEstimate `json:"groups"`
	// Highest and Lowest name the groups with the highest and lowest value
	// (ties: the first level); empty when fewer than two groups have a
	// value.
	Highest string `json:"highest"`
	Lowest  string `json:"lowest"`
	// Disparities holds one entry per aggregator, with its permutation
	// test.
	Disparities []DisparityResult `json:"disparities"`
	// KruskalWallis is the rank test of equal distributions across the
	// groups ([KruskalWallis]).
	KruskalWallis Test `json:"kruskal_wallis"`
}

// Estimate is a point estimate with its bootstrap percentile interval.
type Estimate struct {
	Value Float     `json:"value"`
	CI    Interval2 `json:"ci"`
}

// GroupEstimate is the value of one group.
type GroupEstimate struct {
	Group string `json:"group"`
	// N counts the group's users with a value, Excluded those whose value
	// is NaN ([GroupCounts], [GroupExcluded]). Both are 0 for a withheld
	// group and marshal as JSON null: a count below the minimum is never
	// published (and the group's size less Excluded would give N).
	N        int       `json:"n"`
	Excluded int       `json:"excluded"`
	Value    Float     `json:"value"`
	CI       Interval2 `json:"ci"`
	// VsRest is the difference between the group's value and the mean of
	// the users of all other groups ([OneVsRestDiff]), with its bootstrap
	// interval (NaN for an unstratified bootstrap, whose group sizes vary).
	VsRest Estimate `json:"vs_rest"`
	// Withheld reports that the group's number of users with a value is
	// below AnalyzeConfig.MinUsers, or that the group is withheld to
	// protect such a group (AnalyzeConfig.Complementary and Withhold):
	// N, Excluded, Value, CI and VsRest are not given (0 or NaN) and the
	// group takes no part in the overall value, the disparities and the
	// tests.
	Withheld bool `json:"withheld"`
}

// DisparityResult is one disparity with its interval and test.
type DisparityResult struct {
	Aggregator string    `json:"aggregator"`
	Estimate   Float     `json:"estimate"`
	CI         Interval2 `json:"ci"`
	FairValue  Float     `json:"fair_value"`
	Test       Test      `json:"test"`
}

// Test is a hypothesis test with its p-value and, after
// [AdjustBH], its Benjamini–Hochberg q-value.
type Test struct {
	// Method is "permutation" (Monte Carlo), "exact-permutation",
	// "kruskal-wallis" (χ² approximation), or a method named by the
	// caller, e.g. "bootstrap".
	Method    string `json:"method"`
	Statistic Float  `json:"statistic"`
	// DF is the degrees of freedom of a χ² or t test, 0 otherwise.
	DF int   `json:"df"`
	P  Float `json:"p"`
	Q  Float `json:"q"`
	// Resamples is the number of relabelings or resamples (all of them for
	// an exact test), 0 for an asymptotic test.
	Resamples int `json:"resamples"`
}

// Tests returns pointers to every test of the analysis, in a fixed order
// (comparison by comparison: the disparities, then Kruskal–Wallis), for
// [AdjustBH] over a larger family.
func (a *Analysis) Tests() []*Test {
	var ts []*Test
	for i := range a.Comparisons {
		c := &a.Comparisons[i]
		for j := range c.Disparities {
			ts = append(ts, &c.Disparities[j].Test)
		}
		ts = append(ts, &c.KruskalWallis)
	}
	return ts
}

// AdjustBH sets the Q of every test to its Benjamini–Hochberg adjusted
// p-value within the family of all the given tests ([BenjaminiHochberg]:
// tests with a NaN P are left out of the family and get a NaN Q). Use it on
// the tests of a whole audit, so that the false discovery rate is
// controlled over everything reported together (METRICS-SPEC.md §6.3).
func AdjustBH(tests []*Test) {
	p := make([]float64, len(tests))
	for i, t := range tests {
		p[i] = float64(t.P)
	}
	q := BenjaminiHochberg(nil, p)
	for i, t := range tests {
		t.Q = Float(q[i])
	}
}

// Analyze runs the consumer-side group analysis of METRICS-SPEC.md §3.1–3.3
// and §6 for every metric of table over the groups of every grouping: per
// group the mean, its size, its number of excluded users and a bootstrap
// percentile interval; the overall mean; every disparity of
// cfg.Aggregators with its bootstrap interval and a two-sided permutation
// test; and the Kruskal–Wallis test. Q-values are Benjamini–Hochberg
// adjusted over all the tests of the analysis; call [AdjustBH] on the tests
// of several analyses to correct over a larger family.
//
// # Methods
//
// Columns whose users with a value are the same (for example all accuracy
// metrics, which exclude the same users) form a set that shares its
// resamples and relabelings, which makes many metrics cost little more than
// one. Intervals are percentile intervals of the replicates of
// [Bootstrap.ReplicatesMulti] on the users of the set (stratified by group
// unless cfg.Unstratified, so group sizes are fixed), and the intervals of
// the metrics of a set are paired; for every column they are those
// [Bootstrap.Groups] gives for it alone with the same stream, up to
// rounding. Each group also gets its difference to the rest of the users
// with an interval: a signed contrast between fixed sets of users, whose
// true value is 0 when groups do not differ. Disparity tests are the
// permutation test of [Permutation.Disparity]: labels are permuted among
// the grouped users that have a value, group sizes fixed; the p-value is
// two-sided around the aggregator's fair value; sharing the relabelings of
// a set leaves each test an exact-size permutation test of its own column.
// When a column's relabelings number at most cfg.MaxExact they are
// enumerated ([Permutation.Disparity] itself runs); otherwise
// cfg.PermutationResamples(n) are sampled.
//
// # Randomness
//
// Every random stream derives from cfg.Seed and the position of the
// grouping (and of the column set), so the result depends on the inputs and
// the seed only, not on GOMAXPROCS. Work runs in parallel on GOMAXPROCS
// goroutines.
//
// # Cost
//
// Per grouping and column set of n users and K columns: bootstrap draws of
// B·n users plus B·n·K multiply-adds, and relabelings costing about
// P·n·(1 + K) operations for P = cfg.PermutationResamples(n), the
// relabelings of a chunk summed in one cache-friendly pass over the users.
// On the 2-core reference machine, 100 000 users, 12 columns and three
// groupings take about 10 s of CPU time (B = P = 1000).
//
// # Undefined values
//
// A group without users with a value (or withheld) has NaN value and
// interval; a disparity is NaN with fewer than two such groups; ratios of
// negative values are NaN (see [Aggregator]). Tests of NaN statistics have
// NaN p- and q-values. NaN marshals to JSON as null.
//
// Analyze panics if a column or a grouping's codes do not have one entry
// per user (the length of the first column, or of the first grouping when
// table is empty), if a code lies outside [-1, len(Levels)), or on a bad
// setting (negative resamples, Alpha outside [0, 1), a bad aggregator,
// negative MinUsers). table and groups are not modified.
func Analyze(table PerUser, groups []Grouping, cfg AnalyzeConfig) *Analysis {
	aggs := cfg.aggregators()
	bsB := Bootstrap{B: cfg.BootstrapB}.resamples()
	alpha := Bootstrap{Alpha: cfg.Alpha}.alpha()
	cfg.PermutationResamples(0) // panics on a negative PermutationB
	if cfg.MinUsers < 0 {
		panic(analyzeMinUsers)
	}
	nUsers := -1
	if len(table) > 0 {
		nUsers = len(table[0].Values)
	} else if len(groups) > 0 {
		nUsers = len(groups[0].Codes)
	}
	for _, c := range table {
		if len(c.Values) != nUsers {
			panic(analyzeLength)
		}
	}
	for _, g := range groups {
		if len(g.Codes) != nUsers {
			panic(analyzeLength)
		}
		for _, c := range g.Codes {
			if c < -1 || int(c) >= len(g.Levels) {
				panic(analyzeCode)
			}
		}
	}
	maxExact := cfg.MaxExact
	if maxExact == 0 {
		maxExact = 100000
	}
	res := &Analysis{Settings: AnalysisSettings{
		BootstrapResamples: bsB,
		Alpha:              Float(alpha),
		Stratified:         !cfg.Unstratified,
		MaxExact:           maxExact,
		MinUsers:           cfg.MinUsers,
		Seed:               cfg.Seed,
	}}
	for _, a := range aggs {
		res.Settings.Aggregators = append(res.Settings.Aggregators, a.String())
	}
	for gi, g := range groups {
		res.Comparisons = append(res.Comparisons, analyzeGrouping(table, g, gi, aggs, cfg, bsB, alpha)...)
	}
	AdjustBH(res.Tests())
	return res
}

// analyzeSeed returns the source of stream k of grouping gi: stream 2s
// bootstraps column set s, stream 2s+1 tests it.
func analyzeSeed(seed uint64, gi, k int) *rand.PCG {
	return rand.NewPCG(seed, mix64(uint64(gi)<<8|uint64(k)))
}

// analyzeGrouping analyses every column over one grouping.
func analyzeGrouping(table PerUser, g Grouping, gi int, aggs []Aggregator, cfg AnalyzeConfig, bsB int, alpha float64) []Comparison {
	G := len(g.Levels)
	codes := g.Codes
	// Withhold groups with fewer than MinUsers users with a value, and
	// their complements.
	cols := make([][]float64, len(table))
	withheld := make([][]bool, len(table))
	for k, c := range table {
		counts := GroupCounts(nil, c.Values, codes, G)
		withheld[k] = withholdGroups(counts, cfg)
		if cfg.Withhold != nil {
			w := slices.Clone(withheld[k])
			cfg.Withhold(gi, c.Values, w)
			for h := range w {
				withheld[k][h] = withheld[k][h] || w[h]
			}
		}
		cols[k] = c.Values
		if slices.Contains(withheld[k], true) {
			v := make([]float64, len(c.Values))
			for u, x := range c.Values {
				if codes[u] >= 0 && withheld[k][codes[u]] {
					x = math.NaN()
				}
				v[u] = x
			}
			cols[k] = v
		}
	}
	// Columns with the same users with a value are bootstrapped together
	// (shared, paired resamples of those users only) and tested together.
	sets := analyzeMasks(cols, codes)
	intervals := make([]GroupIntervals, len(cols))
	vsRest := make([][]Interval, len(cols))
	masked := make([]int32, len(codes))
	for si, idx := range sets {
		first := cols[idx[0]]
		for u, g := range codes {
			if math.IsNaN(first[u]) {
				g = -1
			}
			masked[u] = g
		}
		setCols := make([][]float64, len(idx))
		for j, k := range idx {
			setCols[j] = cols[k]
		}
		bs := Bootstrap{B: bsB, Alpha: alpha, Unstratified: cfg.Unstratified, Aggregators: aggs, Src: analyzeSeed(cfg.Seed, gi, 2*si)}
		reps := bs.ReplicatesMulti(nil, setCols, masked, G)
		for j, k := range idx {
			intervals[k], vsRest[k] = analyzeIntervals(reps, j, len(idx), setCols[j], masked, G, aggs, alpha, !cfg.Unstratified)
		}
	}
	tests := analyzePermutations(cols, codes, G, sets, aggs, cfg, func(si int) uint64 { return analyzeSeed(cfg.Seed, gi, 2*si+1).Uint64() })
	out := make([]Comparison, len(table))
	for k, c := range table {
		iv := intervals[k]
		cmp := Comparison{
			Metric:    c.Name,
			Attribute: g.Attribute,
			Overall:   Estimate{Value: Float(iv.Overall.Estimate), CI: interval2(iv.Overall)},
			Groups:    make([]GroupEstimate, G),
		}
		excluded := GroupExcluded(nil, c.Values, codes, G)
		counts := GroupCounts(nil, c.Values, codes, G)
		hi, lo := -1, -1
		for h := range G {
			ge := GroupEstimate{
				Group:    g.Levels[h],
				N:        counts[h],
				Excluded: excluded[h],
				Value:    Float(iv.Groups[h].Estimate),
				CI:       interval2(iv.Groups[h]),
				VsRest:   Estimate{Value: Float(vsRest[k][h].Estimate), CI: interval2(vsRest[k][h])},
				Withheld: withheld[k][h],
			}
			if ge.Withheld {
				ge.N, ge.Excluded = 0, 0
			}
			cmp.Groups[h] = ge
			v := iv.Groups[h].Estimate
			if math.IsNaN(v) {
				continue
			}
			if hi < 0 || v > iv.Groups[hi].Estimate {
				hi = h
			}
			if lo < 0 || v < iv.Groups[lo].Estimate {
				lo = h
			}
		}
		if countDefined(iv.Groups) >= 2 {
			cmp.Highest, cmp.Lowest = g.Levels[hi], g.Levels[lo]
		}
		for a, agg := range aggs {
			d := iv.Disparities[a]
			cmp.Disparities = append(cmp.Disparities, DisparityResult{
				Aggregator: agg.String(),
				Estimate:   Float(d.Estimate),
				CI:         interval2(d),
				FairValue:  Float(agg.FairValue()),
				Test:       tests[k][a],
			})
		}
		kw := KruskalWallis(cols[k], codes, G)
		cmp.KruskalWallis = Test{Method: "kruskal-wallis", Statistic: Float(kw.H), DF: kw.DF, P: Float(kw.P), Q: Float(math.NaN())}
		if math.IsNaN(kw.H) {
			cmp.KruskalWallis.DF = 0
		}
		out[k] = cmp
	}
	return out
}

// countDefined counts the intervals with a defined estimate.
func countDefined(ivs []Interval) int {
	n := 0
	for _, iv := range ivs {
		if !math.IsNaN(iv.Estimate) {
			n++
		}
	}
	return n
}

// analyzeIntervals builds the intervals of column j of nCols from the
// replicates of ReplicatesMulti, as Bootstrap.Groups does, and the
// intervals of every group's difference to the rest (stratified only).
func analyzeIntervals(reps []float64, j, nCols int, values []float64, codes []int32, G int, aggs []Aggregator, alpha float64, stratified bool) (GroupIntervals, []Interval) {
	w := G + 1
	stride := nCols * w
	B := len(reps) / stride
	means := GroupMeans(nil, values, codes, G)
	counts := GroupCounts(nil, values, codes, G)
	overall := UserWeightedMean(values, codes)
	res := GroupIntervals{
		Groups:      make([]Interval, G),
		Aggregators: append([]Aggregator(nil), aggs...),
		Disparities: make([]Interval, len(aggs)),
		Counts:      counts,
		B:           B,
	}
	row := func(b int) []float64 { return reps[b*stride+j*w : b*stride+(j+1)*w] }
	col := make([]float64, B)
	for h := range w {
		for b := range B {
			col[b] = row(b)[h]
		}
		if h < G {
			res.Groups[h] = interval(means[h], col, alpha)
		} else {
			res.Overall = interval(overall, col, alpha)
		}
	}
	for a, agg := range aggs {
		for b := range B {
			r := row(b)
			col[b] = Disparity(agg, r[:G], r[G])
		}
		res.Disparities[a] = interval(Disparity(agg, means, overall), col, alpha)
	}
	est := OneVsRestDiff(nil, means, counts)
	rest := make([]Interval, G)
	repRest := make([]float64, B*G)
	for b := range B {
		OneVsRestDiff(repRest[b*G:(b+1)*G], row(b)[:G], counts)
	}
	for h := range G {
		if !stratified {
			rest[h] = Interval{Estimate: est[h], Lo: math.NaN(), Hi: math.NaN()}
			continue
		}
		for b := range B {
			col[b] = repRest[b*G+h]
		}
		rest[h] = interval(est[h], col, alpha)
	}
	return res, rest
}

// withholdGroups returns the groups withheld from a column whose groups
// have counts users with a value: those with between 1 and MinUsers − 1,
// and, with Complementary, their complements (see [AnalyzeConfig]).
func withholdGroups(counts []int, cfg AnalyzeConfig) []bool {
	w := make([]bool, len(counts))
	k, hidden := 0, 0
	for h, n := range counts {
		if n > 0 && n < cfg.MinUsers {
			w[h] = true
			k++
			hidden += n
		}
	}
	for cfg.Complementary && k > 0 && (k < 2 || hidden < cfg.MinUsers) {
		next := -1
		for h, n := range counts {
			if !w[h] && n > 0 && (next < 0 || n < counts[next]) {
				next = h
			}
		}
		if next < 0 {
			break
		}
		w[next] = true
		k++
		hidden += counts[next]
	}
	return w
}
