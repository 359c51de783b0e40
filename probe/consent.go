package probe

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/recommenders"
)

const (
	errK         = "probe: K < 0"
	errCutoffK   = "probe: cutoff larger than K"
	errTolerance = "probe: tolerance outside [0, 1)"
	errAlpha     = "probe: alpha outside (0, 1)"
	errCount     = "probe: negative number of resamples"
)

// DefaultK is the list length of the consent probe when neither K nor the
// cutoffs are set.
const DefaultK = 10

// Consent configures the consent probe, which checks that a recommender
// system does not personalise the lists of users who did not consent to
// personalisation. [Consent.Rerun] probes a system that can be run again
// (a built-in algorithm, an external one through exec); [Consent.Lists]
// probes a system known only by its lists. The zero value is the default
// probe: lists of [DefaultK] items compared at their full length, every
// perturbation, RBO persistence [DefaultPersistence], no tolerated
// violation, 95% intervals, 1000 bootstrap resamples, 10 000
// relabelings, the global random source.
type Consent struct {
	// K is the length of the lists asked of the system. Zero means the
	// largest cutoff, or DefaultK without cutoffs (Rerun); for Lists, the
	// largest cutoff, or the longest list.
	K int
	// Cutoffs are the list lengths at which lists are compared, each in
	// [1, K]; nil means K alone.
	Cutoffs []int
	// Perturbations are the ways the non-consenting users' histories are
	// changed by Rerun; nil means every one ([Perturbations]).
	Perturbations []Perturbation
	// Persistence is RBO's p, in (0, 1); zero means DefaultPersistence.
	Persistence float64
	// Tolerance is the share of non-consenting users whose list may be
	// personalised before the system is flagged, in [0, 1): a cutoff is
	// flagged when the lower bound of the Wilson interval of that share
	// exceeds Tolerance. Zero (the default) tolerates none: a single
	// violating user flags the system.
	Tolerance float64
	// Alpha is the error rate of the intervals (coverage 1 − Alpha); zero
	// means 0.05.
	Alpha float64
	// B is the number of bootstrap resamples of the mean changes; zero
	// means 1000.
	B int
	// Permutations is the number of relabelings of the permutation tests
	// of Lists; zero means 10 000.
	Permutations int
	// Src is the source of randomness of the perturbations, resamples and
	// relabelings; nil means the global source of math/rand/v2. Each
	// probe draws the seeds of its parts from it, in a fixed order, so a
	// seeded source gives the same result every time.
	Src rand.Source
}

// settings are a Consent's values with the defaults filled in.
type settings struct {
	k             int
	cutoffs       []int
	perturbations []Perturbation
	p, tol, alpha float64
	b, perms      int
	rng           *rand.Rand
}

// resolve fills in c's defaults; longest is the K used when neither K nor
// the cutoffs are set. It panics on invalid settings.
func (c Consent) resolve(longest int) settings {
	s := settings{k: c.K, p: c.Persistence, tol: c.Tolerance, alpha: c.Alpha, b: c.B, perms: c.Permutations}
	if s.k < 0 {
		panic(errK)
	}
	for _, x := range c.Cutoffs {
		if x < 1 {
			panic(errCutoff)
		}
	}
	if s.k == 0 {
		s.k = longest
		if len(c.Cutoffs) > 0 {
			s.k = slices.Max(c.Cutoffs)
		}
	}
	s.cutoffs = slices.Clone(c.Cutoffs)
	if s.cutoffs == nil {
		s.cutoffs = []int{s.k}
	}
	for _, x := range s.cutoffs {
		if x > s.k {
			panic(errCutoffK)
		}
	}
	s.perturbations = slices.Clone(c.Perturbations)
	if s.perturbations == nil {
		s.perturbations = Perturbations()
	}
	for _, m := range s.perturbations {
		if m < 0 || int(m) >= len(perturbationNames) {
			panic(errPerturbation)
		}
	}
	if s.p == 0 {
		s.p = DefaultPersistence
	}
	if !(s.p > 0 && s.p < 1) {
		panic(errPersistence)
	}
	if !(s.tol >= 0 && s.tol < 1) {
		panic(errTolerance)
	}
	if s.alpha == 0 {
		s.alpha = 0.05
	}
	if !(s.alpha > 0 && s.alpha < 1) {
		panic(errAlpha)
	}
	if s.b < 0 || s.perms < 0 {
		panic(errCount)
	}
	if s.b == 0 {
		s.b = 1000
	}
	if s.perms == 0 {
		s.perms = 10_000
	}
	s.rng = newRand(c.Src)
	return s
}

