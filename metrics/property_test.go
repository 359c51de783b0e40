package metrics_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/metrics"
)

// naive computes one measure for one user straight from the definitions of
// METRICS-SPEC.md §1, position by position, with maps and no shared code:
// it is the reference the kernel is checked against.
func naive(m metrics.Measure, list []int32, rel metrics.Judgments, k int, cfg metrics.Config) float64 {
	theta := cfg.Threshold
	if theta == 0 {
		theta = 1
	}
	p := cfg.Patience
	if p == 0 {
		p = 0.85
	}
	relevant := map[int32]float64{}
	for j, it := range rel.Items {
		g := 1.0
		if rel.Grades != nil {
			g = rel.Grades[j]
		}
		if g >= theta {
			relevant[it] = g
		}
	}
	n, nrel := len(list), len(relevant)
	if n == 0 && cfg.NoList == metrics.NoListExclude {
		return math.NaN()
	}
	if nrel == 0 {
		if cfg.NoRelevant == metrics.NoRelevantExclude ||
			(cfg.NoRelevant == metrics.NoRelevantZeroIfJudged && len(rel.Items) == 0) {
			return math.NaN()
		}
	}
	keff := k
	if k == 0 {
		keff = n
	}
	gain := func(g float64) float64 {
		switch cfg.Gain {
		case metrics.GainLinear:
			return g
		case metrics.GainExp:
			return math.Pow(2, g) - 1
		case metrics.GainElliot:
			return math.Pow(2, g-theta+1) - 1
		}
		return 1
	}
	disc := func(r int) float64 {
		switch cfg.Discount {
		case metrics.DiscountClip:
			return 1 / math.Log2(math.Max(float64(r), 2))
		case metrics.DiscountLn:
			return 1 / math.Log(float64(r)+1)
		}
		return 1 / math.Log2(float64(r)+1)
	}
	div := func(a float64, b int) float64 {
		if b == 0 {
			return 0
		}
		return a / float64(b)
	}
	// hitAt[r], gradeAt[r] for r = 1..keff; repeats and positions past the
	// list are misses.
	hitAt := make([]bool, keff+1)
	gradeAt := make([]float64, keff+1)
	seen := map[int32]bool{}
	for r := 1; r <= keff && r <= n; r++ {
		it := list[r-1]
		if seen[it] {
			continue
		}
		seen[it] = true
		if g, ok := relevant[it]; ok {
			hitAt[r], gradeAt[r] = true, g
		}
	}
	cum := make([]int, keff+1) // cum[x] = hits at ranks <= x
	for r := 1; r <= keff; r++ {
		cum[r] = cum[r-1]
		if hitAt[r] {
			cum[r]++
		}
	}
	hitsUpTo := func(x int) int { return cum[x] }
	hits := hitsUpTo(keff)
	switch m {
	case metrics.MeasurePrecision:
		if cfg.Precision == metrics.PrecisionListLength {
			return div(float64(hits), min(keff, n))
		}
		return div(float64(hits), keff)
	case metrics.MeasureRecall:
		if cfg.Recall == metrics.RecallMinRelevantK {
			return div(float64(hits), min(nrel, keff))
		}
		return div(float64(hits), nrel)
	case metrics.MeasureHitRate:
		if hits > 0 {
			return 1
		}
		return 0
	case metrics.MeasureRR:
		for r := 1; r <= keff; r++ {
			if hitAt[r] {
				return 1 / float64(r)
			}
		}
		return 0
	case metrics.MeasureAP:
		if cfg.AP == metrics.APElliot {
			s := 0.0
			for x := 1; x <= keff; x++ {
				s += float64(hitsUpTo(x)) / float64(x)
			}
			return div(s, keff)
		}
		s := 0.0
		for r := 1; r <= keff; r++ {
			if hitAt[r] {
				s += float64(hitsUpTo(r)) / float64(r)
			}
		}
		switch cfg.AP {
		case metrics.APRelevant:
			return div(s, nrel)
		case metrics.APK:
			return div(s, keff)
		case metrics.APMinRelevantListLength:
			return div(s, min(nrel, keff, n))
		}
		return div(s, min(nrel, keff))
	case metrics.MeasureDCG, metrics.MeasureNDCG, metrics.MeasureRBP:
		dcg, rbp := 0.0, 0.0
		for r := 1; r <= keff; r++ {
			if hitAt[r] {
				dcg += gain(gradeAt[r]) * disc(r)
				rbp += gain(gradeAt[r]) * math.Pow(p, float64(r-1))
			}
		}
		switch m {
		case metrics.MeasureDCG:
			return dcg
		case metrics.MeasureRBP:
			return (1 - p) * rbp
		}
		var idcg float64
		if cfg.Ideal == metrics.IdealFixedK {
			for r := 1; r <= keff; r++ {
				idcg += disc(r)
			}
		} else {
			var gains []float64
			for _, g := range relevant {
				gains = append(gains, gain(g))
			}
			sort.Sort(sort.Reverse(sort.Float64Slice(gains)))
			cut := len(gains)
			if cfg.Ideal == metrics.IdealRelevantCutK && k > 0 {
				cut = min(cut, k)
			}
			for r := 1; r <= cut; r++ {
				idcg += gains[r-1] * disc(r)
			}
		}
		if idcg == 0 {
			return 0
		}
		return dcg / idcg
	}
	panic("naive: unknown measure")
}

