package fairness

import "math"

// Panic messages of the calibration functions.
const (
	calibrationBadAlpha   = "fairness: calibration alpha not in (0, 1)"
	calibrationShortRanks = "fairness: fewer rank weights than ranks"
	calibrationBadCat     = "fairness: category code out of range"
)

// ItemCategories holds the categories (genres) of every catalogue item in
// compressed sparse row form: item i belongs to Codes[Offsets[i]:Offsets[i+1]],
// category codes in [0, nCats). An item with several categories belongs to
// each with p(c|i) = 1/|categories(i)|; an item without a category (empty
// row, or beyond the rows) is left out of the distributions.
type ItemCategories struct {
	Offsets []int64
	Codes   []int32
}

// items returns the number of items and panics if c is malformed.
func (c ItemCategories) items(nCats int) int {
	exposureCheckOffsets(c.Offsets, len(c.Codes))
	if nCats <= 0 {
		panic(exposureBadGroups)
	}
	for _, g := range c.Codes {
		if g < 0 || int(g) >= nCats {
			panic(calibrationBadCat)
		}
	}
	return max(len(c.Offsets)-1, 0)
}

// of returns the categories of item it.
func (c ItemCategories) of(it int32) []int32 {
	if it < 0 || int(it) >= len(c.Offsets)-1 {
		return nil
	}
	return c.Codes[c.Offsets[it]:c.Offsets[it+1]]
}

// calibrationDist adds the weighted category distribution of items to dst
// (cleared first) and normalises it; it reports false when no item has a
// category or the weights of those items sum to 0.
func calibrationDist(dst []float64, items []int32, weights []float64, cats ItemCategories) bool {
	clear(dst)
	var sum float64
	for j, it := range items {
		cs := cats.of(it)
		if len(cs) == 0 {
			continue
		}
		w := 1.0
		if weights != nil {
			w = weights[j]
		}
		sum += w
		share := w / float64(len(cs))
		for _, c := range cs {
			dst[c] += share
		}
	}
	if !(sum > 0) {
		clear(dst)
		return false
	}
	for c := range dst {
		dst[c] /= sum
	}
	return true
}

// CategoryDistributionTo fills dst with the weighted category distribution
// of a set of items,
//
//	p(c) = Σ_j w_j p(c|i_j) / Σ_j w_j,  p(c|i) = 1/|categories(i)| for c ∈ categories(i),
//
// over the items that have a category, with weights[j] the weight of
// items[j] (nil means unit weights): a user's profile p(g|u) from the
// training history, or the list distribution q(g|u) with rank weights.
// dst has length nCats and is overwritten; if it is nil a new slice is
// allocated. Every entry is NaN when no item has a category or their
// weights sum to 0.
//
// CategoryDistributionTo panics if cats is malformed, nCats <= 0, a code
// is out of range, weights is not nil and not as long as items, or dst has
// the wrong length. Reference: Steck, "Calibrated Recommendations", RecSys
// 2018; METRICS-SPEC.md §3.4.
func CategoryDistributionTo(dst []float64, items []int32, weights []float64, cats ItemCategories, nCats int) []float64 {
	cats.items(nCats)
	if weights != nil && len(weights) != len(items) {
		panic(exposureLengthMismatch)
	}
	dst = exposureDst(dst, nCats)
	if !calibrationDist(dst, items, weights, cats) {
		for c := range dst {
			dst[c] = math.NaN()
		}
	}
	return dst
}

// Calibration holds the conventions of miscalibration. The zero value is
// the default of METRICS-SPEC.md §7: α = 0.01, natural log, unit rank
// weights, whole lists.
type Calibration struct {
	// Alpha is the smoothing α of q̃ = (1−α) q + α p, in (0, 1); 0 means
	// 0.01 (Steck 2018).
	Alpha float64
	// Unit is the unit of C_KL: Nats (default) or Bits.
	Unit InfoUnit
	// RankWeights[r-1] is the weight of rank r in q(g|u), for example
	// Exposure{}.WeightsTo(nil, k, nil) for 1/log2(r+1); nil means unit
	// weights.
	RankWeights []float64
	// Cutoff truncates the lists to their first Cutoff items; 0 means
	// whole lists.
	Cutoff int
}

// check validates c and returns α.
func (c Calibration) check() float64 {
	a := c.Alpha
	if a == 0 {
		a = 0.01
	}
	if !(a > 0 && a < 1) {
		panic(calibrationBadAlpha)
	}
	if c.Cutoff < 0 {
		panic(exposureBadCutoff)
	}
	c.Unit.scale()
	return a
}

