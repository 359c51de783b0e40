package fairness

import "math"

// GroupMeans returns in dst the mean of the per-user values of each group
// (METRICS-SPEC.md §3.1):
//
//	dst[g] = (1/n_g) Σ_{u : groups[u] = g, values[u] not NaN} values[u]
//
// Group labels are codes in [0, numGroups); a label of -1 puts the user in no
// group. Users whose value is NaN or whose label is -1 are left out (count them
// with [GroupExcluded] and [Ungrouped]). The mean of an empty group is NaN.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// numGroups. GroupMeans panics if len(values) != len(groups), if numGroups < 0,
// if a label lies outside [-1, numGroups) or if len(dst) is wrong.
//
// Reference: Ekstrand et al., "All The Cool Kids, How Do They Fit In?",
// FAT* 2018 (per-group utility).
func GroupMeans(dst []float64, values []float64, groups []int32, numGroups int) []float64 {
	checkGroups(values, groups, numGroups)
	dst = useFloats(dst, numGroups)
	counts := make([]int, numGroups)
	clear(dst)
	for u, g := range groups {
		v := values[u]
		if g < 0 || math.IsNaN(v) {
			continue
		}
		dst[g] += v
		counts[g]++
	}
	for g, n := range counts {
		if n == 0 {
			dst[g] = math.NaN()
			continue
		}
		dst[g] /= float64(n)
	}
	return dst
}

// GroupCounts returns in dst the number of users of each group that have a
// value, that is the n_g of [GroupMeans]. Users whose value is NaN or whose
// label is -1 are not counted.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// numGroups. GroupCounts panics under the same conditions as [GroupMeans].
func GroupCounts(dst []int, values []float64, groups []int32, numGroups int) []int {
	checkGroups(values, groups, numGroups)
	dst = useInts(dst, numGroups)
	clear(dst)
	for u, g := range groups {
		if g >= 0 && !math.IsNaN(values[u]) {
			dst[g]++
		}
	}
	return dst
}

// GroupExcluded returns in dst the number of users of each group whose value
// is NaN, for example users with no relevant test items (METRICS-SPEC.md §0,
// convention 3). These users are left out of every group statistic.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// numGroups. GroupExcluded panics under the same conditions as [GroupMeans].
func GroupExcluded(dst []int, values []float64, groups []int32, numGroups int) []int {
	checkGroups(values, groups, numGroups)
	dst = useInts(dst, numGroups)
	clear(dst)
	for u, g := range groups {
		if g >= 0 && math.IsNaN(values[u]) {
			dst[g]++
		}
	}
	return dst
}

// Ungrouped returns the number of users labelled -1 (in no group).
func Ungrouped(groups []int32) int {
	n := 0
	for _, g := range groups {
		if g == -1 {
			n++
		}
	}
	return n
}

// UserWeightedMean returns the pooled mean of the values of all grouped users,
// the "overall" value of METRICS-SPEC.md §3.1 in which every user counts once
// and large groups weigh more:
//
//	Σ_{u : groups[u] ≥ 0, values[u] not NaN} values[u] / #{those users}
//
// A nil groups means that every user with a value counts. UserWeightedMean
// returns NaN if no user counts. It panics if groups is not nil and
// len(groups) != len(values).
func UserWeightedMean(values []float64, groups []int32) float64 {
	if groups != nil && len(groups) != len(values) {
		panic(errLength)
	}
	var s float64
	n := 0
	for u, v := range values {
		if math.IsNaN(v) || (groups != nil && groups[u] < 0) {
			continue
		}
		s += v
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// GroupWeightedMean returns the mean of the group values, in which every group
// counts once whatever its size (METRICS-SPEC.md §3.1, the reference argued
// for by Ekstrand et al., FAT* 2018):
//
//	(1/K) Σ_g groupValues[g]   over the K groups whose value is not NaN
//
// Empty groups (NaN values) are left out. GroupWeightedMean returns NaN if
// every value is NaN or groupValues is empty.
func GroupWeightedMean(groupValues []float64) float64 {
	var s float64
	k := 0
	for _, v := range groupValues {
		if math.IsNaN(v) {
			continue
		}
		s += v
		k++
	}
	if k == 0 {
		return math.NaN()
	}
	return s / float64(k)
}

// RestMeans returns in dst, for every group g, the mean over the users of all
// other groups (the "rest" in a one-versus-rest comparison), computed from the
// group means and counts:
//
//	dst[g] = Σ_{h ≠ g, n_h > 0} n_h·means[h] / Σ_{h ≠ g} n_h
//
// means and counts are the outputs of [GroupMeans] and [GroupCounts]; groups
// with count 0 are left out. dst[g] is NaN when no other group has users.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// len(means). RestMeans panics if len(counts) != len(means), if a count is
// negative or if len(dst) is wrong.
func RestMeans(dst []float64, means []float64, counts []int) []float64 {
	if len(counts) != len(means) {
		panic(errLength)
	}
	dst = useFloats(dst, len(means))
	var sum float64
	n := 0
	for g, c := range counts {
		if c < 0 {
			panic(errCount)
		}
		if c == 0 {
			continue
		}
		sum += float64(float64(c) * means[g])
		n += c
	}
	for g, c := range counts {
		if n-c == 0 {
			dst[g] = math.NaN()
			continue
		}
		if c == 0 {
			dst[g] = sum / float64(n)
			continue
		}
		dst[g] = (sum - float64(float64(c)*means[g])) / float64(n-c)
	}
	return dst
}

// OneVsRestDiff returns in dst, for every group g, the difference between the
// group mean and the mean of all other users (see [RestMeans]):
//
//	dst[g] = means[g] − rest_g
//
// An empty group or a group with no other users gives NaN. The arguments and
// panics are those of [RestMeans].
func OneVsRestDiff(dst []float64, means []float64, counts []int) []float64 {
	dst = RestMeans(dst, means, counts)
	for g := range dst {
		dst[g] = means[g] - dst[g]
		if counts[g] == 0 {
			dst[g] = math.NaN()
		}
	}
	return dst
}

// OneVsRestRatio returns in dst, for every group g, the ratio of the group
// mean to the mean of all other users (see [RestMeans]):
//
//	dst[g] = means[g] / rest_g
//
// Division follows IEEE rules: x/0 is ±Inf for x ≠ 0 and 0/0 is NaN. An empty
// group or a group with no other users gives NaN. The arguments and panics
// are those of [RestMeans].
func OneVsRestRatio(dst []float64, means []float64, counts []int) []float64 {
	dst = RestMeans(dst, means, counts)
	for g := range dst {
		dst[g] = means[g] / dst[g]
		if counts[g] == 0 {
			dst[g] = math.NaN()
		}
	}
	return dst
}

// OneVsRestLabels returns in dst the labels of a one-versus-rest comparison of
// group g: 0 for the users of g, 1 for the users of every other group and -1
// for ungrouped users. Use it with [Permutation.MeanDiff] to test one group
// against the rest.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// len(groups). OneVsRestLabels panics if g < 0 or len(dst) is wrong.
func OneVsRestLabels(dst []int32, groups []int32, g int32) []int32 {
	if g < 0 {
		panic(errGroupCode)
	}
	if dst == nil {
		dst = make([]int32, len(groups))
	} else if len(dst) != len(groups) {
		panic(errDstLength)
	}
	for u, h := range groups {
		switch {
		case h == g:
			dst[u] = 0
		case h < 0:
			dst[u] = -1
		default:
			dst[u] = 1
		}
	}
	return dst
}
