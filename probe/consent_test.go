package probe

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/recommenders"
)

// rankings builds a Rankings from lists, one per user.
func rankings(lists ...[]int32) datasets.Rankings {
	r := datasets.Rankings{Offsets: make([]int64, len(lists)+1)}
	for u, l := range lists {
		r.Offsets[u+1] = r.Offsets[u] + int64(len(l))
		r.Items = append(r.Items, l...)
	}
	return r
}

func TestCommonList(t *testing.T) {
	r := rankings([]int32{1, 2}, []int32{3, 4}, []int32{1, 2, 9}, []int32{3, 4}, []int32{0, 5}, nil)
	for _, tc := range []struct {
		name   string
		users  []int32
		k      int
		prefer []int32
		want   []int32
		n      int
	}{
		{"tie to the smaller", []int32{0, 1, 2, 3}, 2, nil, []int32{1, 2}, 2},
		{"tie to prefer", []int32{0, 1, 2, 3}, 2, []int32{3, 4}, []int32{3, 4}, 2},
		{"full length", []int32{0, 1, 2, 3}, 3, nil, []int32{3, 4}, 2},
		{"single", []int32{4}, 2, nil, []int32{0, 5}, 1},
		{"empty list", []int32{5}, 2, nil, []int32{}, 1},
		{"nobody", nil, 2, nil, nil, 0},
	} {
		got, n := commonList(&r, tc.users, tc.k, tc.prefer)
		if !slices.Equal(got, tc.want) || n != tc.n {
			t.Errorf("%s: got %v held by %d, want %v held by %d", tc.name, got, n, tc.want, tc.n)
		}
	}
}

