package metrics

import (
	"math"
	"strconv"
)

// Panic messages for programmer errors.
const (
	badCutoff      = "metrics: negative cutoff"
	bigCutoff      = "metrics: cutoff larger than MaxCutoff"
	dupCutoff      = "metrics: repeated cutoff"
	noCutoffs      = "metrics: no cutoffs"
	badMeasure     = "metrics: bad measure"
	dupMeasure     = "metrics: repeated measure"
	badPrecision   = "metrics: bad precision denominator"
	badRecall      = "metrics: bad recall denominator"
	badAP          = "metrics: bad AP normalizer"
	badGain        = "metrics: bad gain"
	badDiscount    = "metrics: bad discount"
	badIdeal       = "metrics: bad ideal"
	badNoRelevant  = "metrics: bad no-relevant policy"
	badNoList      = "metrics: bad no-list policy"
	badThreshold   = "metrics: threshold is negative or NaN"
	badPatience    = "metrics: patience not in (0, 1)"
	badTie         = "metrics: bad tie break"
	badProfile     = "metrics: bad profile"
	lengthMismatch = "metrics: slice length mismatch"
	badOffsets     = "metrics: malformed offsets"
	unsortedJudged = "metrics: judged items not sorted ascending and distinct"
	negativeItem   = "metrics: negative judged item index"
	userMismatch   = "metrics: rankings and relevance have different numbers of users"
	mergeMismatch  = "metrics: merging accumulators with different measures or cutoffs"
	missingColumn  = "metrics: measure or cutoff not evaluated"
	badEncoding    = "metrics: bad accumulator encoding"
)

// MaxCutoff is the largest cutoff accepted. Cutoffs size per-rank lookup
// tables, so they are meant to be list lengths, not "infinity": use the
// cutoff 0 for "no cutoff".
const MaxCutoff = 1 << 24

// DefaultThreshold is the relevance threshold θ used when
// Config.Threshold is zero: any positive test interaction is relevant.
const DefaultThreshold = 1

// DefaultPatience is the RBP patience used when Config.Patience is zero
// (LensKit RBP default).
const DefaultPatience = 0.85

// PrecisionDenominator selects the denominator of Precision@k.
type PrecisionDenominator int

const (
	// PrecisionK divides by k; missing positions of a short list count as
	// misses (trec_eval P, ranx, RecBole, Elliot, MS Recommenders).
	PrecisionK PrecisionDenominator = iota
	// PrecisionListLength divides by min(k, |L|), the length of the
	// truncated list (LensKit Precision). An empty list scores 0.
	PrecisionListLength
)

// RecallDenominator selects the denominator of Recall@k.
type RecallDenominator int

const (
	// RecallRelevant divides by |R|, the number of relevant items
	// (trec_eval recall, RecBole, Elliot, ranx, MS Recommenders).
	RecallRelevant RecallDenominator = iota
	// RecallMinRelevantK divides by min(|R|, k) (LensKit Recall), so that a
	// perfect list scores 1 when |R| > k.
	RecallMinRelevantK
)

// APNormalizer selects the normaliser N of average precision,
//
//	AP@k = (1/N) Σ_{r=1..k} hit(r)·P@r.
type APNormalizer int

const (
	// APMinRelevantK uses N = min(|R|, k) (RecBole MAP, MS Recommenders
	// map_at_k).
	APMinRelevantK APNormalizer = iota
	// APRelevant uses N = |R| (trec_eval map and map_cut, ranx, MS
	// Recommenders map, RecTools MAP default).
	APRelevant
	// APK uses N = k (RecTools MAP with divide_by_k=True).
	APK
	// APElliot is Elliot's "MAP": the mean of P@n over every cutoff
	// n = 1..k, relevant position or not,
	//
	//	AP@k = (1/k) Σ_{n=1..k} P@n.
	//
	// It is a different metric that shares the name.
	APElliot
	// APMinRelevantListLength uses N = min(|R|, min(k, |L|)), the length of
	// the truncated list (LensKit AveragePrecision).
	APMinRelevantListLength
)

