package probe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOverlapTestExact checks overlapTest against brute force on nine
// users with random top-4 lists from 8 items: the groups' mutual overlaps
// (every pair of distinct users, |A ∩ B| / k) and the one-sided p-value,
// against the exact permutation p-value over all C(9, n) relabelings. The
// non-consenting group is once the smaller (3 users, the drawn group) and
// once the larger (6 users, so that the consenting users are drawn and
// the statistic is negated).
func TestOverlapTestExact(t *testing.T) {
	const m, k, nItems, perms = 9, 4, 8, 40_000
	rng := rand.New(rand.NewPCG(5, 6))
	lists := make([][]int32, m)
	for u := range lists {
		perm := rng.Perm(nItems)
		for _, it := range perm[:k] {
			lists[u] = append(lists[u], int32(it))
		}
	}
	// Make the first three users alike, so that p is far from 0 and 1 for
	// one split and small for the other.
	lists[1] = append([]int32{}, lists[0]...)
	lists[2] = []int32{lists[0][0], lists[0][1]}
	for _, it := range rng.Perm(nItems) {
		if len(lists[2]) < k && !slices.Contains(lists[2], int32(it)) {
			lists[2] = append(lists[2], int32(it))
		}
	}
	r := rankings(lists...)
	users := make([]int32, m)
	for i := range users {
		users[i] = int32(i)
	}
	overlap := func(group []int) float64 {
		var sum float64
		pairs := 0
		for i, a := range group {
			for j, b := range group {
				if i == j {
					continue
				}
				pairs++
				for _, x := range lists[a] {
					for _, y := range lists[b] {
						if x == y {
							sum++
						}
					}
				}
			}
		}
		return sum / float64(pairs) / k
	}
	for _, nNon := range []int{3, 6} {
		s := Consent{K: k, Permutations: perms, Src: rand.NewPCG(uint64(nNon), 1)}.resolve(k)
		got := s.overlapTest(&r, nItems, users, nNon, k)

		split := func(mask int) (non, con []int) {
			for i := range m {
				if mask&(1<<i) != 0 {
					non = append(non, i)
				} else {
					con = append(con, i)
				}
			}
			return non, con
		}
		non, con := split(1<<nNon - 1) // the first nNon users
		tObs := overlap(non) - overlap(con)
		if math.Abs(float64(got.NonConsenting)-overlap(non)) > 1e-12 || math.Abs(float64(got.Consenting)-overlap(con)) > 1e-12 ||
			math.Abs(float64(got.Difference)-tObs) > 1e-12 {
			t.Errorf("%d non-consenting: overlaps %v, %v, difference %v; brute force %v, %v, %v",
				nNon, got.NonConsenting, got.Consenting, got.Difference, overlap(non), overlap(con), tObs)
		}
		ge, all := 0, 0
		for mask := range 1 << m {
			if bitsSet(mask) != nNon {
				continue
			}
			all++
			a, b := split(mask)
			if overlap(a)-overlap(b) >= tObs-1e-12 {
				ge++
			}
		}
		exact := float64(ge) / float64(all)
		// The Monte Carlo p-value (ge+1)/(B+1) estimates the exact one
		// with standard error sqrt(p(1−p)/B); allow 5 of them.
		se := math.Sqrt(exact * (1 - exact) / perms)
		if p := float64(got.Test.P); math.Abs(p-exact) > 5*se+1.0/perms {
			t.Errorf("%d non-consenting: p = %v, exact permutation p = %d/%d = %v (se %.4f)", nNon, p, ge, all, exact, se)
		}
		t.Logf("%d non-consenting: T = %.4f, p = %.4f, exact %d/%d = %.4f", nNon, tObs, got.Test.P, ge, all, exact)
	}
}

func bitsSet(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
