package demo

import "math/rand/v2"

// alias is a Walker/Vose alias table: O(1) sampling from a discrete
// distribution with one uniform draw.
//
// Reference: M. D. Vose, "A linear algorithm for generating random numbers
// with a given distribution", IEEE Trans. Software Eng. 17(9), 1991.
type alias struct {
	prob  []float64 // acceptance probability of each slot
	alias []int32   // the slot's alternative
}

// newAlias builds the table for weights w (non-negative, positive sum).
func newAlias(w []float64) alias {
	n := len(w)
	a := alias{prob: make([]float64, n), alias: make([]int32, n)}
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
		a.prob[s] = scaled[s]
		a.alias[s] = l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left has weight 1 up to rounding.
	for _, i := range large {
		a.prob[i], a.alias[i] = 1, i
	}
	for _, i := range small {
		a.prob[i], a.alias[i] = 1, i
	}
	return a
}

// sample draws a slot index.
func (a *alias) sample(r *rand.Rand) int32 {
	u := r.Float64() * float64(len(a.prob))
	i := int(u)
	if i >= len(a.prob) { // u rounded up to len
		i = len(a.prob) - 1
	}
	if u-float64(i) < a.prob[i] {
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