// Gain selects the gain g of a judged item with grade rel in DCG, NDCG and
// RBP. Items with rel < θ (and unjudged items) always have gain 0.
type Gain int

const (
	// GainBinary is g = 1 for relevant items (RecBole, LensKit default,
	// MS Recommenders default).
	GainBinary Gain = iota
	// GainLinear is g = rel (Järvelin & Kekäläinen 2002; trec_eval ndcg,
	// ranx ndcg).
	GainLinear
	// GainExp is g = 2^rel − 1 (Burges et al. 2005; ranx ndcg_burges).
	GainExp
	// GainElliot is g = 2^(rel − θ + 1) − 1 (Elliot nDCG).
	GainElliot
)

// Discount selects the rank discount d(r) of DCG and NDCG.
type Discount int

const (
	// DiscountLog2 is d(r) = 1/log2(r+1) (RecBole, ranx, trec_eval,
	// Elliot, RecTools).
	DiscountLog2 Discount = iota
	// DiscountClip is d(r) = 1/log2(max(r, 2)): ranks 1 and 2 are both
	// undiscounted (LensKit default, TREC Fair Ranking 2021/2022).
	DiscountClip
	// DiscountLn is d(r) = 1/ln(r+1) (MS Recommenders default). NDCG is the
	// same as with DiscountLog2; DCG is not.
	DiscountLn
)

// Ideal selects the ideal ranking that normalises NDCG@k.
type Ideal int

const (
	// IdealRelevantCutK ranks the user's relevant items by gain,
	// descending, and truncates at k (RecBole, LensKit, ranx, Elliot,
	// trec_eval ndcg_cut).
	IdealRelevantCutK Ideal = iota
	// IdealFixedK is k items of gain 1, whatever |R| is (RecTools NDCG
	// default, divide_by_achievable=False): a user with fewer than k
	// relevant items can never reach 1. It is meant for binary gains;
	// with graded gains NDCG may exceed 1.
	IdealFixedK
	// IdealAllRelevant uses every relevant item, not truncated at k
	// (trec_eval ndcg, which has no cutoff): a user with more than k
	// relevant items can never reach 1 at cutoff k.
	IdealAllRelevant
)

// NoRelevant selects what happens to users with no relevant test item
// (R = ∅).
type NoRelevant int

const (
	// NoRelevantExclude leaves such users out of every accuracy mean and
	// counts them (RecBole, Elliot, LensKit NaN, MS Recommenders).
	NoRelevantExclude NoRelevant = iota
	// NoRelevantZero scores such users 0 on every measure (ranx).
	NoRelevantZero
	// NoRelevantZeroIfJudged scores 0 the users that have at least one
	// judged item (all below the threshold) and excludes the users with no
	// judgment at all: trec_eval averages over the queries present in the
	// qrels, whose measures are 0 when num_rel is 0 (m_map.c, m_ndcg_cut.c,
	// trec_eval.c), and ignores queries absent from the qrels.
	NoRelevantZeroIfJudged
)

// NoList selects what happens to users whose recommendation list is empty
// (users without a list).
type NoList int

const (
	// NoListMiss scores an empty list as an all-miss list (utility 0) and
	// counts the users (METRICS-SPEC.md §0 item 4; trec_eval -c).
	NoListMiss NoList = iota
	// NoListExclude leaves such users out of the means and counts them
	// (trec_eval without -c, MS Recommenders common users).
	NoListExclude
)

// Config holds every convention that changes the value of a ranking metric.
// The zero value is the toolkit default of METRICS-SPEC.md §7: θ = 1,
// P@k over k, recall over |R|, AP over min(|R|, k), binary gain,
// 1/log2(r+1) discount, ideal cut at k, users with no relevant item
// excluded, users without a list scored as all-miss, RBP patience 0.85.
type Config struct {
	// Threshold is the relevance threshold θ: an item is relevant iff its
	// grade is >= θ. Zero means DefaultThreshold (1). Negative or NaN
	// values panic.
	Threshold float64

	Precision  PrecisionDenominator
	Recall     RecallDenominator
	AP         APNormalizer
	Gain       Gain
	Discount   Discount
	Ideal      Ideal
	NoRelevant NoRelevant
	NoList     NoList

	// Patience is the RBP persistence p in (0, 1). Zero means
	// DefaultPatience (0.85).
	Patience float64
}

