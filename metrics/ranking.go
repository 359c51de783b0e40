package metrics

import "math"

// Precision returns the precision at k of one user's list,
//
//	P@k = |L^k ∩ R| / k,
//
// where L^k is the list truncated at k and R the relevant items. With
// cfg.Precision == PrecisionListLength the denominator is min(k, |L|)
// (LensKit).
//
// list is the user's list in rank order, rel the user's judgments, k the
// cutoff (0: the whole list); the package documentation, "Conventions",
// gives the rules for short lists, repeats and zero denominators, which
// every single-user function shares. Precision returns NaN when cfg
// excludes the user (no relevant item under NoRelevantExclude, an empty
// list under NoListExclude). It panics if k < 0 or k > MaxCutoff, if rel
// is malformed (items not sorted ascending and distinct, grades of another
// length) or if cfg holds a bad value; so do the other single-user
// functions. Each call allocates: evaluate many users with an Evaluator.
// Reference: METRICS-SPEC.md §1.1; trec_eval m_P.c.
func Precision(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasurePrecision, list, rel, k, cfg)
}

// Recall returns the recall at k of one user's list,
//
//	Recall@k = |L^k ∩ R| / |R|,
//
// or, with cfg.Recall == RecallMinRelevantK, over min(|R|, k) (LensKit).
// It is 0 for a user with no relevant item that cfg does not exclude.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does.
// Reference: METRICS-SPEC.md §1.2; trec_eval m_recall.c.
func Recall(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureRecall, list, rel, k, cfg)
}

// HitRate returns the hit indicator at k of one user's list,
//
//	HR@k = 1[|L^k ∩ R| > 0];
//
// its mean over users is the hit rate.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does. Reference: METRICS-SPEC.md §1.3;
// trec_eval success (m_success.c).
func HitRate(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureHitRate, list, rel, k, cfg)
}

// ReciprocalRank returns the reciprocal rank at k of one user's list,
//
//	RR@k = 1/r*,
//
// where r* is the rank of the first relevant item among the first k, and 0
// when there is none; its mean over users is the MRR. trec_eval recip_rank
// is ReciprocalRank with k = 0.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does. Reference: METRICS-SPEC.md §1.4.
func ReciprocalRank(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureRR, list, rel, k, cfg)
}

// AveragePrecision returns the average precision at k of one user's list,
//
//	AP@k = (1/N) Σ_{r=1..k} hit(r)·P@r,
//
// with the normaliser N chosen by cfg.AP: min(|R|, k) by default, |R|
// (trec_eval, ranx), k (RecTools), min(|R|, |L^k|) (LensKit), or Elliot's
// mean of P@1..P@k. Its mean over users is the MAP.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does. Reference:
// METRICS-SPEC.md §1.5; trec_eval m_map.c.
func AveragePrecision(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureAP, list, rel, k, cfg)
}

// DCG returns the discounted cumulative gain at k of one user's list,
//
//	DCG@k = Σ_{r=1..k} g(rel(i_r))·d(r),
//
// with the gain g chosen by cfg.Gain (binary by default; 0 for items below
// the threshold) and the discount d by cfg.Discount (1/log2(r+1) by
// default). Unlike NDCG it depends on the logarithm base.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does. Reference:
// Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR
// techniques", ACM TOIS 2002; METRICS-SPEC.md §1.6.
func DCG(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureDCG, list, rel, k, cfg)
}

// NDCG returns the normalised discounted cumulative gain at k of one user's
// list,
//
//	NDCG@k = DCG@k / IDCG@k,
//
// where IDCG@k is the DCG of the ideal list chosen by cfg.Ideal: by default
// the user's relevant items by descending gain, truncated at k (not
// truncated when k = 0). It is 0 for a user with no relevant item that cfg
// does not exclude.
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does. Reference: Järvelin & Kekäläinen, ACM TOIS 2002;
// METRICS-SPEC.md §1.6; trec_eval m_ndcg_cut.c.
func NDCG(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureNDCG, list, rel, k, cfg)
}

// RBP returns the rank-biased precision at k of one user's list,
//
//	RBP@k = (1 − p) Σ_{r=1..k} g(rel(i_r))·p^(r−1),
//
// with patience p = cfg.Patience (default 0.85) and the gain of cfg.Gain.
// Graded gains are not rescaled, so with GainLinear or GainExp the value
// may exceed 1 (as in ranx); trec_eval rbp rescales them into [0, 1].
// It returns NaN when cfg excludes the user and panics on bad arguments,
// as Precision does.
// Reference: Moffat & Zobel, "Rank-biased precision for measurement of
// retrieval effectiveness", ACM TOIS 2008; METRICS-SPEC.md §1.7.
func RBP(list []int32, rel Judgments, k int, cfg Config) float64 {
	return one(MeasureRBP, list, rel, k, cfg)
}

// one evaluates a single measure at a single cutoff for one user.
func one(m Measure, list []int32, rel Judgments, k int, cfg Config) float64 {
	rel.check()
	kn := newKernel(cfg, []Measure{m}, []int{k})
	nrel := kn.hitsSearch(list, rel)
	if excluded(&kn.cfg, len(list), nrel, len(rel.Items)) {
		return math.NaN()
	}
	var out [1]float64
	kn.values(len(list), nrel, out[:])
	return out[0]
}
