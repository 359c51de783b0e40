package fairness

import "math"

// Panic messages of RND, RKL and RRD.
const (
	rndBadStep     = "fairness: negative cut-point step"
	rndBadDiscount = "fairness: bad rND discount"
	rndBadMeasure  = "fairness: bad rND measure"
	rndBadSize     = "fairness: protected count not in [0, n]"
)

// RNDDiscount selects the discount of the cut points of RND, RKL and RRD.
type RNDDiscount int

const (
	// RNDPaper is 1/log2(i), the discount of the paper. The default.
	RNDPaper RNDDiscount = iota
	// RNDCode is 1/log2(i+1), the discount of the reference code
	// (DataResponsibly/FairRank measures.py).
	RNDCode
)

// RNDMeasure selects one of the three measures of Yang & Stoyanovich.
type RNDMeasure int

const (
	MeasureRND RNDMeasure = iota // normalised discounted difference
	MeasureRKL                   // normalised discounted KL divergence
	MeasureRRD                   // normalised discounted ratio difference
)

// RNDConfig holds the conventions of RND, RKL and RRD. The zero value is
// the published definition: cut points every 10 ranks, the paper discount
// 1/log2 i, exact KL (0·log 0 = 0), the two-sided ratio difference, and the
// exact normaliser Z. RNDReferenceCode gives the conventions of the
// reference code instead (its Z is always exact here, never the empirical
// estimate of the code).
type RNDConfig struct {
	// Step is the distance between cut points i = Step, 2·Step, …,
	// ⌊N/Step⌋·Step; 0 means 10.
	Step int
	// Discount is the discount of cut point i.
	Discount RNDDiscount
	// ClipShares replaces a prefix share (or population share) of exactly
	// 0 or 1 by 0.001 in RKL, as the reference code does; note that the
	// code maps a share of 1 to 0.001 too. It changes Z: the spec's
	// normaliser 0.29413 is that of clipped shares.
	ClipShares bool
	// OneSided makes RRD penalise only under-representation,
	// |min(ratio, P/(N−P)) − P/(N−P)|, as the reference code does
	// ("consistent with poster of FATML").
	OneSided bool
}

// RNDReferenceCode returns the conventions of the reference code
// DataResponsibly/FairRank: the discount 1/log2(i+1), shares clipped to
// 0.001 and the one-sided ratio difference.
func RNDReferenceCode() RNDConfig {
	return RNDConfig{Discount: RNDCode, ClipShares: true, OneSided: true}
}

// check validates c and returns the step.
func (c RNDConfig) check() int {
	if c.Step < 0 {
		panic(rndBadStep)
	}
	if c.Discount != RNDPaper && c.Discount != RNDCode {
		panic(rndBadDiscount)
	}
	if c.Step == 0 {
		return 10
	}
	return c.Step
}

// discount returns the discount of cut point i.
func (c RNDConfig) discount(i int) float64 {
	if c.Discount == RNDCode {
		return 1 / math.Log2(float64(i)+1)
	}
	return 1 / math.Log2(float64(i))
}

// rndClip applies the reference code's clipping to a share.
func rndClip(x float64) float64 {
	if x == 0 || x == 1 {
		return 0.001
	}
	return x
}

// term returns the undiscounted value of measure m at a cut point with i
// items, x of them protected, for a ranking of n items, p protected.
func (c RNDConfig) term(m RNDMeasure, i, x, n, p int) float64 {
	switch m {
	case MeasureRND:
		return math.Abs(float64(x)/float64(i) - float64(p)/float64(n))
	case MeasureRKL:
		px, qx := float64(x)/float64(i), float64(p)/float64(n)
		if c.ClipShares {
			px, qx = rndClip(px), rndClip(qx)
		}
		var kl float64 // in bits, as the reference code (LOG_BASE = 2)
		if px > 0 {
			kl += px * math.Log2(px/qx)
		}
		if px < 1 {
			kl += (1 - px) * math.Log2((1-px)/(1-qx))
		}
		return kl
	case MeasureRRD:
		want := float64(p) / float64(n-p)
		ratio := 0.0 // the code's value when the prefix has no unprotected item
		if i > x {
			ratio = float64(x) / float64(i-x)
		}
		if c.OneSided {
			ratio = min(ratio, want)
		}
		return math.Abs(ratio - want)
	}
	panic(rndBadMeasure)
}