// TestListsHand checks Lists on four users whose numbers are worked out by
// hand: non-consenting users 0 and 1 get the most-popular list [1 2],
// consenting users 2 and 3 get [1 3] and [4 5].
func TestListsHand(t *testing.T) {
	// Popularity by distinct users: item 1 (3 users), item 2 (2), then 0,
	// 3, 4, 5 (ties by index): the most-popular top-2 is [1 2].
	train := tinyCSR(6, []int32{1, 2}, []int32{1, 2}, []int32{0, 1, 3}, []int32{4, 5})
	lists := rankings([]int32{1, 2}, []int32{1, 2}, []int32{1, 3}, []int32{4, 5})
	consent := []bool{false, false, true, true}
	got := Consent{Permutations: 60_000, Src: rand.NewPCG(1, 1)}.Lists(&lists, &train, consent)
	nan := math.NaN()
	want := &ListsResult{
		Method: "lists", Cutoffs: []int{2}, Persistence: 0.9, Alpha: 0.05, Permutations: 60_000,
		ShareInterval: "wilson", Consenting: 2, NonConsenting: 2,
		ByCutoff: []ListsCutoff{{
			K: 2,
			// 0 of 2 off the common list; Wilson upper bound hand-computed
			// (x = 0: z²/(n + z²) = 3.8415/5.8415).
			Share: est(0, 0, 0.6576197724933469),
			// consenting: common list [1 3] (tie, smaller), user 3 is off it.
			ConsentingShare: est(0.5, 0.09453120573423074, 0.9054687942657693),
			CommonRBO:       1,
			// overlap: non-consenting |{1,2} ∩ {1,2}|/2 = 1, consenting
			// |{1,3} ∩ {4,5}|/2 = 0. Of the 6 ways to pick 2 of 4 users
			// as non-consenting only the observed one reaches T = 1:
			// p → 1/6 (Monte Carlo; checked with a tolerance below).
			Overlap: GroupComparison{NonConsenting: 1, Consenting: 0, Difference: 1,
				Test: fairness.Test{Method: "permutation", Statistic: 1, P: 1.0 / 6, Q: fairness.Float(nan), Resamples: 60_000}},
			// distance 1 − RBO: users 0, 1: 0; user 2: 1 − RBO([1 3], [1 2])
			// = 1 − ((0.1/0.9)(0.9 + 0.5·0.81) + 0.5·0.81) = 0.45; user 3: 1.
			// consenting mean 0.725; exact test, 1 of 6 splits as extreme.
			PopularDistance: GroupComparison{NonConsenting: 0, Consenting: 0.725, Difference: 0.725,
				Test: fairness.Test{Method: "exact-permutation", Statistic: 0.725, P: 1.0 / 6, Q: fairness.Float(nan), Resamples: 6}},
		}},
	}
	// The Monte Carlo p-value has standard error sqrt(1/6·5/6/60000) ≈ 0.0015.
	if p := &got.ByCutoff[0].Overlap.Test.P; math.Abs(float64(*p)-1.0/6) > 0.006 {
		t.Errorf("overlap test p = %v, want about 1/6", *p)
	} else {
		*p = 1.0 / 6
	}
	if d := cmp.Diff(want, got, floatApprox(1e-9)); d != "" {
		t.Errorf("Lists (-want +got)\n%s", d)
	}

	// A personalising file: user 1 gets a list of their own.
	lists2 := rankings([]int32{1, 2}, []int32{2, 0}, []int32{1, 3}, []int32{4, 5})
	got = Consent{Permutations: 100, Src: rand.NewPCG(1, 1)}.Lists(&lists2, &train, consent)
	if c := got.ByCutoff[0]; !got.Flagged || c.Personalised != 1 || c.Share.Value != 0.5 {
		t.Errorf("personalising file: flagged %v, personalised %d, share %v; want flagged, 1, 0.5", got.Flagged, c.Personalised, c.Share.Value)
	}
	// The same with a tolerance of 60%: one of two is not shown to exceed it.
	got = Consent{Permutations: 100, Tolerance: 0.6, Src: rand.NewPCG(1, 1)}.Lists(&lists2, &train, consent)
	if got.Flagged {
		t.Error("one of two personalised lists is flagged with a tolerance of 60%")
	}
	// JSON: NaN becomes null.
	b, err := json.Marshal(Consent{Permutations: 10}.Lists(&lists, &train, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"share":{"value":null,"ci":[null,null]}`) {
		t.Errorf("JSON of a probe without non-consenting users: %s", b)
	}
}

// floatApprox compares fairness.Float values within tol, NaN equal to NaN.
func floatApprox(tol float64) cmp.Option {
	return cmp.Comparer(func(a, b fairness.Float) bool {
		return a.IsNaN() && b.IsNaN() || math.Abs(float64(a-b)) <= tol
	})
}

// est builds an Estimate.
func est(v, lo, hi float64) fairness.Estimate {
	return fairness.Estimate{Value: fairness.Float(v), CI: fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}}
}

// popularSystem is a non-personalised, data-driven system: every user gets
// the k items with the most training users.
func popularSystem(ctx context.Context, train *recommenders.TrainView, k int) (datasets.Rankings, error) {
	pop := &recommenders.Popular{IncludeTraining: true}
	if err := pop.Fit(ctx, train); err != nil {
		return datasets.Rankings{}, err
	}
	return pop.Recommend(ctx, allUsers(train.NumUsers()), k)
}

// ownHistory personalises for every user with an odd index: their list is
// their own history, last item first. Even users get the empty list.
func ownHistory(_ context.Context, train *recommenders.TrainView, k int) (datasets.Rankings, error) {
	m := &train.Interactions
	lists := make([][]int32, m.Rows)
	for u := range lists {
		if u%2 == 1 {
			r := slices.Clone(m.Row(u))
			slices.Reverse(r)
			lists[u] = prefix(r, k)
		}
	}
	return rankings(lists...), nil
}

func TestRerunFakeSystems(t *testing.T) {
	// 40 users; the even ones consent. User u has items 1+a, 1+(a+3)%20,
	// 1+(a+7)%20 (a = u%20) for u < 20 and 1+a, 1+(a+5)%20, 1+(a+12)%20
	// above: the differences 3, 4, 13 and 5, 7, 8 make every history
	// unique. The non-consenting users also have item 0, which makes it
	// the most popular item until their histories are dropped or replaced.
	const n = 40
	rows := make([][]int32, n)
	consent := make([]bool, n)
	for u := range rows {
		a, d1, d2 := u%20, 3, 7
		if u >= 20 {
			d1, d2 = 5, 12
		}
		r := []int32{1 + int32(a), 1 + int32((a+d1)%20), 1 + int32((a+d2)%20)}
		consent[u] = u%2 == 0 // odd users do not consent
		if !consent[u] {
			r = append(r, 0) // the most popular item, held by the non-consenting only
		}
		slices.Sort(r)
		rows[u] = r
	}
	m := tinyCSR(21, rows...)
	train := &recommenders.TrainView{Interactions: m}
	ctx := context.Background()
	config := func() Consent { return Consent{K: 3, Cutoffs: []int{1, 3}, B: 200, Src: rand.NewPCG(7, 7)} }
	cfg := config()

	// The popular list drifts when histories are dropped or replaced, the
	// same for everyone: never a violation.
	res, err := cfg.Rerun(ctx, popularSystem, train, consent)
	if err != nil {
		t.Fatal(err)
	}
	if res.Flagged || res.NonConsenting != 20 || len(res.Perturbations) != 3 {
		t.Fatalf("popular system: flagged %v, %d non-consenting, %d perturbations", res.Flagged, res.NonConsenting, len(res.Perturbations))
	}
	for _, p := range res.Perturbations {
		if p.Perturbed != 20 {
			t.Errorf("%s perturbed %d users, want all 20", p.Perturbation, p.Perturbed)
		}
		for _, c := range p.Cutoffs {
			if c.Violating != 0 || c.Probed != 20 {
				t.Errorf("popular system, %s@%d: %d of %d violate", p.Perturbation, c.K, c.Violating, c.Probed)
			}
			if p.Perturbation == "shuffle" && (c.FallbackRBOChange != 0 || c.RBOChange.Value != 0) {
				t.Errorf("shuffle moved the popular list: %v", c.FallbackRBOChange)
			}
			// Every user holds the common list: the users' mean change is
			// the common list's change.
			if math.Abs(float64(c.RBOChange.Value-c.FallbackRBOChange)) > tol {
				t.Errorf("%s@%d: mean change %v, common list's %v", p.Perturbation, c.K, c.RBOChange.Value, c.FallbackRBOChange)
			}
		}
	}
	drop := res.Perturbations[0].Cutoffs[1]
	if !(drop.FallbackJaccardChange > 0) {
		t.Errorf("dropping half the histories did not move the top-3 popular list (%v): the test does not test the drift", drop.FallbackJaccardChange)
	}

	// Every odd user (all non-consenting) gets their own history: each
	// perturbation moves every list.
	res, err = config().Rerun(ctx, ownHistory, train, consent)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Flagged {
		t.Error("a system that shows users their own history is not flagged")
	}
	for _, p := range res.Perturbations {
		for _, c := range p.Cutoffs {
			switch {
			case c.K == 1:
				// Top-1 items of different users coincide, so some are
				// let off or do not move: the share is a lower bound.
				if c.Violating == 0 || c.Violating > c.Probed {
					t.Errorf("own history, %s@1: %d of %d violate", p.Perturbation, c.Violating, c.Probed)
				}
			case c.Violating != c.Probed || c.Probed < 19 || c.Share.Value != 1 || !c.Flagged:
				// Every full list is unique, and every perturbation
				// changes it (random keeps a user's 3 items with
				// probability 1/1140, and that user is not probed).
				t.Errorf("own history, %s@%d: %d of %d violate, share %v", p.Perturbation, c.K, c.Violating, c.Probed, c.Share.Value)
			}
		}
	}
	// Determinism: the same seed, the same result.
	again, err := config().Rerun(ctx, ownHistory, train, consent)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(res, again, floatApprox(0)); d != "" {
		t.Errorf("not deterministic (-first +second)\n%s", d)
	}

	// nil consent: nothing to probe.
	res, err = cfg.Rerun(ctx, ownHistory, train, nil)
	if err != nil || res.Flagged || res.NonConsenting != 0 || res.Perturbations[0].Cutoffs[0].Probed != 0 {
		t.Errorf("nil consent: %+v, %v", res, err)
	}
	// A system returning the wrong number of lists is an error.
	short := func(context.Context, *recommenders.TrainView, int) (datasets.Rankings, error) {
		return rankings(nil), nil
	}
	if _, err := cfg.Rerun(ctx, short, train, consent); err == nil {
		t.Error("lists for one user of 40 were accepted")
	}
	// Cancellation.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := cfg.Rerun(cctx, popularSystem, train, consent); err != context.Canceled {
		t.Errorf("cancelled: err %v", err)
	}
}

func TestConsentPanics(t *testing.T) {
	train := &recommenders.TrainView{Interactions: tinyCSR(3, []int32{0}, []int32{1})}
	lists := rankings([]int32{0}, []int32{1})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    Consent
	}{
		{"negative K", Consent{K: -1}},
		{"cutoff 0", Consent{Cutoffs: []int{0}}},
		{"cutoff above K", Consent{K: 2, Cutoffs: []int{3}}},
		{"persistence 1", Consent{Persistence: 1}},
		{"tolerance 1", Consent{Tolerance: 1}},
		{"alpha 1", Consent{Alpha: 1}},
		{"negative B", Consent{B: -1}},
		{"bad perturbation", Consent{Perturbations: []Perturbation{-1}}},
	} {
		if !panics(func() { _, _ = tc.c.Rerun(ctx, popularSystem, train, []bool{true, false}) }) {
			t.Errorf("Rerun with %s did not panic", tc.name)
		}
	}
	if !panics(func() { _, _ = (Consent{}).Rerun(ctx, popularSystem, train, []bool{true}) }) {
		t.Error("Rerun with a short consent did not panic")
	}
	if !panics(func() { (Consent{}).Lists(&lists, &train.Interactions, []bool{true}) }) {
		t.Error("Lists with a short consent did not panic")
	}
}