// randomData returns users with random lists (some empty, some with
// repeats and foreign items) and random graded judgments (some users with
// none), over items [0, nItems).
func randomData(rng *rand.Rand, users, nItems int, graded bool) (metrics.Rankings, metrics.Relevance) {
	lists := metrics.Rankings{Offsets: []int64{0}}
	truth := metrics.Relevance{Offsets: []int64{0}}
	grades := []float64{0, 0.5, 1, 1, 2, 3, 4}
	for range users {
		if rng.IntN(10) > 0 {
			n := 1 + rng.IntN(40)
			for range n {
				switch rng.IntN(50) {
				case 0:
					lists.Items = append(lists.Items, -1-int32(rng.IntN(3)))
				case 1:
					lists.Items = append(lists.Items, int32(nItems+rng.IntN(10)))
				default:
					lists.Items = append(lists.Items, int32(rng.IntN(nItems)))
				}
			}
		}
		lists.Offsets = append(lists.Offsets, int64(len(lists.Items)))
		if rng.IntN(10) > 0 {
			m := 1 + rng.IntN(15)
			row := map[int32]bool{}
			for range m {
				row[int32(rng.IntN(nItems))] = true
			}
			items := make([]int32, 0, len(row))
			for it := range row {
				items = append(items, it)
			}
			slices.Sort(items)
			truth.Items = append(truth.Items, items...)
			for range items {
				truth.Grades = append(truth.Grades, grades[rng.IntN(len(grades))])
			}
		}
		truth.Offsets = append(truth.Offsets, int64(len(truth.Items)))
	}
	if !graded {
		truth.Grades = nil
	}
	return lists, truth
}

// testConfigs returns the profiles plus random combinations of options.
func testConfigs(rng *rand.Rand, n int) []metrics.Config {
	var cfgs []metrics.Config
	for p := metrics.ProfileDefault; p <= metrics.ProfileRecTools; p++ {
		cfgs = append(cfgs, p.Config())
	}
	thresholds := []float64{0, 0.5, 1, 2, 3}
	for range n {
		cfgs = append(cfgs, metrics.Config{
			Threshold:  thresholds[rng.IntN(len(thresholds))],
			Precision:  metrics.PrecisionDenominator(rng.IntN(2)),
			Recall:     metrics.RecallDenominator(rng.IntN(2)),
			AP:         metrics.APNormalizer(rng.IntN(5)),
			Gain:       metrics.Gain(rng.IntN(4)),
			Discount:   metrics.Discount(rng.IntN(3)),
			Ideal:      metrics.Ideal(rng.IntN(3)),
			NoRelevant: metrics.NoRelevant(rng.IntN(3)),
			NoList:     metrics.NoList(rng.IntN(2)),
			Patience:   []float64{0, 0.5, 0.9}[rng.IntN(3)],
		})
	}
	return cfgs
}