// source returns a new seeded source drawn from s.rng.
func (s *settings) source() rand.Source {
	return rand.NewPCG(s.rng.Uint64(), s.rng.Uint64())
}

// RerunResult is the outcome of the consent probe on a system that was run
// again (see [Consent.Rerun]). It holds counts and means over users, never
// a user. It marshals to JSON with NaN as null.
type RerunResult struct {
	// Method is "rerun".
	Method string `json:"method"`
	// K is the length of the lists asked of the system, Cutoffs the
	// lengths at which they were compared.
	K       int   `json:"k"`
	Cutoffs []int `json:"cutoffs"`
	// Persistence is RBO's p; Tolerance the tolerated share of violating
	// users; Alpha the intervals' error rate; B the bootstrap resamples.
	Persistence float64 `json:"rbo_persistence"`
	Tolerance   float64 `json:"tolerance"`
	Alpha       float64 `json:"alpha"`
	B           int     `json:"bootstrap_resamples"`
	// ShareInterval names the interval of the violating share ("wilson");
	// ChangeInterval that of the mean changes ("bootstrap-percentile").
	ShareInterval  string `json:"share_interval"`
	ChangeInterval string `json:"change_interval"`
	// Users is the number of users; NonConsenting of them did not consent.
	Users         int `json:"users"`
	NonConsenting int `json:"non_consenting"`
	// Perturbations has one entry per perturbation, in the order asked.
	Perturbations []PerturbationResult `json:"perturbations"`
	// Flagged reports whether any perturbation flagged any cutoff.
	Flagged bool `json:"flagged"`
}

// PerturbationResult is the consent probe's outcome for one perturbation.
type PerturbationResult struct {
	// Perturbation is its name ("drop", "shuffle", "random").
	Perturbation string `json:"perturbation"`
	// Perturbed counts the non-consenting users whose training history
	// the perturbation changed; they are the users probed.
	Perturbed int `json:"perturbed"`
	// Cutoffs has one entry per cutoff, in the order of the settings.
	Cutoffs []RerunCutoff `json:"cutoffs"`
}

// RerunCutoff is the outcome of one perturbation at one cutoff k.
type RerunCutoff struct {
	K int `json:"k"`
	// Probed is the number of users compared (PerturbationResult.Perturbed);
	// Violating the number whose top-k list moved in a way the
	// non-personalised fallback does not explain (see Consent.Rerun).
	Probed    int `json:"probed"`
	Violating int `json:"violating"`
	// Share is Violating/Probed with its Wilson interval.
	Share fairness.Estimate `json:"share"`
	// JaccardChange and RBOChange are the mean over the probed users of
	// 1 − Jaccard and 1 − RBO between their top-k lists before and after
	// the perturbation, with bootstrap percentile intervals.
	JaccardChange fairness.Estimate `json:"jaccard_change"`
	RBOChange     fairness.Estimate `json:"rbo_change"`
	// FallbackJaccardChange and FallbackRBOChange are the same changes
	// for the non-consenting users' common list (the list most of them
	// hold, when at least two do, before and after): the drift of a
	// data-driven fallback, which the probe does not count as a
	// violation (except with shuffle, which cannot move a fallback). NaN
	// when there is no common list before or after.
	FallbackJaccardChange fairness.Float `json:"fallback_jaccard_change"`
	FallbackRBOChange     fairness.Float `json:"fallback_rbo_change"`
	// Flagged reports whether the lower bound of Share's interval exceeds
	// the tolerance.
	Flagged bool `json:"flagged"`
}