// theta returns the effective relevance threshold.
func (c *Config) theta() float64 {
	if c.Threshold == 0 {
		return DefaultThreshold
	}
	return c.Threshold
}

// patience returns the effective RBP patience.
func (c *Config) patience() float64 {
	if c.Patience == 0 {
		return DefaultPatience
	}
	return c.Patience
}

// check panics if a field of c holds a value outside its enumeration.
func (c *Config) check() {
	if c.Threshold < 0 || math.IsNaN(c.Threshold) {
		panic(badThreshold)
	}
	if p := c.patience(); !(p > 0 && p < 1) {
		panic(badPatience)
	}
	if c.Precision < PrecisionK || c.Precision > PrecisionListLength {
		panic(badPrecision)
	}
	if c.Recall < RecallRelevant || c.Recall > RecallMinRelevantK {
		panic(badRecall)
	}
	if c.AP < APMinRelevantK || c.AP > APMinRelevantListLength {
		panic(badAP)
	}
	if c.Gain < GainBinary || c.Gain > GainElliot {
		panic(badGain)
	}
	if c.Discount < DiscountLog2 || c.Discount > DiscountLn {
		panic(badDiscount)
	}
	if c.Ideal < IdealRelevantCutK || c.Ideal > IdealAllRelevant {
		panic(badIdeal)
	}
	if c.NoRelevant < NoRelevantExclude || c.NoRelevant > NoRelevantZeroIfJudged {
		panic(badNoRelevant)
	}
	if c.NoList < NoListMiss || c.NoList > NoListExclude {
		panic(badNoList)
	}
}

// Profile names a set of conventions that reproduces a peer toolkit.
type Profile int

const (
	// ProfileDefault is the zero Config (METRICS-SPEC.md §7).
	ProfileDefault Profile = iota
	// ProfileTrecEval follows trec_eval 9.x (usnistgov/trec_eval):
	// P.k over k, recall over |R|, map over |R| (APRelevant), ndcg gains
	// equal to the relevance level (GainLinear), 1/log2(r+1), ndcg_cut.k
	// ideal cut at k, queries with judgments but no relevant document
	// scored 0 and queries absent from the qrels ignored
	// (NoRelevantZeroIfJudged), queries without results ignored
	// (NoListExclude, trec_eval without -c), rbp patience 0.9.
	//
	// Use the cutoff 0 for the uncut trec_eval measures: map, recip_rank
	// and ndcg (whose ideal is then every relevant document). Differences
	// that remain: trec_eval orders by score with ties broken by docno
	// descending (see OrderByScoreFunc); its ndcg counts every positive
	// level as gain, ignoring -l, so with θ > 1 it differs from GainLinear;
	// its rbp rescales gains into [0, 1], which GainBinary matches only for
	// binary judgments.
	ProfileTrecEval
	// ProfileRanx follows ranx (AmenRa/ranx): precision over k, recall and
	// AP over |R|, ndcg with linear gains and 1/log2(r+1), ideal cut at k,
	// queries with no relevant document scored 0.
	ProfileRanx
	// ProfileRecBole follows RecBole (RUCAIBox/RecBole): precision over k,
	// recall over |R|, MAP over min(|R|, k), binary NDCG with
	// 1/log2(r+1) and ideal of min(|R|, k) ones, users without test
	// interactions not evaluated. It equals ProfileDefault.
	ProfileRecBole
	// ProfileLensKit follows LensKit (lenskit/lkpy): precision over the
	// truncated list length, recall over min(|R|, k), AP over
	// min(|R|, truncated list length), binary NDCG with the clipped
	// 1/log2(max(r, 2)) discount and ideal of min(|R|, k) ones, users with
	// an empty test list excluded (NaN), RBP patience 0.85. LensKit's
	// Precision and AveragePrecision return NaN for an empty list where
	// this package scores 0.
	ProfileLensKit
	// ProfileElliot follows Elliot (sisinflab/elliot): precision over k,
	// recall over |R|, MAP as the mean of P@1..P@k (APElliot), nDCG with
	// gains 2^(rel − θ + 1) − 1 and 1/log2(r+1), ideal cut at k, users with
	// no relevant item skipped.
	ProfileElliot
	// ProfileRecTools follows RecTools (MobileTeleSystems/RecTools):
	// MAP over |R| (divide_by_k=False), NDCG with binary gains,
	// 1/log2(r+1) and the fixed ideal of k ones
	// (divide_by_achievable=False).
	ProfileRecTools
)