var testCutoffs = []int{10, 0, 1, 3, 50}

// sameBits reports whether a and b are the same float64, NaNs equal.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// TestAgainstNaive checks the single-user functions against the naive
// reference, and the Evaluator against the single-user functions bit for
// bit, on random data under the profiles and random configurations.
func TestAgainstNaive(t *testing.T) {
	const relTol = 1e-12
	rng := rand.New(rand.NewPCG(1, 2))
	lists, truth := randomData(rng, 150, 60, true)
	for ci, cfg := range testConfigs(rng, 12) {
		e := metrics.Evaluator{Config: cfg, Cutoffs: testCutoffs, Workers: 3}
		res := e.Evaluate(lists, truth)
		for _, m := range metrics.AllMeasures() {
			for _, k := range testCutoffs {
				col := res.Column(m, k)
				for u := range truth.Users() {
					list, rel := lists.List(u), truth.User(u)
					got := measureFuncs[m](list, rel, k, cfg)
					want := naive(m, list, rel, k, cfg)
					if math.IsNaN(got) != math.IsNaN(want) || math.Abs(got-want) > relTol*math.Max(1, math.Abs(want)) {
						t.Fatalf("config %d %+v: %v@%d user %d: got %.17g, naive %.17g", ci, cfg, m, k, u, got, want)
					}
					if !sameBits(col[u], got) {
						t.Fatalf("config %d: %v@%d user %d: Evaluator %.17g, single-user %.17g", ci, m, k, u, col[u], got)
					}
				}
			}
		}
	}
}

// TestRanges checks that values lie in their ranges on random data.
func TestRanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lists, truth := randomData(rng, 300, 80, true)
	for _, cfg := range testConfigs(rng, 20) {
		res := (&metrics.Evaluator{Config: cfg, Cutoffs: testCutoffs}).Evaluate(lists, truth)
		for _, m := range metrics.AllMeasures() {
			upper := 1.0
			switch {
			case m == metrics.MeasureDCG:
				upper = math.Inf(1)
			case m == metrics.MeasureRBP && cfg.Gain != metrics.GainBinary:
				upper = math.Inf(1) // graded RBP gains are not rescaled
			case m == metrics.MeasureNDCG && cfg.Ideal == metrics.IdealFixedK && cfg.Gain != metrics.GainBinary:
				upper = math.Inf(1) // documented: the fixed ideal has unit gains
			}
			for _, k := range testCutoffs {
				for u, v := range res.Column(m, k) {
					excluded := res.Status[u]&metrics.StatusExcluded != 0
					if math.IsNaN(v) != excluded {
						t.Fatalf("%+v %v@%d user %d: value %v with status %b", cfg, m, k, u, v, res.Status[u])
					}
					if !excluded && !(v >= 0 && v <= upper) {
						t.Fatalf("%+v %v@%d user %d: %v outside [0, %v]", cfg, m, k, u, v, upper)
					}
				}
			}
		}
	}
}