// Rerun probes whether system personalises the lists of the users whose
// consent is false. It runs system on train, then once per perturbation
// on a copy of train in which the non-consenting users' histories are
// perturbed ([Perturb]), and compares each probed user's top-k list
// before and after at every cutoff: a list that moves with a history the
// user did not consent to being used is a violation. The probed users
// are the non-consenting users whose history the perturbation changed.
//
// # Fallback drift
//
// A non-personalised fallback may still depend on the data: the most
// popular items move when the non-consenting users' interactions are
// dropped or replaced, because they count in popularity.
//
// PerturbShuffle only permutes whole histories (items, values and
// timestamps) between users, so the data as a collection of histories is
// unchanged: a list computed from it without looking at whose history is
// whose (popularity, recency-weighted popularity, a model's global
// ranking) cannot move. With PerturbShuffle, a probed user violates
// consent at cutoff k whenever their top-k list changed, rank for rank.
//
// With PerturbDrop and PerturbRandom a fallback's move is the same for
// every user served the fallback, so it is told apart from
// personalisation by comparing with the non-consenting users' common
// list: the top-k list that most of them hold (ties to the most-popular
// list, then the lexicographically smallest), when at least two hold it.
// A probed user violates consent at cutoff k when their top-k list
// changed, unless it was the common list before and is the common list
// after, or was the most-popular list of the training data (recaudit's
// fallback, [recommenders.Run]) before and is that of the perturbed data
// after. At small cutoffs, personalised lists of different users may
// coincide with the common list and be let off: another reason why the
// share is a lower bound.
//
// # What it measures
//
// The violating share is a lower bound on the share of non-consenting
// users whose lists the system personalises: a personalised list that
// happens not to move is not counted. A system whose fallback differs
// between users (a random list per user, say) is counted as violating,
// since its lists cannot be told from personalised ones.
//
// Probing [Managed] systems checks recaudit's runner (they pass); probing
// a [Direct] system checks the system's own consent handling. Perturbing
// the non-consenting users' histories also changes the data the other
// users' lists are learnt from; only the non-consenting users' own lists
// are compared.
//
// consent is indexed by user (nil: everyone consents, and nothing is
// probed). train and consent are not modified. Rerun returns the errors of
// system, an error when system returns lists for a different number of
// users than train has, and ctx.Err() when ctx is cancelled. It panics if
// consent's length differs from the number of users, or on invalid
// settings (K < 0, a
// cutoff outside [1, K], a bad perturbation, Persistence outside (0, 1),
// Tolerance outside [0, 1), Alpha outside (0, 1), negative counts).
func (c Consent) Rerun(ctx context.Context, system System, train *recommenders.TrainView, consent []bool) (*RerunResult, error) {
	s := c.resolve(DefaultK)
	n := train.NumUsers()
	if consent != nil && len(consent) != n {
		panic(errConsentLen)
	}
	res := &RerunResult{Method: "rerun", K: s.k, Cutoffs: s.cutoffs, Persistence: s.p, Tolerance: s.tol,
		Alpha: s.alpha, B: s.b, ShareInterval: "wilson", ChangeInterval: "bootstrap-percentile",
		Users: n, Perturbations: []PerturbationResult{}}
	var nonConsenting []int32
	for u := range consent {
		if !consent[u] {
			nonConsenting = append(nonConsenting, int32(u))
		}
	}
	res.NonConsenting = len(nonConsenting)

	before, err := runSystem(ctx, system, train, s.k, n)
	if err != nil {
		return nil, err
	}
	popBefore, err := popularList(ctx, train, s.k)
	if err != nil {
		return nil, err
	}
	for _, how := range s.perturbations {
		perturbed, changed := Perturb(&train.Interactions, consent, how, s.source())
		var probed []int32
		for _, u := range nonConsenting {
			if changed[u] {
				probed = append(probed, u)
			}
		}
		pr := PerturbationResult{Perturbation: how.String(), Perturbed: len(probed)}
		var after datasets.Rankings
		var popAfter []int32
		if len(probed) > 0 {
			view := &recommenders.TrainView{Interactions: perturbed, ItemColumns: train.ItemColumns}
			if after, err = runSystem(ctx, system, view, s.k, n); err != nil {
				return nil, err
			}
			if popAfter, err = popularList(ctx, view, s.k); err != nil {
				return nil, err
			}
		}
		for _, k := range s.cutoffs {
			rc := s.compare(&before, &after, nonConsenting, probed, k, prefix(popBefore, k), prefix(popAfter, k), how != PerturbShuffle)
			res.Flagged = res.Flagged || rc.Flagged
			pr.Cutoffs = append(pr.Cutoffs, rc)
		}
		res.Perturbations = append(res.Perturbations, pr)
	}
	return res, nil
}

