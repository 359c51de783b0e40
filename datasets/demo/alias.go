package demo

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// alias is a Walker/Vose alias table: O(1) sampling from a discrete
// distribution with one uniform draw.
//
// Reference: M. D. Vose, "A linear algorithm for generating random numbers
// with a given distribution", IEEE Trans. Software Eng. 17(9), 1991.
type alias struct {
	prob  []uint64 // acceptance probability of each slot, scaled to 2^64 (saturated)
	alias []int32  // the slot's alternative
}

// newAlias builds the table for weights w (non-negative, positive sum).
func newAlias(w []float64) alias {
	n := len(w)
	a := alias{prob: make([]uint64, n), alias: make([]int32, n)}
	var sum float64
	for _, v := range w {
		sum += v
	}
	scaled := make([]float64, n)
	small := make([]int32, 0, n)
	large := make([]int32, 0, n)
	for i, v := range w {
		scaled[i] = v * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s] = threshold(scaled[s])
		a.alias[s] = l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left has weight 1 up to rounding.
	for _, i := range large {
		a.prob[i], a.alias[i] = math.MaxUint64, i
	}
	for _, i := range small {
		a.prob[i], a.alias[i] = math.MaxUint64, i
	}
	return a
}

// threshold maps p in [0, 1) to round(p·2^64), saturating at MaxUint64.
func threshold(p float64) uint64 {
	if p >= 1 {
		return math.MaxUint64
	}
	return uint64(p * (1 << 64))
}

// sample draws a slot index from one 64-bit random number: the high word
// of x·n is the slot (uniform up to a bias below n/2^64), the low word the
// fraction compared with the slot's acceptance threshold. A threshold of
// MaxUint64 accepts with probability 1-2^-64.
func (a *alias) sample(r *rand.Rand) int32 {
	i, frac := bits.Mul64(r.Uint64(), uint64(len(a.prob)))
	if frac < a.prob[i] {
		return int32(i)
	}
	return a.alias[i]
}

// categorical draws an index from a short probability vector by linear
// search (for the handful of demographic levels).
func categorical(r *rand.Rand, p []float64) int {
	u := r.Float64()
	for i, v := range p {
		if u < v {
			return i
		}
		u -= v
	}
	return len(p) - 1
}
