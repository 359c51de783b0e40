package metrics

import "math"

// Categories holds the category set of every item in compressed sparse row
// form: item i's category codes are Codes[Offsets[i]:Offsets[i+1]], sorted
// ascending and distinct (package datasets builds multi-valued categories
// this way). Items outside the rows have no category.
type Categories struct {
	Offsets []int64
	Codes   []int32
}

// Items returns the number of items (rows).
func (c Categories) Items() int {
	if len(c.Offsets) == 0 {
		return 0
	}
	return len(c.Offsets) - 1
}

// of returns the categories of item i, nil outside the rows.
func (c Categories) of(i int32) []int32 {
	if uint32(i) >= uint32(c.Items()) {
		return nil
	}
	return c.Codes[c.Offsets[i]:c.Offsets[i+1]]
}

// overlap returns |A ∩ B|, |A| and |B| for the category sets of a and b.
func (c Categories) overlap(a, b int32) (both, na, nb int) {
	x, y := c.of(a), c.of(b)
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			both++
			i++
			j++
		}
	}
	return both, len(x), len(y)
}

// Cosine returns the cosine similarity of the binary category vectors of
// items a and b,
//
//	cos(a, b) = |A ∩ B| / sqrt(|A|·|B|),
//
// and 0 when either item has no category. Use it as the sim of
// IntraListDiversity (LensKit ILS, recmetrics intra_list_similarity).
func (c Categories) Cosine(a, b int32) float64 {
	both, na, nb := c.overlap(a, b)
	if na == 0 || nb == 0 {
		return 0
	}
	return float64(both) / math.Sqrt(float64(na)*float64(nb))
}

// Jaccard returns the Jaccard similarity of the category sets of items a
// and b,
//
//	J(a, b) = |A ∩ B| / |A ∪ B|,
//
// and 0 when neither item has a category.
func (c Categories) Jaccard(a, b int32) float64 {
	both, na, nb := c.overlap(a, b)
	if na+nb == 0 {
		return 0
	}
	return float64(both) / float64(na+nb-both)
}

// IntraListDiversity returns the mean pairwise dissimilarity of the first k
// items of list,
//
//	ILD = (2 / (n(n−1))) Σ_{a<b ∈ L^k} (1 − sim(a, b)),  n = |L^k|,
//
// which is 1 − ILS for similarities in [0, 1]. sim is symmetric, for
// example Categories.Cosine or Categories.Jaccard. k = 0 means the whole
// list. Ziegler et al.'s unnormalised ILS is n(n−1)/2 · (1 − ILD).
// IntraListDiversity returns NaN for lists of fewer than two items and
// panics if k < 0. Reference: Ziegler et al., "Improving recommendation
// lists through topic diversification", WWW 2005; METRICS-SPEC.md §2.5.
func IntraListDiversity(list []int32, k int, sim func(a, b int32) float64) float64 {
	list = truncate(list, k)
	n := len(list)
	if n < 2 {
		return math.NaN()
	}
	var s float64
	for i, a := range list {
		for _, b := range list[i+1:] {
			s += 1 - sim(a, b)
		}
	}
	return s / (float64(n) * float64(n-1) / 2)
}