// compare compares the probed users' top-k lists before and after a
// perturbation (see Consent.Rerun); drift says whether a move of the
// common list or of the most-popular list is let off.
func (s *settings) compare(before, after *datasets.Rankings, nonConsenting, probed []int32, k int, popBefore, popAfter []int32, drift bool) RerunCutoff {
	rc := RerunCutoff{K: k, Probed: len(probed)}
	common0, n0 := commonList(before, nonConsenting, k, popBefore)
	common1, n1 := commonList(after, nonConsenting, k, popAfter)
	haveCommon := n0 >= 2 && n1 >= 2 && len(probed) > 0
	jc := make([]float64, len(probed))
	rc2 := make([]float64, len(probed))
	for i, u := range probed {
		a, b := prefix(before.List(int(u)), k), prefix(after.List(int(u)), k)
		jc[i] = 1 - Jaccard(a, b)
		rc2[i] = 1 - RBO(a, b, s.p)
		if slices.Equal(a, b) {
			continue
		}
		if drift && haveCommon && slices.Equal(a, common0) && slices.Equal(b, common1) {
			continue
		}
		if drift && slices.Equal(a, popBefore) && slices.Equal(b, popAfter) {
			continue
		}
		rc.Violating++
	}
	rc.Share = shareEstimate(rc.Violating, rc.Probed, s.alpha)
	rc.Flagged = flagged(rc.Violating, rc.Probed, s.tol, s.alpha)
	rc.JaccardChange = meanEstimate(jc, fairness.Bootstrap{B: s.b, Alpha: s.alpha, Src: s.source()})
	rc.RBOChange = meanEstimate(rc2, fairness.Bootstrap{B: s.b, Alpha: s.alpha, Src: s.source()})
	rc.FallbackJaccardChange, rc.FallbackRBOChange = nan(), nan()
	if haveCommon {
		rc.FallbackJaccardChange = fairness.Float(1 - Jaccard(common0, common1))
		rc.FallbackRBOChange = fairness.Float(1 - RBO(common0, common1, s.p))
	}
	return rc
}

// runSystem runs system and checks the shape of its lists.
func runSystem(ctx context.Context, system System, train *recommenders.TrainView, k, n int) (datasets.Rankings, error) {
	lists, err := system(ctx, train, k)
	if err != nil {
		return datasets.Rankings{}, err
	}
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	if lists.Users() != n {
		return datasets.Rankings{}, fmt.Errorf("probe: the system returned lists for %d users, the training data has %d", lists.Users(), n)
	}
	return lists, nil
}

// popularList returns recaudit's non-personalised fallback on train: the k
// most popular items by distinct users, ties by item index, the user's own
// items included (see recommenders.Run).
func popularList(ctx context.Context, train *recommenders.TrainView, k int) ([]int32, error) {
	if train.NumUsers() == 0 {
		return nil, nil
	}
	pop := &recommenders.Popular{IncludeTraining: true}
	if err := pop.Fit(ctx, train); err != nil {
		return nil, err
	}
	r, err := pop.Recommend(ctx, []int32{0}, k)
	if err != nil {
		return nil, err
	}
	return slices.Clone(r.List(0)), nil
}

func nan() fairness.Float { return fairness.Float(math.NaN()) }
