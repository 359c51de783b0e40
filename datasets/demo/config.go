package demo

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrConfig is wrapped by every error [Generate] returns for an invalid
// [Config].
var ErrConfig = errors.New("demo: invalid config")

// Default sizes and knobs. See [DefaultConfig].
const (
	DefaultUsers        = 10_000
	DefaultItems        = 2_000
	DefaultInteractions = 300_000
	DefaultMinPerUser   = 5
	DefaultSpan         = 365 * 24 * time.Hour
)

// DefaultStart is the first possible interaction time when Config.Start is
// the zero time: 2025-01-01T00:00:00Z.
var DefaultStart = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// Config describes the shop to generate. Users, Items and Interactions are
// required; every other field has a useful zero value.
type Config struct {
	// Users is the number of customers (at least 1).
	Users int
	// Items is the number of products (at least 4 per latent cluster, so at
	// least 48 with the default number of clusters).
	Items int
	// Interactions is the expected total number of interactions; the
	// generated number is random around it (about ±1% at the default size).
	Interactions int
	// Seed selects the random world. The same Config gives the same
	// Dataset, whatever GOMAXPROCS is.
	Seed uint64
	// Effects are the planted group differences; the zero value is the null
	// world.
	Effects Effects

	// MinPerUser is the smallest number of interactions a user has;
	// 0 means DefaultMinPerUser (5).
	MinPerUser int
	// Clusters is the number of latent taste clusters, at least 12 (one per
	// category) and at most Items/4; 0 means Items/max(80, 2·m) clamped to
	// [12, 1024], where m is the 18-24 band's mean activity.
	Clusters int
	// Start is the earliest interaction time; the zero time means
	// DefaultStart.
	Start time.Time
	// Span is the length of the period interactions fall in, at least one
	// second; 0 means DefaultSpan (365 days).
	Span time.Duration
}

// DefaultConfig returns the built-in demo shop: 10,000 users, 2,000 items,
// about 300,000 interactions over 2025, seed 1 and [DefaultEffects].
func DefaultConfig() Config {
	return Config{
		Users:        DefaultUsers,
		Items:        DefaultItems,
		Interactions: DefaultInteractions,
		Seed:         1,
		Effects:      DefaultEffects(),
	}
}

// Effects are the sizes of the planted group differences. Every field is 0
// for "no effect", so the zero value is the null world, in which no user
// group differs from another in activity, tastes or credit propensity and
// brand items are exactly as popular as independent ones. See the package
// documentation for the exact mechanisms.
type Effects struct {
	// AgeActivity is the relative drop in mean activity from the youngest
	// age band (18-24) to the oldest (65+), in [0, 1): the 65+ band's
	// expected number of interactions per user is 1-AgeActivity times the
	// 18-24 band's, and the bands between interpolate linearly.
	AgeActivity float64
	// BrandPopularity is the extra popularity of large-brand items, in
	// [0, 1000]: a brand item's popularity weight is 1+BrandPopularity times
	// that of an independent vendor's item of the same popularity rank.
	BrandPopularity float64
	// CategoryTaste is the strength of the gender-specific category tastes,
	// in [0, 10]: a user of gender g picks a favourite cluster of category c
	// with weight exp(CategoryTaste·shift[g][c]), shift in [-1, 1].
	CategoryTaste float64
	// CreditPropensity is the extra propensity of the 18-24 band to click
	// high-cost credit offers, in [0, 49]: each draw of an 18-24 user is a
	// credit-offer draw with probability 1+CreditPropensity times the base
	// rate every other user has (CreditBaseRate).
	CreditPropensity float64
}

// DefaultEffects returns the effects of the built-in demo dataset: the 65+
// band is half as active as the 18-24 band, brand items are 3 times as
// popular, gender tastes have strength 1, and the 18-24 band draws credit
// offers 3 times as often.
func DefaultEffects() Effects {
	return Effects{AgeActivity: 0.5, BrandPopularity: 2, CategoryTaste: 1, CreditPropensity: 2}
}

// IsNull reports whether e is the null world (every effect zero).
func (e Effects) IsNull() bool { return e == Effects{} }

// resolved is a validated Config with defaults filled in and the derived
// per-band activity parameters.
type resolved struct {
	Config
	clusters int
	start    int64 // Unix seconds
	span     int64 // seconds, >= 1
	maxPer   int   // cap on a user's interactions
	ratio    [numAges]float64
	bandMean [numAges]float64 // expected interactions per user, by age band
	bandMu   [numAges]float64 // lognormal location solving E[max(min, X)] = bandMean
}

func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
}

func finiteIn(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }

