package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestGroupsMultiMatchesGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	a, g := synth(r, []int{31, 47, 1, 0, 12}, []float64{0.4, 0.5, 0.6, 0, 0.3})
	b, _ := synth(r, []int{31, 47, 1, 0, 12}, []float64{0.5, 0.5, 0.5, 0, 0.5})
	c := make([]float64, len(a))
	for u := range c {
		c[u] = float64(u % 2)
	}
	withNaN := append([]float64(nil), a...)
	withNaN[3] = nan
	g[10] = -1
	cols := [][]float64{a, withNaN, b, c}
	for _, unstrat := range []bool{false, true} {
		bs := Bootstrap{B: 97, Unstratified: unstrat, Aggregators: []Aggregator{MaxMinDiff, ToOverallRatio, Variance}, Src: rand.NewPCG(2, 3)}
		multi := bs.GroupsMulti(cols, g, 5)
		for k, col := range cols {
			bs.Src = rand.NewPCG(2, 3)
			single := bs.Groups(col, g, 5)
			// The same users are drawn; the sums are accumulated in another
			// order, so they agree up to rounding.
			d := cmp.Diff(single, multi[k], cmpopts.EquateNaNs(), cmpopts.EquateApprox(1e-12, 1e-15))
			if k == 1 {
				// With a NaN the resampling units differ; the estimates and
				// counts do not.
				if d == "" {
					t.Errorf("unstratified=%v: column with NaN unexpectedly identical", unstrat)
				}
				if single.Groups[0].Estimate != multi[k].Groups[0].Estimate || !cmp.Equal(single.Counts, multi[k].Counts) {
					t.Errorf("unstratified=%v: estimates or counts differ for the column with NaN", unstrat)
				}
				continue
			}
			if d != "" {
				t.Errorf("unstratified=%v, column %d: Groups vs GroupsMulti (-single +multi):\n%s", unstrat, k, d)
			}
		}
	}
}

func TestGroupsMultiSingleColumn(t *testing.T) {
	// With a single column without NaN, GroupsMulti is Groups bit for bit.
	r := rand.New(rand.NewPCG(6, 7))
	v, g := synth(r, []int{31, 47, 5}, []float64{0.4, 0.5, 0.6})
	for _, unstrat := range []bool{false, true} {
		multi := Bootstrap{B: 101, Unstratified: unstrat, Src: rand.NewPCG(2, 3)}.GroupsMulti([][]float64{v}, g, 3)
		single := Bootstrap{B: 101, Unstratified: unstrat, Src: rand.NewPCG(2, 3)}.Groups(v, g, 3)
		if d := cmp.Diff(single, multi[0]); d != "" {
			t.Errorf("unstratified=%v (-single +multi):\n%s", unstrat, d)
		}
	}
}

func TestReplicatesMultiNaN(t *testing.T) {
	const tol = 1e-12
	// Column v has NaN for some users. Column miss is 1 where v is NaN, and
	// column zero is v with NaN replaced by 0; neither has NaN. In every
	// resample the drawn users are shared, so for each group
	//	count_v = n_g·(1 − mean(miss)),  mean(v) = n_g·mean(zero)/count_v
	// and the overall mean is Σ_g n_g·mean(zero) / Σ_g count_v
	// (hand-derived identities).
	r := rand.New(rand.NewPCG(7, 7))
	v, g := synth(r, []int{20, 30, 2}, []float64{0.4, 0.6, 0.5})
	miss := make([]float64, len(v))
	zero := make([]float64, len(v))
	for u := range v {
		if r.Float64() < 0.3 || u == 50 || u == 51 { // group 2 has no value at all
			v[u] = nan
		}
		if math.IsNaN(v[u]) {
			miss[u] = 1
		} else {
			zero[u] = v[u]
		}
	}
	sizes := []float64{20, 30, 2}
	for _, unstrat := range []bool{false, true} {
		const B = 300
		reps := Bootstrap{B: B, Unstratified: unstrat, Src: rand.NewPCG(1, 5)}.ReplicatesMulti(nil, [][]float64{v, miss, zero}, g, 3)
		// Unstratified resamples do not keep n_g, but per group
		// mean(v)·(1 − mean(miss)) = mean(zero) still holds.
		for b := range B {
			row := reps[b*12 : (b+1)*12]
			mv, mm, mz := row[0:4], row[4:8], row[8:12]
			if unstrat {
				// mean(v) · count = sum of values, so mean(v)/mean(zero) =
				// 1/(1 − mean(miss)) per group where defined.
				for k := range 2 {
					if !math.IsNaN(mv[k]) && mm[k] < 1 {
						checkNear(t, "unstratified ratio", mv[k]*(1-mm[k]), mz[k], tol)
					}
				}
				continue
			}
			var sum, cnt float64
			for k, n := range sizes {
				count := n * (1 - mm[k])
				if count == 0 {
					checkNear(t, "no value drawn", mv[k], nan, 0)
				} else {
					checkNear(t, "group mean", mv[k], n*mz[k]/count, tol)
				}
				sum += n * mz[k]
				cnt += count
			}
			checkNear(t, "overall", mv[3], sum/cnt, tol)
			checkNear(t, "group 2 (all NaN)", mv[2], nan, 0)
		}
	}
	res := Bootstrap{B: 50, Src: rand.NewPCG(1, 5)}.GroupsMulti([][]float64{v}, g, 3)
	if iv := res[0].Groups[2]; iv.Undefined != 50 || !math.IsNaN(iv.Estimate) {
		t.Errorf("group without values: %+v", iv)
	}
}

func TestMultiPanics(t *testing.T) {
	v := []float64{1, 2}
	for name, f := range map[string]func(){
		"length":     func() { Bootstrap{}.GroupsMulti([][]float64{v, {1}}, []int32{0, 1}, 2) },
		"group code": func() { Bootstrap{}.ReplicatesMulti(nil, [][]float64{v}, []int32{0, 2}, 2) },
		"dst":        func() { Bootstrap{B: 3}.ReplicatesMulti(make([]float64, 2), [][]float64{v}, []int32{0, 1}, 2) },
		"groups":     func() { Bootstrap{}.ReplicatesMulti(nil, nil, nil, -1) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
	// No columns, or no grouped users: empty or NaN results, no panic.
	if got := (Bootstrap{B: 3}).GroupsMulti(nil, []int32{0}, 1); len(got) != 0 {
		t.Errorf("no columns: %v", got)
	}
	got := Bootstrap{B: 3}.ReplicatesMulti(nil, [][]float64{v}, []int32{-1, -1}, 1)
	for _, x := range got {
		if !math.IsNaN(x) {
			t.Fatalf("no grouped users: %v", got)
		}
	}
}
