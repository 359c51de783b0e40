package metrics

import (
	"math"
	"slices"
)

// hit is a relevant item found in a list: its 1-based rank and its gain.
type hit struct {
	rank int32
	gain float64
}

// kernel computes every requested (measure, cutoff) value of one user from
// the ranks of the relevant items in the user's list. The single-user
// functions and the Evaluator share it, so they give bit-identical values.
//
// A kernel is not safe for concurrent use: it holds per-user scratch and
// lookup tables that grow on demand. Table entries depend only on the rank,
// and cumulative tables are always extended in rank order, so their values
// do not depend on the order in which users are evaluated.
type kernel struct {
	cfg      Config
	theta    float64
	patience float64
	measures []Measure
	cutoffs  []int

	pos      []int // indices of the positive cutoffs, by ascending cutoff
	zero     int   // index of the cutoff 0, or -1
	maxK     int   // largest positive cutoff
	ndcg     bool  // NDCG is requested
	idealCnt bool  // NDCG ideal counts relevant items (not IdealFixedK)

	// Tables indexed by rank r >= 1; entry 0 is 0.
	disc  []float64 // d(r)
	cdisc []float64 // Σ_{s<=r} d(s)
	geo   []float64 // p^(r-1)
	harm  []float64 // Σ_{s<=r} 1/s

	// Per-user scratch.
	hits  []hit
	gains []float64 // gains of the relevant items, sorted descending
	icum  []float64 // icum[m] = DCG of the m best gains
	ord   []int     // cutoff indices in ascending effective cutoff
}

// newKernel returns a kernel for the measures and cutoffs, checking them and
// cfg. It panics on a bad enum value, a negative, repeated or too large
// cutoff, a repeated measure or an empty cutoff list.
func newKernel(cfg Config, measures []Measure, cutoffs []int) *kernel {
	cfg.check()
	k := &kernel{
		cfg:      cfg,
		theta:    cfg.theta(),
		patience: cfg.patience(),
		measures: measures,
		cutoffs:  cutoffs,
		zero:     -1,
	}
	if p := layoutProblem(measures, cutoffs); p != "" {
		panic(p)
	}
	for _, m := range measures {
		k.ndcg = k.ndcg || m == MeasureNDCG
	}
	k.idealCnt = cfg.Ideal != IdealFixedK
	for i, c := range cutoffs {
		if c == 0 {
			k.zero = i
		} else {
			k.pos = append(k.pos, i)
		}
	}
	slices.SortFunc(k.pos, func(a, b int) int { return cutoffs[a] - cutoffs[b] })
	if len(k.pos) > 0 {
		k.maxK = cutoffs[k.pos[len(k.pos)-1]]
	}
	k.ord = make([]int, 0, len(cutoffs))
	k.disc = []float64{0}
	k.cdisc = []float64{0}
	k.geo = []float64{0}
	k.harm = []float64{0}
	k.grow(k.maxK)
	return k
}

// layoutProblem returns the panic message for invalid measures or cutoffs,
// or "" when they are valid: measures in range and distinct, at least one
// cutoff, cutoffs in [0, MaxCutoff] and distinct.
func layoutProblem(measures []Measure, cutoffs []int) string {
	var seen [numMeasures]bool
	for _, m := range measures {
		if m < 0 || m >= numMeasures {
			return badMeasure
		}
		if seen[m] {
			return dupMeasure
		}
		seen[m] = true
	}
	if len(cutoffs) == 0 {
		return noCutoffs
	}
	for i, c := range cutoffs {
		if c < 0 {
			return badCutoff
		}
		if c > MaxCutoff {
			return bigCutoff
		}
		if slices.Contains(cutoffs[:i], c) {
			return dupCutoff
		}
	}
	return ""
}

