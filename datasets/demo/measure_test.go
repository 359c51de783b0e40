package demo_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/recaudit/recaudit/datasets"
)

// stats are the group differences the planted effects should produce.
type stats struct {
	BandMean    []float64 // mean interactions per user by age band (Levels order)
	AgeRatio    float64   // mean(65+) / mean(18-24)
	BrandRatio  float64   // mean interactions per brand item / per independent item
	CreditRate  []float64 // credit interactions / interactions by age band
	CreditRatio float64   // credit rate of 18-24 / credit rate of everyone else
	GenderAUC   float64   // AUC of a category-share score separating F from M
}

func codeOf(c *datasets.Column, level string) int32 {
	return int32(slices.Index(c.Levels, level))
}

func measureGroups(d *datasets.Dataset) stats {
	var s stats
	m := &d.Interactions
	age, _ := d.UserColumn("age_band")
	gender, _ := d.UserColumn("gender")
	ptype, _ := d.ItemColumn("provider_type")
	credit, _ := d.ItemColumn("high_cost_credit")
	category, _ := d.ItemColumn("category")

	nb := len(age.Levels)
	sum := make([]float64, nb)
	cnt := make([]float64, nb)
	cred := make([]float64, nb)
	for u := 0; u < m.Rows; u++ {
		b := age.Codes[u]
		sum[b] += float64(m.Len(u))
		cnt[b]++
		for _, it := range m.Row(u) {
			if credit.Bools[it] {
				cred[b]++
			}
		}
	}
	s.BandMean = make([]float64, nb)
	s.CreditRate = make([]float64, nb)
	for b := range nb {
		s.BandMean[b] = sum[b] / cnt[b]
		s.CreditRate[b] = cred[b] / sum[b]
	}
	y, o := codeOf(age, "18-24"), codeOf(age, "65+")
	s.AgeRatio = s.BandMean[o] / s.BandMean[y]
	var oc, os float64
	for b := range nb {
		if int32(b) != y {
			oc += cred[b]
			os += sum[b]
		}
	}
	s.CreditRatio = s.CreditRate[y] / (oc / os)

	deg := make([]float64, m.NumCols)
	for _, it := range m.Cols {
		deg[it]++
	}
	brand := codeOf(ptype, "brand")
	var bs, bn, is, in float64
	for it, dg := range deg {
		if ptype.Codes[it] == brand {
			bs += dg
			bn++
		} else {
			is += dg
			in++
		}
	}
	s.BrandRatio = (bs / bn) / (is / in)

	// Gender: score = mean over a user's items of +1 (F-leaning category),
	// -1 (M-leaning); F-leaning are beauty, fashion, health, home.
	fl := map[string]float64{"beauty": 1, "fashion": 1, "health": 1, "home": 1, "automotive": -1, "electronics": -1, "sports": -1}
	lv := make([]float64, len(category.Levels))
	for i, l := range category.Levels {
		lv[i] = fl[l]
	}
	f, mm := codeOf(gender, "F"), codeOf(gender, "M")
	var fs, ms []float64
	for u := 0; u < m.Rows; u++ {
		var sc float64
		for _, it := range m.Row(u) {
			for _, c := range category.RowCodes(int(it)) {
				sc += lv[c]
			}
		}
		sc /= float64(m.Len(u))
		switch gender.Codes[u] {
		case f:
			fs = append(fs, sc)
		case mm:
			ms = append(ms, sc)
		}
	}
	s.GenderAUC = auc(fs, ms)
	return s
}

// auc is the Mann-Whitney probability that a random element of a exceeds
// one of b (ties count half).
func auc(a, b []float64) float64 {
	type v struct {
		x float64
		a bool
	}
	all := make([]v, 0, len(a)+len(b))
	for _, x := range a {
		all = append(all, v{x, true})
	}
	for _, x := range b {
		all = append(all, v{x, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].x < all[j].x })
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].x == all[i].x {
			j++
		}
		r := float64(i+j+1) / 2 // mean 1-based rank of the tie block
		for k := i; k < j; k++ {
			if all[k].a {
				rankSum += r
			}
		}
		i = j
	}
	na, nb := float64(len(a)), float64(len(b))
	return (rankSum - na*(na+1)/2) / (na * nb)
}

// hitRates holds out one random item per user and returns the hit rate@k
// of most-popular and of cosine item-kNN (sum of similarities to the
// user's other items), both excluding the user's training items.
func hitRates(m *datasets.CSR, k int) (pop, knn float64) {
	rng := rand.New(rand.NewPCG(7, 7))
	n := m.NumCols
	held := make([]int32, m.Rows)
	deg := make([]float64, n)
	co := make([]float64, n*n)
	train := make([][]int32, m.Rows)
	for u := 0; u < m.Rows; u++ {
		row := m.Row(u)
		h := rng.IntN(len(row))
		held[u] = row[h]
		tr := make([]int32, 0, len(row)-1)
		tr = append(tr, row[:h]...)
		tr = append(tr, row[h+1:]...)
		train[u] = tr
		for _, i := range tr {
			deg[i]++
			for _, j := range tr {
				co[int(i)*n+int(j)]++
			}
		}
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(a, b int) bool { return deg[order[a]] > deg[order[b]] })
	score := make([]float64, n)
	inv := make([]float64, n) // 1/sqrt(degree): cosine normalisation
	for i, dg := range deg {
		if dg > 0 {
			inv[i] = 1 / math.Sqrt(dg)
		}
	}
	for i := range n { // co becomes the cosine similarity
		for j := range n {
			co[i*n+j] *= inv[i] * inv[j]
		}
	}
	in := make([]bool, n)
	var hp, hk float64
	var picked []int32
	for u := 0; u < m.Rows; u++ {
		for _, i := range train[u] {
			in[i] = true
		}
		got := 0
		for _, i := range order {
			if got == k {
				break
			}
			if in[i] {
				continue
			}
			if i == held[u] {
				hp++
			}
			got++
		}
		clear(score)
		for _, i := range train[u] {
			sim := co[int(i)*n : int(i+1)*n]
			for j := range sim {
				score[j] += sim[j]
			}
		}
		for range k { // the k best unseen items, ties to the lower index
			best := -1
			for j := 0; j < n; j++ {
				if !in[j] && (best < 0 || score[j] > score[best]) {
					best = j
				}
			}
			if best < 0 {
				break
			}
			if int32(best) == held[u] {
				hk++
			}
			in[best] = true
			picked = append(picked, int32(best))
		}
		for _, j := range picked {
			in[j] = false
		}
		picked = picked[:0]
		for _, i := range train[u] {
			in[i] = false
		}
	}
	return hp / float64(m.Rows), hk / float64(m.Rows)
}

func TestAUCHelper(t *testing.T) {
	const tol = 1e-12
	for _, tc := range []struct {
		a, b []float64
		want float64 // hand-computed: share of (a, b) pairs with a > b, ties half
	}{
		{[]float64{3, 4}, []float64{1, 2}, 1},
		{[]float64{1, 2}, []float64{3, 4}, 0},
		{[]float64{1}, []float64{1}, 0.5},
		{[]float64{1, 3}, []float64{2, 2}, 0.5},   // pairs: 1<2, 1<2, 3>2, 3>2
		{[]float64{2, 3}, []float64{1, 2}, 0.875}, // 2>1, 2=2, 3>1, 3>2: 3.5/4
	} {
		if got := auc(tc.a, tc.b); math.Abs(got-tc.want) > tol {
			t.Errorf("auc(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