// Normalizer returns Z, the largest value of the unnormalised sum
//
//	Σ_{i ∈ cut points} d(i) · term(i, |S⁺_{1..i}|)
//
// over all rankings of n items of which p are protected, computed exactly
// by dynamic programming over the protected count at each cut point (the
// terms depend only on it, and it grows by 0..Step between cut points,
// within [max(0, p−(n−i)), min(p, i)]), in O(n·p/Step) time. Z is the
// normaliser of RND, RKL and RRD; it is 0 when p is 0 or n or there is no
// cut point (n < Step).
//
// Normalizer panics if m or c is bad, n < 0 or p is not in [0, n].
// Reference: Yang & Stoyanovich, SSDBM 2017 (Z as the maximum);
// METRICS-SPEC.md §4.6 (exact Z by dynamic programming).
func (c RNDConfig) Normalizer(m RNDMeasure, n, p int) float64 {
	step := c.check()
	if m < MeasureRND || m > MeasureRRD {
		panic(rndBadMeasure)
	}
	if n < 0 || p < 0 || p > n {
		panic(rndBadSize)
	}
	if p == 0 || p == n {
		return 0
	}
	neg := math.Inf(-1)
	best := []float64{0} // best[x]: max sum with x protected at the last cut point
	prev := 0
	next := make([]float64, 0, p+1)
	deque := make([]int, 0, p+1)
	for i := step; i <= n; i += step {
		lo, hi := max(0, p-(n-i)), min(p, i)
		next = next[:0]
		// next[y] = term(y) + max_{x ∈ [y−(i−prev), y]} best[x], by a
		// sliding-window maximum over x.
		deque = deque[:0]
		xNext := 0
		for y := 0; y <= hi; y++ {
			for ; xNext <= y && xNext < len(best); xNext++ {
				for len(deque) > 0 && best[deque[len(deque)-1]] <= best[xNext] {
					deque = deque[:len(deque)-1]
				}
				deque = append(deque, xNext)
			}
			for len(deque) > 0 && deque[0] < y-(i-prev) {
				deque = deque[1:]
			}
			v := neg
			if y >= lo && len(deque) > 0 && best[deque[0]] > neg {
				v = best[deque[0]] + c.discount(i)*c.term(m, i, y, n, p)
			}
			next = append(next, v)
		}
		best, next = next, best
		prev = i
	}
	z := neg
	for _, v := range best {
		z = max(z, v)
	}
	return max(z, 0)
}

// raw returns the unnormalised sum of measure m for the ranking.
func (c RNDConfig) raw(m RNDMeasure, protected []bool) (raw float64, n, p int) {
	step := c.check()
	n = len(protected)
	for _, b := range protected {
		if b {
			p++
		}
	}
	x := 0
	for i, b := range protected {
		if b {
			x++
		}
		if (i+1)%step == 0 {
			raw += c.discount(i+1) * c.term(m, i+1, x, n, p)
		}
	}
	return raw, n, p
}

// value returns raw / Z, NaN when Z is 0.
func (c RNDConfig) value(m RNDMeasure, protected []bool) float64 {
	raw, n, p := c.raw(m, protected)
	z := c.Normalizer(m, n, p)
	if z == 0 {
		return math.NaN()
	}
	return raw / z
}

// RND returns the normalised discounted difference of a ranking,
//
//	rND = (1/Z) Σ_{i = s, 2s, …} d(i) · | |S⁺_{1..i}|/i − P/N |,
//
// where protected[r] says whether the item at rank r+1 is in the protected
// group S⁺ (P of the N = len(protected) items), the cut points i are the
// multiples of cfg.Step (s = 10 by default) up to N, d(i) = 1/log2 i (or
// 1/log2(i+1) with RNDCode) and Z = cfg.Normalizer(MeasureRND, N, P) is
// the exact maximum over rankings. Range [0, 1]; 0 is fair.
//
// RND panics if cfg is bad. It returns NaN when Z is 0: no protected or no
// unprotected item, or N < Step. Reference: Yang & Stoyanovich, "Measuring
// Fairness in Ranked Outputs", SSDBM 2017; DataResponsibly/FairRank
// measures.py; METRICS-SPEC.md §4.6.
func RND(protected []bool, cfg RNDConfig) float64 { return cfg.value(MeasureRND, protected) }

// RKL returns the normalised discounted KL divergence of a ranking,
//
//	rKL = (1/Z) Σ_{i = s, 2s, …} d(i) · KL(P_i ‖ Q),
//	P_i = (|S⁺_{1..i}|/i, |S⁻_{1..i}|/i),  Q = (P/N, 1 − P/N),
//
// with the conventions of RND; KL uses 0·log 0 = 0 unless cfg.ClipShares
// (then shares of 0 or 1 become 0.001, as the reference code does). KL is
// in bits, as in the reference code, so that Normalizer gives the code's
// Z; the base cancels in rKL. Range [0, 1]; 0 is fair.
//
// RKL panics if cfg is bad and returns NaN when Z is 0.
// Reference: Yang & Stoyanovich, SSDBM 2017; METRICS-SPEC.md §4.6 and its
// erratum (Z = 0.29413 needs clipped shares).
func RKL(protected []bool, cfg RNDConfig) float64 { return cfg.value(MeasureRKL, protected) }

// RRD returns the normalised discounted ratio difference of a ranking,
//
//	rRD = (1/Z) Σ_{i = s, 2s, …} d(i) · | |S⁺_{1..i}|/|S⁻_{1..i}| − P/(N−P) |,
//
// with the conventions of RND, the prefix ratio taken as 0 when the prefix
// has no unprotected item (as the reference code does), and with
// cfg.OneSided the ratio capped at P/(N−P) so that only
// under-representation counts (the reference code; the default is the
// two-sided formula of the paper). The measure is meant for a minority
// protected group. Range [0, 1]; 0 is fair.
//
// RRD panics if cfg is bad and returns NaN when Z is 0. Reference: Yang &
// Stoyanovich, SSDBM 2017; METRICS-SPEC.md §4.6 and its erratum (Z =
// 0.32923 is that of the one-sided form).
func RRD(protected []bool, cfg RNDConfig) float64 { return cfg.value(MeasureRRD, protected) }
