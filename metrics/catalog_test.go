package metrics_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/recaudit/recaudit/metrics"
)

// The toy data of METRICS-SPEC.md §0 for §2.
var (
	toyLists = metrics.Rankings{
		Offsets: []int64{0, 5, 10, 15},
		Items:   []int32{A, B, C, D, E, B, D, A, G, H, C, A, B, E, D},
	}
	// Training popularity φ (distinct users, |U_train| = 100; 160 interactions).
	toyPop = []float64{50, 40, 30, 20, 10, 5, 3, 2}
	// Genres: action 0, comedy 1, drama 2, romance 3, documentary 4.
	toyGenres = metrics.Categories{
		Offsets: []int64{0, 1, 3, 4, 5, 7, 8, 9, 10},
		Codes:   []int32{0, 0, 1, 2, 1, 2, 3, 3, 0, 4},
	}
)

func TestSpecCatalog(t *testing.T) {
	counts := metrics.ItemCounts(toyLists, 5, 8, nil)
	// §2 counts: A 3, B 3, C 2, D 3, E 2, F 0, G 1, H 1.
	if diff := cmp.Diff([]float64{3, 3, 2, 3, 2, 0, 1, 1}, counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	geo := make([]float64, 5)
	log := make([]float64, 5)
	for r := range geo {
		geo[r] = math.Pow(0.85, float64(r))
		log[r] = 1 / math.Log2(float64(r+2))
	}
	for _, tc := range []struct {
		name string
		got  float64
		want float64 // METRICS-SPEC.md §2.x example
	}{
		{"§2.1 coverage", metrics.Coverage(counts), 0.875},
		{"§2.2 Gini counts", metrics.Gini(counts, metrics.GiniStandard), 0.3083},
		{"§2.2 Gini RecBole", metrics.Gini(counts, metrics.GiniRecBole), 0.3852},
		{"§2.2 Gini Elliot", metrics.Gini(counts, metrics.GiniElliot), 0.6476},
		{"§2.2 exposure Gini geometric 0.85", metrics.Gini(metrics.ItemCounts(toyLists, 5, 8, geo), metrics.GiniStandard), 0.3703},
		{"§2.2 exposure Gini log", metrics.Gini(metrics.ItemCounts(toyLists, 5, 8, log), metrics.GiniStandard), 0.3883},
		{"§2.3 entropy bits", metrics.Entropy(counts, 2), 2.6892},
		{"§2.3 entropy nats", metrics.Entropy(counts, math.E), 1.8640},
		{"§2.3 entropy normalised", metrics.Entropy(counts, 2) / math.Log2(8), 0.8964},
		{"§2.3 entropy RecBole", metrics.Entropy(counts, math.E) / 7, 0.2663},
		{"§2.6 personalization", metrics.Personalization(toyLists, 5, 8), 0.2667},
	} {
		if math.Abs(tc.got-tc.want) > tol {
			t.Errorf("%s: got %.6f, want %.4f (METRICS-SPEC.md)", tc.name, tc.got, tc.want)
		}
	}
}

func TestSpecPerUserCatalog(t *testing.T) {
	type row struct{ u1, u2, u3 float64 }
	per := func(f func(list []int32) float64) row {
		return row{f(toyLists.List(0)), f(toyLists.List(1)), f(toyLists.List(2))}
	}
	mean := func(r row) float64 { return (r.u1 + r.u2 + r.u3) / 3 }
	interactions := []float64{50, 40, 30, 20, 10, 5, 3, 2} // the spec uses the same numbers for both
	tail := metrics.HeadTail(interactions, 0.8)
	// §2.8: H = {A,B,C,D}, T = {E,F,G,H}.
	if diff := cmp.Diff([]bool{false, false, false, false, true, true, true, true}, tail); diff != "" {
		t.Errorf("head/tail (-want +got):\n%s", diff)
	}
	recBoleTail := metrics.TailByFraction(interactions, 0.1)
	if diff := cmp.Diff([]bool{false, false, false, false, false, false, false, true}, recBoleTail); diff != "" {
		t.Errorf("RecBole tail (-want +got):\n%s", diff)
	}
	nov := per(func(l []int32) float64 { return metrics.Novelty(l, 5, toyPop, 100) })
	novInter := per(func(l []int32) float64 { return metrics.Novelty(l, 5, interactions, 160) })
	arp := per(func(l []int32) float64 { return metrics.MeanPopularity(l, 5, interactions) })
	aplt := per(func(l []int32) float64 { return metrics.TailShare(l, 5, tail) })
	aclt := per(func(l []int32) float64 { return float64(metrics.TailCount(l, 5, tail)) })
	apltRecBole := per(func(l []int32) float64 { return metrics.TailShare(l, 5, recBoleTail) })
	ildCos := per(func(l []int32) float64 { return metrics.IntraListDiversity(l, 5, toyGenres.Cosine) })
	ildJac := per(func(l []int32) float64 { return metrics.IntraListDiversity(l, 5, toyGenres.Jaccard) })
	profile := metrics.MeanPopularity([]int32{A, G, B, F}, 0, toyPop)
	for _, tc := range []struct {
		name string
		got  float64
		want float64 // METRICS-SPEC.md §2.x example
	}{
		{"§2.4 novelty u1", nov.u1, 1.9405},
		{"§2.4 novelty u2", nov.u2, 3.0693},
		{"§2.4 novelty u3", nov.u3, 1.9405},
		{"§2.4 novelty mean", mean(nov), 2.3168},
		{"§2.4 novelty interactions mean", mean(novInter), 2.9949},
		{"§2.5 ILD cosine u1", ildCos.u1, 0.7879},
		{"§2.5 ILD cosine u2", ildCos.u2, 0.6879},
		{"§2.5 ILD Jaccard u1", ildJac.u1, 0.85},
		{"§2.5 Ziegler ILS u1", 10 * (1 - ildCos.u1), 2.1213},
		{"§2.7 ARP u1", arp.u1, 30},
		{"§2.7 ARP u2", arp.u2, 23},
		{"§2.7 ARP", mean(arp), 27.6667},
		{"§2.7 normalised ARP", mean(arp) / 160, 0.1729},
		{"§2.8 APLT", mean(aplt), 0.2667},
		{"§2.8 ACLT", mean(aclt), 1.3333},
		{"§2.8 APLT RecBole tail", mean(apltRecBole), 0.0667},
		{"§2.9 profile GAP u1", profile, 24.5},
		{"§2.9 ΔGAP u1", metrics.DeltaGAP([]float64{profile}, []float64{arp.u1}), 0.2245},
	} {
		if math.Abs(tc.got-tc.want) > tol {
			t.Errorf("%s: got %.6f, want %.4f (METRICS-SPEC.md)", tc.name, tc.got, tc.want)
		}
	}
}

// TestCatalogEdges checks hand-computed edge cases.
func TestCatalogEdges(t *testing.T) {
	nan := math.NaN()
	one := metrics.Rankings{Offsets: []int64{0, 2}, Items: []int32{1, 1}}
	for _, tc := range []struct {
		name string
		got  float64
		want float64 // hand-computed
	}{
		{"Gini equal", metrics.Gini([]float64{2, 2, 2, 2}, metrics.GiniStandard), 0},
		{"Gini one item", metrics.Gini([]float64{0, 0, 0, 5}, metrics.GiniStandard), 3.0 / 4},
		{"Gini Elliot one item", metrics.Gini([]float64{0, 0, 0, 5}, metrics.GiniElliot), 0},
		{"Gini empty", metrics.Gini(nil, metrics.GiniStandard), nan},
		{"Gini zeros", metrics.Gini([]float64{0, 0}, metrics.GiniStandard), nan},
		{"Gini negative", metrics.Gini([]float64{-1, 2}, metrics.GiniStandard), nan},
		{"Gini Elliot n=1", metrics.Gini([]float64{3}, metrics.GiniElliot), nan},
		{"entropy uniform", metrics.Entropy([]float64{1, 1, 1, 1}, 2), 2},
		{"entropy single", metrics.Entropy([]float64{0, 7}, 2), 0},
		{"entropy zeros", metrics.Entropy([]float64{0, 0}, 2), nan},
		{"coverage empty", metrics.Coverage(nil), nan},
		{"novelty empty", metrics.Novelty(nil, 5, toyPop, 100), nan},
		// unseen item: log2(100/1)
		{"novelty unseen", metrics.Novelty([]int32{99}, 5, toyPop, 100), math.Log2(100)},
		{"novelty k=1", metrics.Novelty([]int32{A, H}, 1, toyPop, 100), 1},
		{"mean popularity empty", metrics.MeanPopularity(nil, 0, toyPop), nan},
		{"ILD single item", metrics.IntraListDiversity([]int32{A}, 0, toyGenres.Cosine), nan},
		{"ILD no categories", metrics.IntraListDiversity([]int32{A, 42}, 0, toyGenres.Jaccard), 1},
		{"tail share empty", metrics.TailShare(nil, 0, []bool{true}), nan},
		{"ΔGAP zero profile", metrics.DeltaGAP([]float64{0}, []float64{1}), nan},
		{"ΔGAP skips NaN", metrics.DeltaGAP([]float64{2, nan}, []float64{nan, 3}), 0.5},
		{"personalization one user", metrics.Personalization(one, 2, 3), nan},
		// Repeats count once: lists {1} and {1}: overlap 1 of k = 2.
		{"personalization repeats", metrics.Personalization(metrics.Rankings{Offsets: []int64{0, 2, 3}, Items: []int32{1, 1, 1}}, 2, 3), 0.5},
	} {
		if !cmp.Equal(tc.got, tc.want, cmpopts.EquateApprox(0, tightTol), cmpopts.EquateNaNs()) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// Repeats and foreign items in ItemCounts.
	got := metrics.ItemCounts(metrics.Rankings{Offsets: []int64{0, 4, 6}, Items: []int32{1, 1, -3, 9, 1, 0}}, 0, 3, nil)
	if diff := cmp.Diff([]float64{1, 2, 0}, got); diff != "" {
		t.Errorf("ItemCounts with repeats (-want +got):\n%s", diff)
	}
	// All-zero popularity: everything is tail.
	if diff := cmp.Diff([]bool{true, true}, metrics.HeadTail([]float64{0, 0}, 0.8)); diff != "" {
		t.Errorf("HeadTail of zeros (-want +got):\n%s", diff)
	}
	// Ties at the boundary go by item index: with share 0.5 of {2,2,2,2},
	// items 0 and 1 form the head.
	if diff := cmp.Diff([]bool{false, false, true, true}, metrics.HeadTail([]float64{2, 2, 2, 2}, 0.5)); diff != "" {
		t.Errorf("HeadTail ties (-want +got):\n%s", diff)
	}
}

// TestPersonalizationBruteForce checks the count-based formula against the
// mean over all pairs.
func TestPersonalizationBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	lists, _ := randomData(rng, 120, 40, false)
	for _, k := range []int{1, 5, 20} {
		var sum float64
		pairs := 0
		for u := range lists.Users() {
			for v := u + 1; v < lists.Users(); v++ {
				a, b := set(lists.List(u), k), set(lists.List(v), k)
				both := 0
				for it := range a {
					if b[it] {
						both++
					}
				}
				sum += 1 - float64(both)/float64(k)
				pairs++
			}
		}
		want := sum / float64(pairs)
		if got := metrics.Personalization(lists, k, 40); math.Abs(got-want) > 1e-12 {
			t.Errorf("k=%d: got %v, brute force %v", k, got, want)
		}
	}
}

// set returns the distinct catalogue items (in [0, 40)) of the first k
// items of list.
func set(list []int32, k int) map[int32]bool {
	s := map[int32]bool{}
	for _, it := range list[:min(k, len(list))] {
		if it >= 0 && it < 40 {
			s[it] = true
		}
	}
	return s
}

func TestCatalogPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"entropy base 1", func() { metrics.Entropy([]float64{1}, 1) }},
		{"entropy base 0", func() { metrics.Entropy([]float64{1}, 0) }},
		{"gini variant", func() { metrics.Gini([]float64{1}, 5) }},
		{"share 0", func() { metrics.HeadTail([]float64{1}, 0) }},
		{"ratio 2", func() { metrics.TailByFraction([]float64{1}, 2) }},
		{"personalization k 0", func() { metrics.Personalization(toyLists, 0, 8) }},
		{"counts negative k", func() { metrics.ItemCounts(toyLists, -1, 8, nil) }},
		{"short weights", func() { metrics.ItemCounts(toyLists, 5, 8, []float64{1, 1}) }},
		{"novelty negative k", func() { metrics.Novelty(listU1, -1, toyPop, 100) }},
	} {
		if !panics(tc.f) {
			t.Errorf("%s: did not panic with a metrics: message", tc.name)
		}
	}
}