// Config returns the conventions of profile p. It panics if p is not one of
// the Profile constants.
func (p Profile) Config() Config {
	switch p {
	case ProfileDefault, ProfileRecBole:
		return Config{}
	case ProfileTrecEval:
		return Config{
			AP:         APRelevant,
			Gain:       GainLinear,
			NoRelevant: NoRelevantZeroIfJudged,
			NoList:     NoListExclude,
			Patience:   0.9,
		}
	case ProfileRanx:
		return Config{
			AP:         APRelevant,
			Gain:       GainLinear,
			NoRelevant: NoRelevantZero,
		}
	case ProfileLensKit:
		return Config{
			Precision: PrecisionListLength,
			Recall:    RecallMinRelevantK,
			AP:        APMinRelevantListLength,
			Discount:  DiscountClip,
			Patience:  0.85,
		}
	case ProfileElliot:
		return Config{
			AP:   APElliot,
			Gain: GainElliot,
		}
	case ProfileRecTools:
		return Config{
			AP:    APRelevant,
			Ideal: IdealFixedK,
		}
	default:
		panic(badProfile)
	}
}

// String returns the profile name used on the command line.
func (p Profile) String() string {
	switch p {
	case ProfileDefault:
		return "default"
	case ProfileTrecEval:
		return "trec_eval"
	case ProfileRanx:
		return "ranx"
	case ProfileRecBole:
		return "recbole"
	case ProfileLensKit:
		return "lenskit"
	case ProfileElliot:
		return "elliot"
	case ProfileRecTools:
		return "rectools"
	default:
		return "Profile(" + strconv.Itoa(int(p)) + ")"
	}
}

// Measure identifies a per-user ranking measure in an Evaluator.
type Measure int

const (
	MeasurePrecision Measure = iota // Precision@k
	MeasureRecall                   // Recall@k
	MeasureHitRate                  // HitRate@k
	MeasureRR                       // reciprocal rank @k (mean: MRR)
	MeasureAP                       // average precision @k (mean: MAP)
	MeasureDCG                      // DCG@k
	MeasureNDCG                     // NDCG@k
	MeasureRBP                      // rank-biased precision @k
	numMeasures
)

// AllMeasures returns every Measure, in the order of the constants.
func AllMeasures() []Measure {
	m := make([]Measure, numMeasures)
	for i := range m {
		m[i] = Measure(i)
	}
	return m
}

// String returns the stable name of m ("precision", "recall", "hit_rate",
// "rr", "ap", "dcg", "ndcg", "rbp").
func (m Measure) String() string {
	switch m {
	case MeasurePrecision:
		return "precision"
	case MeasureRecall:
		return "recall"
	case MeasureHitRate:
		return "hit_rate"
	case MeasureRR:
		return "rr"
	case MeasureAP:
		return "ap"
	case MeasureDCG:
		return "dcg"
	case MeasureNDCG:
		return "ndcg"
	case MeasureRBP:
		return "rbp"
	default:
		return "Measure(" + strconv.Itoa(int(m)) + ")"
	}
}
