package probe

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"gonum.org/v1/gonum/stat/distuv"
)

// wilson returns the Wilson score interval of a binomial proportion with
// x successes out of n trials, at coverage 1−alpha; NaN bounds when n is 0.
//
//	centre = (x + z²/2) / (n + z²),  half = z/(n + z²) · sqrt(x(n−x)/n + z²/4)
//
// with z the 1−alpha/2 quantile of the standard normal distribution (E. B.
// Wilson, "Probable inference, the law of succession, and statistical
// inference", JASA 22, 1927; Brown, Cai and DasGupta, Statistical Science
// 16(2), 2001, recommend it over the Wald interval for small n and
// proportions near 0 or 1, which is where a consent probe lives).
func wilson(x, n int, alpha float64) (lo, hi float64) {
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	z := distuv.UnitNormal.Quantile(1 - alpha/2)
	fx, fn, z2 := float64(x), float64(n), z*z
	centre := (fx + z2/2) / (fn + z2)
	half := z / (fn + z2) * math.Sqrt(fx*(fn-fx)/fn+z2/4)
	lo, hi = max(0, centre-half), min(1, centre+half)
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return lo, hi
}

// shareEstimate returns x/n with its Wilson interval.
func shareEstimate(x, n int, alpha float64) fairness.Estimate {
	lo, hi := wilson(x, n, alpha)
	v := math.NaN()
	if n > 0 {
		v = float64(x) / float64(n)
	}
	return fairness.Estimate{Value: fairness.Float(v), CI: fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}}
}

// flagged reports whether the share of violations x/n is shown to exceed
// tol: the lower bound of its Wilson interval is above tol.
func flagged(x, n int, tol, alpha float64) bool {
	if x == 0 {
		return false
	}
	lo, _ := wilson(x, n, alpha)
	return lo > tol
}

// meanEstimate returns the mean of values with its bootstrap percentile
// interval; NaN when values is empty.
func meanEstimate(values []float64, bs fairness.Bootstrap) fairness.Estimate {
	if len(values) == 0 {
		nan := fairness.Float(math.NaN())
		return fairness.Estimate{Value: nan, CI: fairness.Interval2{nan, nan}}
	}
	iv := bs.Mean(values)
	return fairness.Estimate{Value: fairness.Float(iv.Estimate), CI: fairness.Interval2{fairness.Float(iv.Lo), fairness.Float(iv.Hi)}}
}

// listKey returns the bytes of a list, as a map key.
func listKey(list []int32) string {
	b := make([]byte, 0, 4*len(list))
	for _, x := range list {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return string(b)
}

// commonList returns the most frequent top-k list (rank for rank) among the
// given users, with the number of users holding it; ties go to the list
// equal to prefer when there is one, then to the lexicographically smallest
// list. It returns a nil list and 0 when users is empty. The list aliases
// lists.
func commonList(lists *datasets.Rankings, users []int32, k int, prefer []int32) ([]int32, int) {
	type entry struct {
		list []int32
		n    int
	}
	counts := map[string]*entry{}
	for _, u := range users {
		l := prefix(lists.List(int(u)), k)
		key := listKey(l)
		if e, ok := counts[key]; ok {
			e.n++
		} else {
			counts[key] = &entry{l, 1}
		}
	}
	var best *entry
	for _, e := range counts {
		if best == nil {
			best = e
			continue
		}
		c := cmp.Compare(e.n, best.n)
		if c == 0 && prefer != nil {
			ep, bp := slices.Equal(e.list, prefer), slices.Equal(best.list, prefer)
			switch {
			case ep && !bp:
				c = 1
			case bp && !ep:
				c = -1
			}
		}
		if c == 0 {
			c = -slices.Compare(e.list, best.list)
		}
		if c > 0 {
			best = e
		}
	}
	if best == nil {
		return nil, 0
	}
	return best.list, best.n
}