// TestPerfectList checks that a list ranking the relevant items by
// descending grade first scores the maximum.
func TestPerfectList(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	_, truth := randomData(rng, 200, 100, true)
	cutoffs := []int{1, 3, 10, 0}
	for _, cfg := range testConfigs(rng, 20) {
		if cfg.Ideal != metrics.IdealRelevantCutK {
			continue
		}
		theta := cfg.Threshold
		if theta == 0 {
			theta = 1
		}
		for u := range truth.Users() {
			rel := truth.User(u)
			var list []int32
			for _, j := range relevantByGrade(rel, theta) {
				list = append(list, rel.Items[j])
			}
			nrel := len(list)
			if nrel == 0 {
				continue
			}
			list = append(list, 1000, 1001) // non-relevant tail
			for _, k := range cutoffs {
				keff := k
				if k == 0 {
					keff = len(list)
				}
				check := func(m metrics.Measure, want float64) {
					t.Helper()
					if got := measureFuncs[m](list, rel, k, cfg); got != want {
						t.Fatalf("%+v user %d %v@%d: got %.17g, want %v", cfg, u, m, k, got, want)
					}
				}
				check(metrics.MeasureHitRate, 1)
				check(metrics.MeasureRR, 1)
				check(metrics.MeasureNDCG, 1)
				if nrel >= keff && cfg.Precision == metrics.PrecisionK {
					check(metrics.MeasurePrecision, 1)
				}
				if cfg.Recall == metrics.RecallMinRelevantK || nrel <= keff {
					check(metrics.MeasureRecall, 1)
				}
				if cfg.AP == metrics.APMinRelevantK || cfg.AP == metrics.APMinRelevantListLength ||
					(cfg.AP == metrics.APRelevant && nrel <= keff) {
					check(metrics.MeasureAP, 1)
				}
			}
		}
	}
}

// relevantByGrade returns the indices of the judgments with grade >= θ,
// by descending grade.
func relevantByGrade(rel metrics.Judgments, theta float64) []int {
	var idx []int
	for j := range rel.Items {
		if g := grade(rel, j); g >= theta {
			idx = append(idx, j)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return grade(rel, idx[a]) > grade(rel, idx[b]) })
	return idx
}

func grade(rel metrics.Judgments, j int) float64 {
	if rel.Grades == nil {
		return 1
	}
	return rel.Grades[j]
}

// TestWorkersDeterministic checks that the number of workers changes
// nothing, bit for bit.
func TestWorkersDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	lists, truth := randomData(rng, 5000, 500, true)
	cfg := metrics.Config{Gain: metrics.GainExp, NoRelevant: metrics.NoRelevantZero}
	base := (&metrics.Evaluator{Config: cfg, Cutoffs: testCutoffs, Workers: 1}).Evaluate(lists, truth)
	for _, w := range []int{2, 3, 8} {
		res := (&metrics.Evaluator{Config: cfg, Cutoffs: testCutoffs, Workers: w}).Evaluate(lists, truth)
		if !sameResults(base, res) {
			t.Errorf("workers %d: results differ from 1 worker", w)
		}
	}
}

// sameResults reports whether two results are bit-identical.
func sameResults(a, b *metrics.Result) bool {
	if a.Counts() != b.Counts() || !slices.Equal(a.Status, b.Status) {
		return false
	}
	for i := range a.Values {
		if !slices.EqualFunc(a.Values[i], b.Values[i], sameBits) {
			return false
		}
	}
	return slices.EqualFunc(a.Means(), b.Means(), sameBits)
}

// subset returns the users idx of lists and truth, in that order.
func subset(lists metrics.Rankings, truth metrics.Relevance, idx []int) (metrics.Rankings, metrics.Relevance) {
	l := metrics.Rankings{Offsets: []int64{0}, Items: []int32{}}
	r := metrics.Relevance{Offsets: []int64{0}, Items: []int32{}}
	if truth.Grades != nil {
		r.Grades = []float64{}
	}
	for _, u := range idx {
		l.Items = append(l.Items, lists.List(u)...)
		l.Offsets = append(l.Offsets, int64(len(l.Items)))
		j := truth.User(u)
		r.Items = append(r.Items, j.Items...)
		if r.Grades != nil {
			r.Grades = append(r.Grades, j.Grades...)
		}
		r.Offsets = append(r.Offsets, int64(len(r.Items)))
	}
	return l, r
}

