package fairness

// Panic messages for programmer errors. Every message starts with the package
// name, as STYLE.md rule 11 asks.
const (
	errLength     = "fairness: slice length mismatch"
	errDstLength  = "fairness: destination length mismatch"
	errNumGroups  = "fairness: negative number of groups"
	errGroupCode  = "fairness: group code out of range"
	errAggregator = "fairness: bad aggregator"
	errAlpha      = "fairness: alpha out of range"
	errResamples  = "fairness: negative number of resamples"
	errProb       = "fairness: probability out of range"
	errPValue     = "fairness: p-value out of range"
	errUnsorted   = "fairness: data are not sorted"
	errEmpty      = "fairness: zero length slice"
	errRefGroup   = "fairness: reference group out of range"
	errTau        = "fairness: tau out of range"
	errSameGroup  = "fairness: the two groups must differ"
	errTooMany    = "fairness: too many users"
	errCount      = "fairness: negative count"
)

// useFloats returns dst if it has length n, a new slice if dst is nil, and
// panics otherwise.
func useFloats(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(errDstLength)
	}
	return dst
}

// useInts is useFloats for []int.
func useInts(dst []int, n int) []int {
	if dst == nil {
		return make([]int, n)
	}
	if len(dst) != n {
		panic(errDstLength)
	}
	return dst
}

// checkGroups panics if numGroups is negative, if the lengths of values and
// groups differ, or if a group code lies outside [-1, numGroups).
func checkGroups(values []float64, groups []int32, numGroups int) {
	if numGroups < 0 {
		panic(errNumGroups)
	}
	if len(values) != len(groups) {
		panic(errLength)
	}
	for _, g := range groups {
		if g < -1 || int(g) >= numGroups {
			panic(errGroupCode)
		}
	}
}
