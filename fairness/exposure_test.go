package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/metrics"
)

const exposureTol = 1e-4

// exposurePanics reports whether f panics.
func exposurePanics(f func()) (panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	f()
	return false
}

// exposureApprox compares float slices with the 4-decimal tolerance and
// equal NaNs.
var exposureApprox = cmp.Options{cmpopts.EquateApprox(0, exposureTol), cmpopts.EquateNaNs()}

// exposureOneList returns the ranking of METRICS-SPEC.md §4.1:
// [a1(G0,1), a2(G0,1), b1(G1,1), a3(G0,0), b2(G1,1), b3(G1,0)] as items
// 0..5 of one user, the groups of the items and the judgments.
func exposureOneList() (Rankings, []int32, Relevance) {
	lists := Rankings{Offsets: []int64{0, 6}, Items: []int32{0, 1, 2, 3, 4, 5}}
	group := []int32{0, 0, 1, 0, 1, 1}
	rel := Relevance{Offsets: []int64{0, 6}, Items: []int32{0, 1, 2, 3, 4, 5}, Grades: []float64{1, 1, 1, 0, 1, 0}}
	return lists, group, rel
}

func TestExposureWeights(t *testing.T) {
	for i, test := range []struct {
		model    Exposure
		relevant []bool
		want     []float64 // source in the comment of each case
	}{
		// METRICS-SPEC.md §4.1 example, 1/log2(r+1).
		{Exposure{}, nil, []float64{1, 0.6309, 0.5, 0.4307, 0.3869, 0.3562}},
		// hand-computed: 1/log2(max(r,2)) = 1, 1, 1/log2 3, 1/2, 1/log2 5, 1/log2 6.
		{Exposure{Model: ExposureClippedLog}, nil, []float64{1, 1, 0.6309, 0.5, 0.4307, 0.3869}},
		// hand-computed: 0.5^(r-1).
		{Exposure{Model: ExposureGeometric}, nil, []float64{1, 0.5, 0.25, 0.125, 0.0625, 0.03125}},
		// hand-computed: 0.85^(r-1) (LensKit default patience).
		{Exposure{Model: ExposureGeometric, Patience: 0.85}, nil, []float64{1, 0.85, 0.7225, 0.614125, 0.52200625, 0.4437053125}},
		// hand-computed: γ = u = 0.5, relevant [1,1,1,0,1,0]: each relevant
		// item above multiplies by (1-u) = 0.5 on top of γ.
		{Exposure{Model: ExposureCascade}, []bool{true, true, true, false, true, false},
			[]float64{1, 0.25, 0.0625, 0.015625, 0.0078125, 0.001953125}},
		// hand-computed: cascade without relevance is geometric.
		{Exposure{Model: ExposureCascade}, nil, []float64{1, 0.5, 0.25, 0.125, 0.0625, 0.03125}},
		// hand-computed: p(1-p)^(r-1), p = 0.5.
		{Exposure{Model: ExposureAttention}, nil, []float64{0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625}},
		// hand-computed: p = 0.2.
		{Exposure{Model: ExposureAttention, TopShare: 0.2}, nil, []float64{0.2, 0.16, 0.128, 0.1024, 0.08192, 0.065536}},
		// hand-computed: cutoff 3 zeroes ranks 4..6.
		{Exposure{Cutoff: 3}, nil, []float64{1, 0.6309, 0.5, 0, 0, 0}},
	} {
		got := test.model.WeightsTo(nil, 6, test.relevant)
		if diff := cmp.Diff(test.want, got, exposureApprox); diff != "" {
			t.Errorf("case %d (%v): weights (-want +got):\n%s", i, test.model.Model, diff)
		}
		if test.relevant == nil {
			for r := 1; r <= 6; r++ {
				if w := test.model.Weight(r); math.Abs(w-got[r-1]) > 1e-12 {
					t.Errorf("case %d: Weight(%d) = %v, WeightsTo gives %v", i, r, w, got[r-1])
				}
			}
		}
	}
}