// grow extends the rank tables to cover ranks 1..n.
func (k *kernel) grow(n int) {
	for r := len(k.disc); r <= n; r++ {
		var d float64
		switch k.cfg.Discount {
		case DiscountLog2:
			d = 1 / math.Log2(float64(r+1))
		case DiscountClip:
			d = 1 / math.Log2(float64(max(r, 2)))
		case DiscountLn:
			d = 1 / math.Log(float64(r+1))
		}
		k.disc = append(k.disc, d)
		k.cdisc = append(k.cdisc, k.cdisc[r-1]+d)
		k.geo = append(k.geo, math.Pow(k.patience, float64(r-1)))
		k.harm = append(k.harm, k.harm[r-1]+1/float64(r))
	}
}

// scan returns how many leading positions of a list of length n can affect
// a value: the list truncated at the largest effective cutoff.
func (k *kernel) scan(n int) int {
	if k.zero >= 0 {
		return n
	}
	return min(n, k.maxK)
}

// gain returns the gain of a relevant item of grade g.
func (k *kernel) gain(g float64) float64 {
	switch k.cfg.Gain {
	case GainLinear:
		return g
	case GainExp:
		return math.Exp2(g) - 1
	case GainElliot:
		return math.Exp2(g-k.theta+1) - 1
	default:
		return 1
	}
}

// wantGains reports whether the caller must fill k.gains with the gains of
// the user's relevant items before calling values.
func (k *kernel) wantGains() bool {
	return k.ndcg && k.idealCnt && k.cfg.Gain != GainBinary
}

// values computes the requested values of one user into out, laid out as
// out[mi*len(cutoffs)+ci]. Before the call k.hits holds the relevant items
// among the first scan(n) positions of the list in rank order (each item
// once), and, when wantGains, k.gains holds the gains of all nrel relevant
// items in any order. n is the list length and nrel = |R|.
func (k *kernel) values(n, nrel int, out []float64) {
	need := k.maxK
	if k.zero >= 0 {
		need = max(need, n)
	}
	if k.ndcg && k.idealCnt {
		need = max(need, nrel)
	}
	if need >= len(k.disc) {
		k.grow(need)
	}

	// Cutoffs in ascending effective cutoff; the cutoff 0 means n.
	ord := k.ord[:0]
	if k.zero < 0 {
		ord = append(ord, k.pos...)
	} else {
		i := 0
		for i < len(k.pos) && k.cutoffs[k.pos[i]] < n {
			ord = append(ord, k.pos[i])
			i++
		}
		ord = append(ord, k.zero)
		ord = append(ord, k.pos[i:]...)
	}
	k.ord = ord

	if k.wantGains() {
		sortDescending(k.gains)
		k.icum = append(k.icum[:0], 0)
		for i, g := range k.gains {
			k.icum = append(k.icum, k.icum[i]+g*k.disc[i+1])
		}
	}

	nc := len(k.cutoffs)
	hits := k.hits
	var (
		next  int     // hits consumed
		cnt   int     // hits at ranks <= cutoff
		first int     // rank of the first hit, 0 if none
		apSum float64 // Σ cnt_i / r_i over hits
		dcg   float64 // Σ gain·d(r)
		rbp   float64 // Σ gain·p^(r-1)
	)
	for _, ci := range ord {
		c := k.cutoffs[ci]
		keff := c
		if c == 0 {
			keff = n
		}
		for next < len(hits) && int(hits[next].rank) <= keff {
			h := hits[next]
			r := int(h.rank)
			cnt++
			if first == 0 {
				first = r
			}
			apSum += float64(cnt) / float64(r)
			dcg += h.gain * k.disc[r]
			rbp += h.gain * k.geo[r]
			next++
		}
		for mi, m := range k.measures {
			var v float64
			switch m {
			case MeasurePrecision:
				den := keff
				if k.cfg.Precision == PrecisionListLength {
					den = min(keff, n)
				}
				v = ratio(float64(cnt), den)
			case MeasureRecall:
				den := nrel
				if k.cfg.Recall == RecallMinRelevantK {
					den = min(nrel, keff)
				}
				v = ratio(float64(cnt), den)
			case MeasureHitRate:
				if cnt > 0 {
					v = 1
				}
			case MeasureRR:
				if first > 0 {
					v = 1 / float64(first)
				}
			case MeasureAP:
				v = k.ap(apSum, hits[:next], keff, n, nrel)
			case MeasureDCG:
				v = dcg
			case MeasureNDCG:
				v = dcg / k.idcg(c, keff, nrel)
				if math.IsNaN(v) { // 0/0: no relevant item and no gain
					v = 0
				}
			case MeasureRBP:
				v = (1 - k.patience) * rbp
			}
			out[mi*nc+ci] = v
		}
	}
}

