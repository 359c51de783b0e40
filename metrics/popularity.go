package metrics

import (
	"cmp"
	"math"
	"slices"
)

// popularity returns pop[it], or 0 for an item outside pop.
func popularity(pop []float64, it int32) float64 {
	if uint32(it) >= uint32(len(pop)) {
		return 0
	}
	return pop[it]
}

// truncate returns the first k items of list (all of them when k = 0). It
// panics if k < 0.
func truncate(list []int32, k int) []int32 {
	if k < 0 {
		panic(badCutoff)
	}
	if k > 0 && len(list) > k {
		return list[:k]
	}
	return list
}

// Novelty returns the mean self-information of the first k items of list,
//
//	Nov = (1/|L^k|) Σ_{i ∈ L^k} −log2(φ(i) / total),
//
// where φ(i) = pop[i] is the popularity of i in training and total the
// number of training users when φ counts distinct users (the default of
// METRICS-SPEC.md §0 item 7), or the number of training interactions when
// φ counts interactions. An item with popularity 0 or outside pop (never
// seen in training) gets the self-information of an item seen once,
// log2(total), the largest any training item has. k = 0 means the whole
// list. Novelty returns NaN for an empty list or total <= 0, and panics if
// k < 0. Reference: Zhou et al., "Solving the apparent diversity–accuracy
// dilemma of recommender systems", PNAS 2010; METRICS-SPEC.md §2.4.
func Novelty(list []int32, k int, pop []float64, total float64) float64 {
	list = truncate(list, k)
	if len(list) == 0 || !(total > 0) {
		return math.NaN()
	}
	var s float64
	for _, it := range list {
		p := popularity(pop, it)
		if p <= 0 {
			p = 1
		}
		s -= math.Log2(p / total)
	}
	return s / float64(len(list))
}

// MeanPopularity returns the mean popularity of the first k items of list,
//
//	MP = (1/|L^k|) Σ_{i ∈ L^k} φ(i),
//
// with φ(i) = pop[i] (0 outside pop). Its mean over users is the average
// recommendation popularity, ARP (Abdollahpouri, Burke & Mobasher, FLAIRS
// 2019), with φ counting training interactions; applied to a user's
// training profile (k = 0) it gives the profile popularity that DeltaGAP
// compares with. k = 0 means the whole list. MeanPopularity returns NaN
// for an empty list and panics if k < 0. Reference: METRICS-SPEC.md §2.7
// and §2.9.
func MeanPopularity(list []int32, k int, pop []float64) float64 {
	list = truncate(list, k)
	if len(list) == 0 {
		return math.NaN()
	}
	var s float64
	for _, it := range list {
		s += popularity(pop, it)
	}
	return s / float64(len(list))
}

// DeltaGAP returns the relative popularity lift of a user group,
//
//	ΔGAP = (GAP_r − GAP_p) / GAP_p,
//
// where GAP_r is the mean over the group's users of recs[u] and GAP_p the
// mean of profile[u], the per-user MeanPopularity of their recommendation
// lists and of their training profiles. NaN entries (empty lists or
// profiles) are left out of each mean. 0 means recommendations mirror the
// profiles' popularity; positive values mean popularity is amplified.
// DeltaGAP returns NaN when either mean has no value or GAP_p is 0.
// Reference: Abdollahpouri et al., "The unfairness of popularity bias in
// recommendation", RMSE@RecSys 2019; METRICS-SPEC.md §2.9.
func DeltaGAP(profile, recs []float64) float64 {
	p, r := nanMean(profile), nanMean(recs)
	if p == 0 {
		return math.NaN()
	}
	return (r - p) / p
}

// nanMean returns the mean of the non-NaN values of x, NaN if there is none.
func nanMean(x []float64) float64 {
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// HeadTail splits the catalogue into a short head and a long tail by
// popularity: items are taken by descending pop (ties by ascending item
// index) into the head until the head's popularity reaches share·Σ pop; the
// item that crosses the line is in the head (Elliot popularity.py). It
// returns tail, with tail[i] true for the items of the long tail, items of
// popularity 0 included. The default share is 0.8. HeadTail panics if share
// is not in (0, 1]. Reference: METRICS-SPEC.md §2.8.
func HeadTail(pop []float64, share float64) (tail []bool) {
	if !(share > 0 && share <= 1) {
		panic(badShare)
	}
	order := make([]int32, len(pop))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(pop[b], pop[a]) })
	var total float64
	for _, p := range pop {
		total += p
	}
	tail = make([]bool, len(pop))
	for i := range tail {
		tail[i] = true
	}
	var head float64
	for _, it := range order {
		if !(head < share*total) {
			break
		}
		tail[it] = false
		head += pop[it]
	}
	return tail
}

// TailByFraction returns the long tail as the max(⌊ratio·|I|⌋, 1) least
// popular items (ties by ascending item index), as RecBole's
// TailPercentage does with a ratio <= 1 (default 0.1). It returns nil for
// an empty catalogue and panics if ratio is not in (0, 1]. Reference:
// METRICS-SPEC.md §2.8.
func TailByFraction(pop []float64, ratio float64) (tail []bool) {
	if !(ratio > 0 && ratio <= 1) {
		panic(badRatio)
	}
	if len(pop) == 0 {
		return nil
	}
	order := itemsByPopularity(pop)
	tail = make([]bool, len(pop))
	for _, it := range order[:max(int(ratio*float64(len(pop))), 1)] {
		tail[it] = true
	}
	return tail
}

// itemsByPopularity returns the item indices by ascending popularity, ties
// by ascending index.
func itemsByPopularity(pop []float64) []int32 {
	order := make([]int32, len(pop))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(pop[a], pop[b]) })
	return order
}

// TailShare returns the fraction of the first k items of list that are in
// the long tail,
//
//	APLT(u) = |L^k ∩ T| / |L^k|;
//
// its mean over users is APLT (Abdollahpouri, Burke & Mobasher, RecSys
// 2017). tail comes from HeadTail or TailByFraction; items outside it are
// not in the tail. k = 0 means the whole list. TailShare returns NaN for an
// empty list and panics if k < 0. Reference: METRICS-SPEC.md §2.8.
func TailShare(list []int32, k int, tail []bool) float64 {
	list = truncate(list, k)
	if len(list) == 0 {
		return math.NaN()
	}
	return float64(TailCount(list, 0, tail)) / float64(len(list))
}

// TailCount returns the number of the first k items of list that are in
// the long tail, |L^k ∩ T|; its mean over users is ACLT (Abdollahpouri et
// al., FLAIRS 2019). k = 0 means the whole list. TailCount panics if k < 0.
// Reference: METRICS-SPEC.md §2.8.
func TailCount(list []int32, k int, tail []bool) int {
	n := 0
	for _, it := range truncate(list, k) {
		if uint32(it) < uint32(len(tail)) && tail[it] {
			n++
		}
	}
	return n
}