// TestPermuteUsers checks that permuting users permutes the columns and
// leaves the means bit-identical.
func TestPermuteUsers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	lists, truth := randomData(rng, 3000, 300, true)
	e := metrics.Evaluator{Config: metrics.Config{Gain: metrics.GainLinear}, Cutoffs: testCutoffs}
	base := e.Evaluate(lists, truth)
	perm := rng.Perm(truth.Users())
	pl, pt := subset(lists, truth, perm)
	res := e.Evaluate(pl, pt)
	if !slices.EqualFunc(base.Means(), res.Means(), sameBits) {
		t.Errorf("means differ after permuting users:\n%v\n%v", base.Means(), res.Means())
	}
	if base.Counts() != res.Counts() {
		t.Errorf("counts differ: %+v vs %+v", base.Counts(), res.Counts())
	}
	for i := range base.Values {
		for pu, u := range perm {
			if !sameBits(base.Values[i][u], res.Values[i][pu]) {
				t.Fatalf("column %d: user %d moved to %d: %v vs %v", i, u, pu, base.Values[i][u], res.Values[i][pu])
			}
		}
	}
}

// TestMergeShards checks that merging the accumulators of disjoint shards,
// in any order and through MarshalBinary, equals one pass bit for bit.
func TestMergeShards(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	lists, truth := randomData(rng, 2000, 400, true)
	for _, cfg := range testConfigs(rng, 3) {
		e := metrics.Evaluator{Config: cfg, Cutoffs: testCutoffs}
		one := e.Evaluate(lists, truth)
		for trial := range 3 {
			// Random disjoint shards of random users.
			perm := rng.Perm(truth.Users())
			nShards := 2 + rng.IntN(6)
			cuts := []int{0, len(perm)}
			for range nShards - 1 {
				cuts = append(cuts, rng.IntN(len(perm)+1))
			}
			slices.Sort(cuts)
			var accs []*metrics.Accumulator
			for s := 0; s+1 < len(cuts); s++ {
				l, r := subset(lists, truth, perm[cuts[s]:cuts[s+1]])
				a := e.Accumulate(l, r)
				if trial == 1 { // through the wire format
					b, err := a.MarshalBinary()
					if err != nil {
						t.Fatal(err)
					}
					a = new(metrics.Accumulator)
					if err := a.UnmarshalBinary(b); err != nil {
						t.Fatal(err)
					}
				}
				accs = append(accs, a)
			}
			rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
			merged := accs[0]
			for _, a := range accs[1:] {
				merged.Merge(a)
			}
			if merged.Counts() != one.Counts() {
				t.Errorf("%+v trial %d: counts %+v, one pass %+v", cfg, trial, merged.Counts(), one.Counts())
			}
			for _, m := range metrics.AllMeasures() {
				for _, k := range testCutoffs {
					if got, want := merged.Sum(m, k), one.Sum(m, k); !sameBits(got, want) {
						t.Errorf("%+v trial %d %v@%d: merged sum %.17g, one pass %.17g", cfg, trial, m, k, got, want)
					}
				}
			}
			if !slices.EqualFunc(merged.Means(), one.Means(), sameBits) {
				t.Errorf("%+v trial %d: merged means differ from one pass", cfg, trial)
			}
		}
	}
}

// TestGroupMeans checks AddUser: the mean of a subset of users built from
// Result columns equals evaluating that subset alone.
func TestGroupMeans(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	lists, truth := randomData(rng, 1000, 100, false)
	e := metrics.Evaluator{Cutoffs: []int{5, 20}}
	res := e.Evaluate(lists, truth)
	var group []int
	for u := range truth.Users() {
		if u%3 == 0 {
			group = append(group, u)
		}
	}
	acc := metrics.NewAccumulator(res.Measures(), res.Cutoffs())
	row := make([]float64, len(res.Values))
	for _, u := range group {
		for i := range row {
			row[i] = res.Values[i][u]
		}
		acc.AddUser(row, res.Status[u])
	}
	l, r := subset(lists, truth, group)
	alone := e.Evaluate(l, r)
	if diff := cmp.Diff(alone.Counts(), acc.Counts()); diff != "" {
		t.Errorf("counts (-alone +group):\n%s", diff)
	}
	if !slices.EqualFunc(alone.Means(), acc.Means(), sameBits) {
		t.Errorf("group means %v, evaluated alone %v", acc.Means(), alone.Means())
	}
}