// ap returns average precision at effective cutoff keff from the running sum
// Σ cnt_i/r_i and the hits at ranks <= keff.
func (k *kernel) ap(apSum float64, hits []hit, keff, n, nrel int) float64 {
	switch k.cfg.AP {
	case APRelevant:
		return ratio(apSum, nrel)
	case APK:
		return ratio(apSum, keff)
	case APMinRelevantListLength:
		return ratio(apSum, min(nrel, keff, n))
	case APElliot:
		// Σ_{n=1..keff} cnt(n)/n = Σ_hits Σ_{n=r..keff} 1/n.
		var s float64
		for _, h := range hits {
			s += k.harm[keff] - k.harm[h.rank-1]
		}
		return ratio(s, keff)
	default:
		return ratio(apSum, min(nrel, keff))
	}
}

// idcg returns the ideal DCG at cutoff c (effective cutoff keff).
func (k *kernel) idcg(c, keff, nrel int) float64 {
	var m int
	switch k.cfg.Ideal {
	case IdealFixedK:
		return k.cdisc[keff]
	case IdealAllRelevant:
		m = nrel
	default:
		m = nrel
		if c > 0 {
			m = min(nrel, c)
		}
	}
	if k.cfg.Gain == GainBinary {
		return k.cdisc[m]
	}
	return k.icum[m]
}

// sortDescending sorts gains (finite or +Inf, never NaN) in descending
// order: by insertion for the usual handful of relevant items.
func sortDescending(g []float64) {
	if len(g) > 32 {
		slices.Sort(g)
		slices.Reverse(g)
		return
	}
	for i := 1; i < len(g); i++ {
		v := g[i]
		j := i
		for j > 0 && g[j-1] < v {
			g[j] = g[j-1]
			j--
		}
		g[j] = v
	}
}

// ratio returns num/den, or 0 when den is 0 (an empty list or no relevant
// item scored as a miss).
func ratio(num float64, den int) float64 {
	if den == 0 {
		return 0
	}
	return num / float64(den)
}

// hitsSearch fills k.hits (and k.gains when needed) for one user by binary
// search in the sorted judgments, and returns |R|. It is the single-user
// path; the Evaluator uses a dense marker instead, with the same result.
func (k *kernel) hitsSearch(list []int32, rel Judgments) int {
	k.hits = k.hits[:0]
	k.gains = k.gains[:0]
	nrel := 0
	for j := range rel.Items {
		if g := rel.grade(j); g >= k.theta {
			nrel++
			if k.wantGains() {
				k.gains = append(k.gains, k.gain(g))
			}
		}
	}
	if nrel == 0 {
		return 0
	}
	used := make([]bool, len(rel.Items))
	for r, it := range list[:k.scan(len(list))] {
		j, ok := slices.BinarySearch(rel.Items, it)
		if !ok || used[j] {
			continue
		}
		used[j] = true
		if g := rel.grade(j); g >= k.theta {
			k.hits = append(k.hits, hit{rank: int32(r + 1), gain: k.gain(g)})
		}
	}
	return nrel
}

// excluded reports whether a user is left out of the means under cfg.
func excluded(cfg *Config, n, nrel, judged int) bool {
	if n == 0 && cfg.NoList == NoListExclude {
		return true
	}
	if nrel == 0 {
		switch cfg.NoRelevant {
		case NoRelevantExclude:
			return true
		case NoRelevantZeroIfJudged:
			return judged == 0
		}
	}
	return false
}
