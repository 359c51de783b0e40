package metrics

import (
	"math"
	"slices"
)

// Panic messages of the catalogue-level metrics.
const (
	badBase     = "metrics: logarithm base not positive and different from 1"
	badShare    = "metrics: head share not in (0, 1]"
	badRatio    = "metrics: tail ratio not in (0, 1]"
	needCutoff  = "metrics: personalization needs a positive cutoff"
	shortWeight = "metrics: fewer rank weights than ranks"
	badVariant  = "metrics: bad Gini variant"
)

// ItemCounts returns, for every item i in [0, nItems), the number of lists
// whose first k positions hold i,
//
//	x_i = Σ_u 1[i ∈ L_u^k],
//
// or, with weights, the position-weighted exposure x_i = Σ_u w(rank of i in
// L_u), where weights[r-1] is the weight of rank r and nil means unit
// weights. k = 0 means whole lists. An item repeated in a list counts at
// its first position only; items outside [0, nItems) are ignored. These
// counts are the input of Coverage, Gini and Entropy.
//
// ItemCounts panics if k < 0, nItems < 0, lists is malformed, or weights
// is not nil and shorter than a rank it must weigh. Reference:
// METRICS-SPEC.md §2 (counts table) and §2.2 (exposure Gini).
func ItemCounts(lists Rankings, k, nItems int, weights []float64) []float64 {
	if k < 0 || nItems < 0 {
		panic(badCutoff)
	}
	lists.check()
	x := make([]float64, nItems)
	seen := make([]int32, nItems) // 1 + last user whose list held the item
	for u := range lists.Users() {
		list := lists.List(u)
		if k > 0 && len(list) > k {
			list = list[:k]
		}
		if weights != nil && len(list) > len(weights) {
			panic(shortWeight)
		}
		for r, it := range list {
			if uint32(it) >= uint32(nItems) || seen[it] == int32(u+1) {
				continue
			}
			seen[it] = int32(u + 1)
			if weights == nil {
				x[it]++
			} else {
				x[it] += weights[r]
			}
		}
	}
	return x
}

// Coverage returns the fraction of catalogue items that are recommended at
// least once,
//
//	Cov = |{i : x_i > 0}| / |I|,
//
// where x = ItemCounts(lists, k, |I|, nil) holds one count per catalogue
// item. Take the catalogue from the item table. Peer variants: RecBole
// divides by |I| + 1 (its padding item), Elliot reports the count, MS
// Recommenders divides by the number of training items. Coverage returns
// NaN for an empty catalogue. Reference: Ge, Delgado-Battenfeld & Jannach,
// "Beyond accuracy", RecSys 2010; METRICS-SPEC.md §2.1.
func Coverage(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	n := 0
	for _, v := range x {
		if v > 0 {
			n++
		}
	}
	return float64(n) / float64(len(x))
}

// GiniVariant selects the normalisation of Gini.
type GiniVariant int

const (
	// GiniStandard is G = Σ_{j=1..n} (2j − n − 1) x_(j) / (n Σ x) over the
	// whole catalogue, zeros included; 0 is perfect equality, higher is
	// more concentrated (LensKit ListGini).
	GiniStandard GiniVariant = iota
	// GiniRecBole is GiniStandard with one more zero item (RecBole counts
	// its padding item in n).
	GiniRecBole
	// GiniElliot is 1 − n/(n−1)·G (Elliot GiniIndex): higher is more
	// equal, the opposite direction.
	GiniElliot
)

// Gini returns the Gini index of the item counts or exposures x (one value
// per catalogue item, zeros included),
//
//	G = Σ_{j=1..n} (2j − n − 1) x_(j) / (n Σ_j x_j),
//
// with x sorted ascending, normalised as variant says. x is not modified.
// Gini returns NaN when x is empty, sums to 0, or holds a negative or NaN
// value, and (GiniElliot) when n = 1. It panics if variant is not a
// GiniVariant constant. Reference: METRICS-SPEC.md §2.2; Rampisela et al.,
// ACM TORS 2024, on normalisation and zeros.
func Gini(x []float64, variant GiniVariant) float64 {
	if variant < GiniStandard || variant > GiniElliot {
		panic(badVariant)
	}
	s := slices.Clone(x)
	if variant == GiniRecBole {
		s = append(s, 0)
	}
	slices.Sort(s) // NaNs first
	n := len(s)
	if n == 0 || math.IsNaN(s[0]) || s[0] < 0 {
		return math.NaN()
	}
	var num, sum float64
	for j, v := range s {
		num += float64(2*(j+1)-n-1) * v
		sum += v
	}
	if sum == 0 {
		return math.NaN()
	}
	g := num / (float64(n) * sum)
	if variant == GiniElliot {
		if n == 1 {
			return math.NaN()
		}
		return 1 - float64(n)/float64(n-1)*g
	}
	return g
}

// Entropy returns the Shannon entropy of the distribution of the item
// counts x,
//
//	H = −Σ_i p_i log_b p_i,  p_i = x_i / Σ x,
//
// in the logarithm base b (2 for bits, math.E for nats), with 0·log 0 = 0.
// Divide by log_b |I| to normalise into [0, 1]; RecBole's ShannonEntropy
// is the entropy in nats divided by the number of distinct recommended
// items. Entropy returns NaN when x sums to 0 or holds a negative or NaN
// value. It panics if b <= 0, b == 1 or b is NaN. Reference:
// METRICS-SPEC.md §2.3.
func Entropy(x []float64, b float64) float64 {
	if !(b > 0) || b == 1 {
		panic(badBase)
	}
	var sum float64
	for _, v := range x {
		if !(v >= 0) {
			return math.NaN()
		}
		sum += v
	}
	if sum == 0 {
		return math.NaN()
	}
	var h float64
	for _, v := range x {
		if v > 0 {
			p := v / sum
			h -= p * math.Log(p)
		}
	}
	return h / math.Log(b)
}

// Personalization returns the mean Hamming distance between the top-k
// lists of all pairs of users,
//
//	Pers = mean_{u<v} (1 − |L_u^k ∩ L_v^k| / k),
//
// computed exactly in O(Σ|L_u^k|) from the item counts c_i, since
// Σ_{u<v} |L_u^k ∩ L_v^k| = Σ_i c_i(c_i − 1)/2, so no sampling is needed.
// Every row of lists is a user, an empty list included (distance 1 to every
// other list); a list shorter than k still divides by k; repeats count
// once; items outside [0, nItems) are ignored. Range [0, 1], higher is more
// personalised. Personalization returns NaN with fewer than two users. It
// panics if k <= 0, nItems < 0 or lists is malformed. Reference: Zhou et
// al., PNAS 2010; METRICS-SPEC.md §2.6.
func Personalization(lists Rankings, k, nItems int) float64 {
	if k <= 0 {
		panic(needCutoff)
	}
	x := ItemCounts(lists, k, nItems, nil)
	nu := lists.Users()
	if nu < 2 {
		return math.NaN()
	}
	var overlap float64 // integer-valued, exact below 2^53
	for _, c := range x {
		overlap += c * (c - 1) / 2
	}
	pairs := float64(nu) * float64(nu-1) / 2
	return 1 - overlap/(float64(k)*pairs)
}