// resolve validates cfg and fills in its defaults.
func resolve(cfg Config) (*resolved, error) {
	r := &resolved{Config: cfg}
	if cfg.Users < 1 || cfg.Users > math.MaxInt32-1 {
		return nil, configErr("Config.Users = %d: must be in [1, %d]", cfg.Users, math.MaxInt32-1)
	}
	if cfg.MinPerUser < 0 {
		return nil, configErr("Config.MinPerUser = %d: must be positive, or 0 for the default %d", cfg.MinPerUser, DefaultMinPerUser)
	}
	if r.MinPerUser == 0 {
		r.MinPerUser = DefaultMinPerUser
	}
	if cfg.Items < 4*numCategories || cfg.Items > math.MaxInt32-1 {
		return nil, configErr("Config.Items = %d: must be in [%d, %d]", cfg.Items, 4*numCategories, math.MaxInt32-1)
	}
	if cfg.Clusters != 0 && (cfg.Clusters < numCategories || cfg.Clusters > cfg.Items/4) {
		return nil, configErr("Config.Clusters = %d: must be in [%d, Items/4 = %d], or 0 for the default", cfg.Clusters, numCategories, cfg.Items/4)
	}
	if cfg.Span < 0 || (cfg.Span > 0 && cfg.Span < time.Second) {
		return nil, configErr("Config.Span = %v: must be at least 1s, or 0 for the default %v", cfg.Span, DefaultSpan)
	}
	span := cfg.Span
	if span == 0 {
		span = DefaultSpan
	}
	r.span = int64(span / time.Second)
	start := cfg.Start
	if start.IsZero() {
		start = DefaultStart
	}
	r.start = start.Unix()
	if r.start > math.MaxInt64-r.span {
		return nil, configErr("Config.Start = %v: Start+Span overflows Unix seconds", cfg.Start)
	}

	e := cfg.Effects
	if !finiteIn(e.AgeActivity, 0, 1) || e.AgeActivity == 1 {
		return nil, configErr("Config.Effects.AgeActivity = %g: must be in [0, 1)", e.AgeActivity)
	}
	if !finiteIn(e.BrandPopularity, 0, 1000) {
		return nil, configErr("Config.Effects.BrandPopularity = %g: must be in [0, 1000]", e.BrandPopularity)
	}
	if !finiteIn(e.CategoryTaste, 0, 10) {
		return nil, configErr("Config.Effects.CategoryTaste = %g: must be in [0, 10]", e.CategoryTaste)
	}
	if !finiteIn(e.CreditPropensity, 0, 49) {
		return nil, configErr("Config.Effects.CreditPropensity = %g: must be in [0, 49]", e.CreditPropensity)
	}

	// Activity: band b has ratio 1 - AgeActivity·b/(numAges-1) to the
	// youngest band; the youngest band's mean m0 is chosen so that the
	// expected total is Interactions.
	var mix float64
	for b := range numAges {
		r.ratio[b] = 1 - e.AgeActivity*float64(b)/float64(numAges-1)
		mix += ageProbs[b] * r.ratio[b]
	}
	if cfg.Interactions < 1 {
		return nil, configErr("Config.Interactions = %d: must be positive", cfg.Interactions)
	}
	m0 := float64(cfg.Interactions) / float64(cfg.Users) / mix
	for b := range numAges {
		r.bandMean[b] = m0 * r.ratio[b]
	}
	minMean := r.bandMean[numAges-1]
	if minMean < 1.05*float64(r.MinPerUser) {
		need := int64(math.Ceil(1.05 * float64(r.MinPerUser) / r.ratio[numAges-1] * mix * float64(cfg.Users)))
		return nil, configErr("Config.Interactions = %d is too small for %d users: the 65+ band would average %.2f interactions per user, too close to MinPerUser = %d for its mean to be planted; use Interactions >= %d (or a smaller Effects.AgeActivity or MinPerUser)",
			cfg.Interactions, cfg.Users, minMean, r.MinPerUser, need)
	}
	if m0 > float64(cfg.Items)/8 {
		return nil, configErr("Config.Interactions = %d is too large for %d users and %d items: the 18-24 band would average %.1f interactions per user, more than Items/8 = %d; use more items or fewer interactions",
			cfg.Interactions, cfg.Users, cfg.Items, m0, cfg.Items/8)
	}
	r.maxPer = cfg.Items / 2
	// Default clusters: about max(80, 2·m0) items each, so that a typical
	// user's favourites hold several times the user's activity at any
	// scale, clamped to [12, 1024] clusters.
	r.clusters = cfg.Clusters
	if r.clusters == 0 {
		size := max(80, int(2*m0))
		r.clusters = min(max(cfg.Items/size, numCategories), 1024)
	}
	for b := range numAges {
		r.bandMu[b] = solveMu(r.bandMean[b], float64(r.MinPerUser), activitySigma)
	}
	return r, nil
}

// solveMu returns μ such that X = exp(μ + σZ), Z standard normal, has
// E[max(c, X)] = m, for m > c > 0. With
//
//	E[max(c, X)] = c·Φ((ln c − μ)/σ) + exp(μ + σ²/2)·Φ((μ + σ² − ln c)/σ)
//
// increasing in μ, it bisects between a μ where the value is below m and
// ln m − σ²/2, where E[X] = m already.
func solveMu(m, c, sigma float64) float64 {
	f := func(mu float64) float64 {
		lc := math.Log(c)
		return c*normCDF((lc-mu)/sigma) + math.Exp(mu+sigma*sigma/2)*normCDF((mu+sigma*sigma-lc)/sigma)
	}
	hi := math.Log(m) - sigma*sigma/2
	lo := hi - 1
	for f(lo) >= m {
		lo -= 1
	}
	for range 100 {
		mid := (lo + hi) / 2
		if f(mid) < m {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
