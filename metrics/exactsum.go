package metrics

import (
	"math"
	"math/big"
)

// exactSum accumulates float64 values without rounding error: it holds the
// sum as a fixed-point integer in units of 2^-1074 (the smallest subnormal),
// wide enough for any finite float64. Because integer addition is exact,
// the result does not depend on the order of the additions or on how they
// were split between sums that are later merged, and value() rounds the
// exact sum once, to the nearest float64 (ties to even).
//
// The integer is stored in 32-bit limbs held in int64 words, so that a limb
// absorbs up to 2^31 additions before carries must be propagated.
type exactSum struct {
	limbs   [sumLimbs]int64
	pending int32 // additions since the last normalize
	nan     bool
	posInf  bool
	negInf  bool
}

const (
	// A finite float64 is m·2^(e−1075) with m < 2^53 and 1 <= e <= 2046, so
	// its bits sit at positions 0..2098 of the fixed-point integer: 66
	// limbs, plus two of headroom for carries.
	sumLimbs   = 68
	maxPending = 1 << 30
)

// add adds x to the sum.
func (s *exactSum) add(x float64) {
	b := math.Float64bits(x)
	e := int(b>>52) & 0x7ff
	m := b & (1<<52 - 1)
	switch {
	case e == 0x7ff:
		switch {
		case m != 0:
			s.nan = true
		case b>>63 != 0:
			s.negInf = true
		default:
			s.posInf = true
		}
		return
	case e == 0:
		if m == 0 {
			return
		}
		e = 1 // subnormal: no implicit bit
	default:
		m |= 1 << 52
	}
	p := e - 1 // bit position of m's lowest bit
	i, sh := p>>5, uint(p&31)
	c0 := int64((m << sh) & 0xffffffff)
	c1 := int64((m >> (32 - sh)) & 0xffffffff)
	c2 := int64(m >> (64 - sh)) // 0 when sh == 0
	if b>>63 != 0 {
		s.limbs[i] -= c0
		s.limbs[i+1] -= c1
		s.limbs[i+2] -= c2
	} else {
		s.limbs[i] += c0
		s.limbs[i+1] += c1
		s.limbs[i+2] += c2
	}
	s.pending++
	if s.pending >= maxPending {
		s.normalize()
	}
}

// normalize propagates carries so that every limb but the last is in
// [0, 2^32); the last limb carries the sign.
func (s *exactSum) normalize() {
	for i := 0; i < sumLimbs-1; i++ {
		c := s.limbs[i] >> 32 // floor division by 2^32
		s.limbs[i] -= c << 32
		s.limbs[i+1] += c
	}
	s.pending = 0
}

// merge adds the sum held by t to s.
func (s *exactSum) merge(t *exactSum) {
	s.normalize()
	u := *t
	u.normalize()
	for i := range s.limbs {
		s.limbs[i] += u.limbs[i]
	}
	s.normalize()
	s.nan = s.nan || u.nan
	s.posInf = s.posInf || u.posInf
	s.negInf = s.negInf || u.negInf
}

// value returns the sum rounded to the nearest float64.
func (s *exactSum) value() float64 {
	switch {
	case s.nan || (s.posInf && s.negInf):
		return math.NaN()
	case s.posInf:
		return math.Inf(1)
	case s.negInf:
		return math.Inf(-1)
	}
	u := *s
	u.normalize()
	x := new(big.Int).SetInt64(u.limbs[sumLimbs-1])
	var limb big.Int
	for i := sumLimbs - 2; i >= 0; i-- {
		x.Lsh(x, 32)
		x.Add(x, limb.SetInt64(u.limbs[i]))
	}
	f := new(big.Float).SetInt(x) // exact: precision grows to fit x
	f.SetMantExp(f, -1074)
	v, _ := f.Float64() // nearest, ties to even
	return v
}