// calibrationKL returns C_KL in nats from the profile p and list
// distribution q (q all zero when the list has no categorised item).
func calibrationKL(p, q []float64, alpha float64) float64 {
	var kl float64
	for g, pg := range p {
		if pg > 0 {
			kl += pg * math.Log(pg/((1-alpha)*q[g]+alpha*pg))
		}
	}
	return max(kl, 0)
}

// CalibrationKL returns Steck's miscalibration of one user's list,
//
//	p(g|u) = Σ_{i∈H_u} w_{u,i} p(g|i) / Σ_{i∈H_u} w_{u,i}
//	q(g|u) = Σ_{r} w_r p(g|i_r) / Σ_{r} w_r
//	C_KL(u) = KL(p ‖ q̃) = Σ_{g: p(g|u)>0} p(g|u) log( p(g|u) / q̃(g|u) ),
//	q̃ = (1−α) q + α p,
//
// where history holds the user's training items H_u with weights
// histWeights (nil means unit; recency weights are allowed), list is the
// recommendation list (cut at cfg.Cutoff) with rank weights
// cfg.RankWeights, p(g|i) = 1/|categories(i)| and items without a
// category are left out. A list without a categorised item has q = 0, so
// C_KL = log(1/α). With α > 0 the value is finite. Range [0, ∞); 0 is
// perfectly calibrated.
//
// CalibrationKL panics if cats is malformed, nCats <= 0, a code is out of
// range, histWeights is not nil and not as long as history,
// cfg.RankWeights is shorter than the (cut) list, or cfg is bad. It
// returns NaN when no history item has a category (or their weights sum
// to 0). Reference: Steck, "Calibrated Recommendations", RecSys 2018;
// METRICS-SPEC.md §3.4.
func CalibrationKL(history []int32, histWeights []float64, list []int32, cats ItemCategories, nCats int, cfg Calibration) float64 {
	alpha := cfg.check()
	cats.items(nCats)
	if histWeights != nil && len(histWeights) != len(history) {
		panic(exposureLengthMismatch)
	}
	p := make([]float64, nCats)
	q := make([]float64, nCats)
	return calibrationUser(p, q, history, histWeights, list, cats, cfg, alpha)
}

// calibrationUser computes one user's C_KL in cfg.Unit with scratch p, q.
func calibrationUser(p, q []float64, history []int32, histWeights []float64, list []int32, cats ItemCategories, cfg Calibration, alpha float64) float64 {
	if !calibrationDist(p, history, histWeights, cats) {
		return math.NaN()
	}
	list = itemsideTop(list, cfg.Cutoff)
	var rw []float64
	if cfg.RankWeights != nil {
		if len(cfg.RankWeights) < len(list) {
			panic(calibrationShortRanks)
		}
		rw = cfg.RankWeights[:len(list)]
	}
	calibrationDist(q, list, rw, cats)
	return calibrationKL(p, q, alpha) * cfg.Unit.scale()
}

// CalibrationTo fills dst with CalibrationKL of every user, where row u of
// history holds user u's training items, histWeights (parallel to
// history.Items; nil means unit) their weights, and row u of lists user
// u's list. dst has one element per user and is overwritten; if it is nil
// a new slice is allocated. A user without a categorised history gets
// NaN; the group means and confidence intervals come from the per-user
// values.
//
// CalibrationTo panics as CalibrationKL does, and if history or lists is
// malformed, they differ in users, histWeights is not nil and not as long
// as history.Items, or dst has the wrong length. Reference: Steck, RecSys
// 2018; Abdollahpouri et al., RecSys 2020 (group breakdown);
// METRICS-SPEC.md §3.4.
func CalibrationTo(dst []float64, history Rankings, histWeights []float64, lists Rankings, cats ItemCategories, nCats int, cfg Calibration) []float64 {
	alpha := cfg.check()
	cats.items(nCats)
	history.check()
	lists.check()
	if history.Users() != lists.Users() {
		panic(exposureUsersMismatch)
	}
	if histWeights != nil && len(histWeights) != len(history.Items) {
		panic(exposureLengthMismatch)
	}
	dst = exposureDst(dst, lists.Users())
	p := make([]float64, nCats)
	q := make([]float64, nCats)
	for u := range lists.Users() {
		var hw []float64
		if histWeights != nil {
			hw = histWeights[history.Offsets[u]:history.Offsets[u+1]]
		}
		dst[u] = calibrationUser(p, q, history.List(u), hw, lists.List(u), cats, cfg, alpha)
	}
	return dst
}