func TestExposureModelPanics(t *testing.T) {
	for i, f := range []func(){
		func() { Exposure{Model: 7}.Weight(1) },
		func() { Exposure{Model: -1}.Weight(1) },
		func() { Exposure{Model: ExposureGeometric, Patience: 1}.Weight(1) },
		func() { Exposure{Model: ExposureGeometric, Patience: -0.1}.Weight(1) },
		func() { Exposure{Model: ExposureCascade, Stop: 1.5}.Weight(1) },
		func() { Exposure{Model: ExposureAttention, TopShare: math.NaN()}.Weight(1) },
		func() { Exposure{Cutoff: -1}.Weight(1) },
		func() { Exposure{}.Weight(0) },
		func() { Exposure{}.WeightsTo(nil, -1, nil) },
		func() { Exposure{}.WeightsTo(make([]float64, 2), 3, nil) },
		func() { Exposure{}.WeightsTo(nil, 3, []bool{true}) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
	if s := ExposureCascade.String(); s != "cascade" {
		t.Errorf("String = %q", s)
	}
}

func TestExposureSpecExample(t *testing.T) {
	lists, group, rel := exposureOneList()
	for _, test := range []struct {
		name              string
		model             Exposure
		sums, shares      []float64
		means             []float64 // nil: not given by the spec
		dtr, dir          float64
		dpRatio10, dpDiff float64 // NaN: not checked
	}{
		// METRICS-SPEC.md §4.1 and §4.2 example, 1/log2(r+1).
		{"log", Exposure{}, []float64{2.0616, 1.2431}, []float64{0.6238, 0.3762}, []float64{0.6872, 0.4144},
			1.6585, 1.8390, 0.6030, 0.6872 - 0.4144},
		// METRICS-SPEC.md §4.1, §4.2: clipped log.
		{"clipped", Exposure{Model: ExposureClippedLog}, []float64{2.5, 1.4485}, []float64{0.6332, 0.3668}, nil,
			1.7260, 1.8839, math.NaN(), math.NaN()},
		// METRICS-SPEC.md §4.1, §4.2: RBP γ = 0.5.
		{"rbp", Exposure{Model: ExposureGeometric, Patience: 0.5}, []float64{1.625, 0.34375}, []float64{0.8254, 0.1746}, nil,
			4.7273, 4.8, math.NaN(), math.NaN()},
	} {
		x := ItemExposureTo(nil, lists, 6, test.model, Relevance{}, nil)
		sums := GroupExposureTo(nil, x, group, 2)
		if diff := cmp.Diff(test.sums, sums, exposureApprox); diff != "" {
			t.Errorf("%s: group sums (-want +got):\n%s", test.name, diff)
		}
		if diff := cmp.Diff(test.shares, ExposureSharesTo(nil, sums), exposureApprox); diff != "" {
			t.Errorf("%s: shares (-want +got):\n%s", test.name, diff)
		}
		if test.means != nil {
			if diff := cmp.Diff(test.means, GroupMeanExposureTo(nil, x, group, 2), exposureApprox); diff != "" {
				t.Errorf("%s: per-item means (-want +got):\n%s", test.name, diff)
			}
		}
		merit := ItemMeritTo(nil, rel, 6, nil)
		clicks := ItemClicksTo(nil, lists, 6, test.model, rel, nil)
		if got := DisparateTreatmentRatio(x, merit, group, 0, 1); math.Abs(got-test.dtr) > exposureTol {
			t.Errorf("%s: DTR = %.6f, want %.4f", test.name, got, test.dtr)
		}
		if got := DisparateImpactRatio(clicks, merit, group, 0, 1); math.Abs(got-test.dir) > exposureTol {
			t.Errorf("%s: DIR = %.6f, want %.4f", test.name, got, test.dir)
		}
		epm := ExposurePerMeritTo(nil, x, merit, group, 2)
		if got := epm[0] / epm[1]; math.Abs(got-test.dtr) > exposureTol {
			t.Errorf("%s: per-merit ratio = %.6f, want DTR %.4f", test.name, got, test.dtr)
		}
		if !math.IsNaN(test.dpRatio10) {
			// The spec's DP ratio is G1/G0.
			if got := ExposureParityRatio(x, group, 1, 0); math.Abs(got-test.dpRatio10) > exposureTol {
				t.Errorf("%s: DP ratio = %.6f, want %.4f", test.name, got, test.dpRatio10)
			}
			if got := ExposureParityDifference(x, group, 0, 1); math.Abs(got-test.dpDiff) > exposureTol {
				t.Errorf("%s: DP difference = %.6f, want %.4f", test.name, got, test.dpDiff)
			}
		}
	}
}

func TestExposureShareComparisons(t *testing.T) {
	lists, group, rel := exposureOneList()
	x := ItemExposureTo(nil, lists, 6, Exposure{}, Relevance{}, nil)
	s := ExposureSharesTo(nil, GroupExposureTo(nil, x, group, 2))
	merit := ItemMeritTo(nil, rel, 6, nil)
	tgt := TargetSharesTo(nil, TargetMerit, group, 2, merit)
	// METRICS-SPEC.md §4.2: relevance share 0.5/0.5.
	if diff := cmp.Diff([]float64{0.5, 0.5}, tgt, exposureApprox); diff != "" {
		t.Errorf("merit target (-want +got):\n%s", diff)
	}
	// METRICS-SPEC.md §4.2 share view: difference 0.1238, L1 0.2477,
	// KL 0.0310 nats, JSD 0.0078 nats.
	if diff := cmp.Diff([]float64{0.1238, -0.1238}, ShareDifferencesTo(nil, s, tgt), exposureApprox); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"L1", L1Distance(s, tgt), 0.2477},
		{"KL", KLDivergence(s, tgt, Nats), 0.0310},
		{"JSD", JSDivergence(s, tgt, Nats), 0.0078},
		// hand-computed: bits = nats / ln 2.
		{"KL bits", KLDivergence(s, tgt, Bits), KLDivergence(s, tgt, Nats) / math.Ln2},
		// hand-computed: 0.6238/0.5.
		{"ratio", ShareRatiosTo(nil, s, tgt)[0], 1.2477},
	} {
		if math.Abs(c.got-c.want) > exposureTol {
			t.Errorf("%s = %.6f, want %.4f", c.name, c.got, c.want)
		}
	}
	// hand-computed: catalogue target 3/6 each; uniform 1/2 each.
	if diff := cmp.Diff([]float64{0.5, 0.5}, TargetSharesTo(nil, TargetCatalog, group, 2, nil), exposureApprox); diff != "" {
		t.Errorf("catalogue target (-want +got):\n%s", diff)
	}
	// hand-computed: items 0,1 in group 0, items 2..4 in 1, item 5 none.
	if diff := cmp.Diff([]float64{0.4, 0.6}, TargetSharesTo(nil, TargetCatalog, []int32{0, 0, 1, 1, 1, -1}, 2, nil), exposureApprox); diff != "" {
		t.Errorf("catalogue target with ungrouped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, TargetSharesTo(nil, TargetUniform, group, 3, nil), exposureApprox); diff != "" {
		t.Errorf("uniform target (-want +got):\n%s", diff)
	}
	// hand-computed: KL is +Inf when the target misses a present group,
	// JSD of disjoint distributions is ln 2.
	if got := KLDivergence([]float64{1, 1}, []float64{1, 0}, Nats); !math.IsInf(got, 1) {
		t.Errorf("KL with zero target = %v, want +Inf", got)
	}
	if got := JSDivergence([]float64{1, 0}, []float64{0, 1}, Nats); math.Abs(got-math.Ln2) > 1e-12 {
		t.Errorf("JSD disjoint = %v, want ln 2", got)
	}
	if got := JSDivergence([]float64{1, 0}, []float64{0, 1}, Bits); math.Abs(got-1) > 1e-12 {
		t.Errorf("JSD disjoint = %v bits, want 1", got)
	}
	// NaN for invalid distributions.
	for i, got := range []float64{
		KLDivergence([]float64{0, 0}, []float64{1, 1}, Nats),
		JSDivergence([]float64{1, -1}, []float64{1, 1}, Nats),
		JSDivergence([]float64{1, math.NaN()}, []float64{1, 1}, Nats),
	} {
		if !math.IsNaN(got) {
			t.Errorf("case %d: got %v, want NaN", i, got)
		}
	}
}

// TestExposureFairRankTuneAWRF checks the attention model against
// METRICS-SPEC.md §4.4: FairRankTune's "AWRF" is the per-group mean
// attention per catalogue item with 100·p(1−p)^(r−1), p = 0.5: A 27.0833,
// B 5.7292, MinMaxRatio 0.2115.
func TestExposureFairRankTuneAWRF(t *testing.T) {
	lists := Rankings{Offsets: []int64{0, 6}, Items: []int32{0, 1, 2, 3, 4, 5}}
	group := []int32{0, 0, 1, 0, 1, 1} // [A,A,B,A,B,B]
	x := ItemExposureTo(nil, lists, 6, Exposure{Model: ExposureAttention, TopShare: 0.5}, Relevance{}, nil)
	means := GroupMeanExposureTo(nil, x, group, 2)
	if diff := cmp.Diff([]float64{0.270833, 0.057292}, means, exposureApprox); diff != "" {
		t.Errorf("means (-want +got):\n%s", diff)
	}
	if got := ExposureParityRatio(x, group, 1, 0); math.Abs(got-0.2115) > exposureTol {
		t.Errorf("min/max ratio = %.6f, want 0.2115", got)
	}
}

func TestItemExposureCascadeAndWeights(t *testing.T) {
	// Two users: user 0 [0,1,2] with item 0 relevant, user 1 [2,0,9]
	// (item 9 outside the catalogue of 4) with nothing judged; user
	// weights 2 and 0.5.
	lists := Rankings{Offsets: []int64{0, 3, 6}, Items: []int32{0, 1, 2, 2, 0, 9}}
	rel := Relevance{Offsets: []int64{0, 1, 1}, Items: []int32{0}, Grades: []float64{3}}
	weights := []float64{2, 0.5}
	// hand-computed, cascade γ = u = 0.5: user 0 weights 1, 0.25, 0.125;
	// user 1 (no relevance) 1, 0.5, 0.25 (item 9 dropped).
	// E = [2·1 + 0.5·0.5, 2·0.25, 2·0.125 + 0.5·1, 0].
	got := ItemExposureTo(nil, lists, 4, Exposure{Model: ExposureCascade}, rel, weights)
	if diff := cmp.Diff([]float64{2.25, 0.5, 0.75, 0}, got, exposureApprox); diff != "" {
		t.Errorf("cascade exposure (-want +got):\n%s", diff)
	}
	// hand-computed: clicks only item 0 for user 0: 2·3·1 = 6.
	clicks := ItemClicksTo(nil, lists, 4, Exposure{Model: ExposureCascade}, rel, weights)
	if diff := cmp.Diff([]float64{6, 0, 0, 0}, clicks, exposureApprox); diff != "" {
		t.Errorf("clicks (-want +got):\n%s", diff)
	}
	// hand-computed: merit 2·3 on item 0.
	if diff := cmp.Diff([]float64{6, 0, 0, 0}, ItemMeritTo(nil, rel, 4, weights), exposureApprox); diff != "" {
		t.Errorf("merit (-want +got):\n%s", diff)
	}
	// dst is overwritten, not accumulated.
	dst := []float64{9, 9, 9, 9}
	ItemExposureTo(dst, lists, 4, Exposure{Model: ExposureCascade}, rel, weights)
	if diff := cmp.Diff([]float64{2.25, 0.5, 0.75, 0}, dst, exposureApprox); diff != "" {
		t.Errorf("dst reuse (-want +got):\n%s", diff)
	}
	// Integer weights equal repeated users (bootstrap resampling counts).
	rep := Rankings{Offsets: []int64{0, 3, 6, 9}, Items: []int32{0, 1, 2, 0, 1, 2, 2, 0, 9}}
	a := ItemExposureTo(nil, rep, 4, Exposure{}, Relevance{}, nil)
	b := ItemExposureTo(nil, lists, 4, Exposure{}, Relevance{}, []float64{2, 1})
	if diff := cmp.Diff(a, b, exposureApprox); diff != "" {
		t.Errorf("weights vs repeated users (-repeated +weighted):\n%s", diff)
	}
}

func TestExposureEdgeCases(t *testing.T) {
	// No users, empty lists, empty catalogue.
	if got := ItemExposureTo(nil, Rankings{}, 3, Exposure{}, Relevance{}, nil); !cmp.Equal(got, []float64{0, 0, 0}) {
		t.Errorf("no users: %v", got)
	}
	empty := Rankings{Offsets: []int64{0, 0, 0}}
	if got := ItemExposureTo(nil, empty, 2, Exposure{Model: ExposureCascade}, Relevance{}, nil); !cmp.Equal(got, []float64{0, 0}) {
		t.Errorf("empty lists: %v", got)
	}
	if got := ItemExposureTo(nil, Rankings{Offsets: []int64{0, 2}, Items: []int32{0, 1}}, 0, Exposure{}, Relevance{}, nil); len(got) != 0 {
		t.Errorf("empty catalogue: %v", got)
	}
	// Groups absent: NaN means, NaN shares of a zero total, NaN ratios.
	x := []float64{1, 2, 0}
	group := []int32{0, 0, -1}
	if diff := cmp.Diff([]float64{1.5, math.NaN()}, GroupMeanExposureTo(nil, x, group, 2), exposureApprox); diff != "" {
		t.Errorf("absent group mean (-want +got):\n%s", diff)
	}
	if got := ExposureSharesTo(nil, []float64{0, 0}); !math.IsNaN(got[0]) || !math.IsNaN(got[1]) {
		t.Errorf("zero shares = %v, want NaN", got)
	}
	if got := ExposureParityRatio(x, group, 0, 1); !math.IsNaN(got) {
		t.Errorf("parity ratio with empty group = %v, want NaN", got)
	}
	if got := DisparateTreatmentRatio(x, []float64{0, 0, 0}, group, 0, 1); !math.IsNaN(got) {
		t.Errorf("DTR with empty group = %v, want NaN", got)
	}
	// Aligned groups: item 1 half in each group, item 2 unknown.
	align := Alignment{Groups: 2, Weights: []float64{1, 0, 0.5, 0.5, 0, 0}}
	if diff := cmp.Diff([]float64{2, 1}, GroupExposureAlignedTo(nil, x, align), exposureApprox); diff != "" {
		t.Errorf("aligned (-want +got):\n%s", diff)
	}
	// Single codes as an alignment give the plain sums.
	if diff := cmp.Diff(GroupExposureTo(nil, x, group, 2), GroupExposureAlignedTo(nil, x, AlignmentOf(group, 2)), exposureApprox); diff != "" {
		t.Errorf("AlignmentOf (-codes +aligned):\n%s", diff)
	}
}

func TestExposurePanics(t *testing.T) {
	lists, group, rel := exposureOneList()
	x := make([]float64, 6)
	for i, f := range []func(){
		func() { ItemExposureTo(nil, lists, -1, Exposure{}, Relevance{}, nil) },
		func() { ItemExposureTo(make([]float64, 2), lists, 6, Exposure{}, Relevance{}, nil) },
		func() {
			ItemExposureTo(nil, Rankings{Offsets: []int64{0, 7}, Items: lists.Items}, 6, Exposure{}, Relevance{}, nil)
		},
		func() {
			ItemExposureTo(nil, Rankings{Offsets: []int64{1, 6}, Items: lists.Items}, 6, Exposure{}, Relevance{}, nil)
		},
		func() { ItemExposureTo(nil, lists, 6, Exposure{}, Relevance{}, []float64{1, 2}) },
		func() {
			ItemExposureTo(nil, lists, 6, Exposure{Model: ExposureCascade},
				Relevance{Offsets: []int64{0, 0, 0}}, nil)
		},
		func() {
			ItemExposureTo(nil, lists, 6, Exposure{Model: ExposureCascade},
				Relevance{Offsets: []int64{0, 2}, Items: []int32{3, 1}}, nil)
		},
		func() { ItemClicksTo(nil, lists, 6, Exposure{}, Relevance{}, nil) },
		func() {
			ItemMeritTo(nil, Relevance{Offsets: []int64{0, 1}, Items: []int32{0}, Grades: []float64{1, 2}}, 6, nil)
		},
		func() { GroupExposureTo(nil, x, group, 0) },
		func() { GroupExposureTo(nil, x, group[:3], 2) },
		func() { GroupExposureTo(nil, x, []int32{0, 0, 2, 0, 0, 0}, 2) },
		func() { ExposureParityRatio(x, group, -1, 0) },
		func() { DisparateTreatmentRatio(x, x[:2], group, 0, 1) },
		func() { TargetSharesTo(nil, TargetMerit, group, 2, nil) },
		func() { TargetSharesTo(nil, 9, group, 2, nil) },
		func() { ShareDifferencesTo(nil, x, x[:1]) },
		func() { KLDivergence(x, x, 5) },
		func() { AlignmentOf(group, 1) },
		func() { GroupExposureAlignedTo(nil, x, Alignment{Groups: 4, Weights: make([]float64, 6)}) },
		func() { _ = rel; ExposureSharesTo(make([]float64, 1), x) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}

// TestExposureProperties checks, on random data, that group shares sum to
// 1, that group sums add up to the exposure of grouped items, and that the
// realised shares equal the catalogue target under a perfectly fair
// policy (every item at every rank equally often).
func TestExposureProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const nItems, nUsers, n = 30, 50, 8
	group := make([]int32, nItems)
	for i := range group {
		group[i] = int32(rng.IntN(4)) - 1
	}
	offs := []int64{0}
	var items []int32
	for range nUsers {
		for _, it := range rng.Perm(nItems)[:n] {
			items = append(items, int32(it))
		}
		offs = append(offs, int64(len(items)))
	}
	lists := Rankings{Offsets: offs, Items: items}
	for _, model := range []Exposure{{}, {Model: ExposureClippedLog}, {Model: ExposureGeometric, Patience: 0.8}, {Model: ExposureAttention, TopShare: 0.3}, {Cutoff: 5}} {
		x := ItemExposureTo(nil, lists, nItems, model, Relevance{}, nil)
		sums := GroupExposureTo(nil, x, group, 3)
		var total, grouped float64
		for i, v := range x {
			total += v
			if group[i] >= 0 {
				grouped += v
			}
		}
		var s float64
		for _, v := range sums {
			s += v
		}
		if math.Abs(s-grouped) > 1e-9 {
			t.Errorf("%v: group sums %v, grouped exposure %v", model.Model, s, grouped)
		}
		w := model.WeightsTo(nil, n, nil)
		var perList float64
		for _, v := range w {
			perList += v
		}
		if math.Abs(total-nUsers*perList) > 1e-9 {
			t.Errorf("%v: total exposure %v, want %v", model.Model, total, nUsers*perList)
		}
		var shareSum float64
		for _, v := range ExposureSharesTo(nil, sums) {
			shareSum += v
		}
		if math.Abs(shareSum-1) > 1e-12 {
			t.Errorf("%v: shares sum to %v", model.Model, shareSum)
		}
	}
	// Perfectly fair policy: the lists are all cyclic shifts of the
	// catalogue, so every item gets the same exposure and the shares equal
	// the catalogue target (ratio 1, DP ratio 1, KL 0).
	var fair Rankings
	fair.Offsets = []int64{0}
	for u := range nItems {
		for r := range nItems {
			fair.Items = append(fair.Items, int32((u+r)%nItems))
		}
		fair.Offsets = append(fair.Offsets, int64(len(fair.Items)))
	}
	x := ItemExposureTo(nil, fair, nItems, Exposure{}, Relevance{}, nil)
	s := ExposureSharesTo(nil, GroupExposureTo(nil, x, group, 3))
	tgt := TargetSharesTo(nil, TargetCatalog, group, 3, nil)
	if d := L1Distance(s, tgt); d > 1e-12 {
		t.Errorf("fair policy: L1 to catalogue target = %v", d)
	}
	if r := ExposureParityRatio(x, group, 0, 2); math.Abs(r-1) > 1e-12 {
		t.Errorf("fair policy: DP ratio = %v", r)
	}
}

// TestExposureConvertsFromMetrics guards the documented conversions from
// the metrics package's identical layouts.
func TestExposureConvertsFromMetrics(t *testing.T) {
	r := Rankings(metrics.Rankings{Offsets: []int64{0, 2}, Items: []int32{3, 1}})
	j := Relevance(metrics.Relevance{Offsets: []int64{0, 1}, Items: []int32{1}, Grades: []float64{2}})
	// hand-computed: item 1 at rank 2 with grade 2: clicks 2/log2(3).
	got := ItemClicksTo(nil, r, 4, Exposure{}, j, nil)
	if diff := cmp.Diff([]float64{0, 2 / math.Log2(3), 0, 0}, got, exposureApprox); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
