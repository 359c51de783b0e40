package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/recaudit/recaudit/datasets"
)

// Generate builds the demo shop described by cfg: users with demographic
// attributes and consent, items with providers, categories, price tiers
// and credit flags, and interactions with timestamps drawn from the latent
// cluster model with cfg.Effects planted (see the package documentation).
//
// Generate is deterministic: the same cfg gives an identical Dataset,
// whatever GOMAXPROCS is. It runs on GOMAXPROCS goroutines and needs about
// 12 bytes per interaction, about 35 per user and 100 per item.
//
// Generate returns an error wrapping [ErrConfig], naming the field, when
// cfg is invalid, and ctx.Err() (wrapped) when ctx is cancelled.
func Generate(ctx context.Context, cfg Config) (*datasets.Dataset, error) {
	r, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	cat := newCatalogue(r)
	n := r.Users

	// Pass 1: each user's attributes and number of interactions.
	gender := make([]int32, n)
	age := make([]int32, n)
	region := make([]int32, n)
	consent := make([]bool, n)
	offsets := make([]int64, n+1)
	err = forUsers(ctx, n, func() func(int) {
		var pcg rand.PCG
		rng := rand.New(&pcg)
		return func(u int) {
			seedStream(&pcg, r.Seed, uint64(u))
			p := drawUser(rng, r, cat)
			gender[u], age[u], region[u], consent[u] = int32(p.gender), int32(p.age), int32(p.region), p.consent
			offsets[u+1] = int64(p.n)
		}
	})
	if err != nil {
		return nil, err
	}
	for u := range n {
		offsets[u+1] += offsets[u]
	}
	nnz := offsets[n]

	// Pass 2: the same streams again, now drawing each user's items.
	cols := make([]int32, nnz)
	times := make([]int64, nnz)
	err = forUsers(ctx, n, func() func(int) {
		var pcg rand.PCG
		rng := rand.New(&pcg)
		seen := make([]uint32, r.Items) // seen[i] == u+1: user u has item i
		return func(u int) {
			seedStream(&pcg, r.Seed, uint64(u))
			p := drawUser(rng, r, cat)
			lo, hi := offsets[u], offsets[u+1]
			fillUser(rng, r, cat, &p, uint32(u)+1, seen, cols[lo:hi], times[lo:hi])
		}
	})
	if err != nil {
		return nil, err
	}

	d := &datasets.Dataset{
		Interactions: datasets.CSR{Rows: n, NumCols: r.Items, Offsets: offsets, Cols: cols, Times: times},
		UserColumns: []datasets.Column{
			categoricalColumn("gender", datasets.RoleSensitive, genderLevels, gender),
			categoricalColumn("age_band", datasets.RoleSensitive, ageLevels, age),
			categoricalColumn("region", datasets.RoleAttribute, regionLevels, region),
			{Name: "consent_personalization", Role: datasets.RoleConsent, Kind: datasets.Bool, Bools: consent},
		},
		ItemColumns: []datasets.Column{
			categoricalColumn("provider", datasets.RoleItemGroup, cat.providerName, cat.provider),
			categoricalColumn("provider_type", datasets.RoleItemGroup, providerTypeLevels, cat.providerType),
			multiColumn("category", datasets.RoleItemGroup, categoryLevels, cat.catOffsets, cat.catCodes),
			categoricalColumn("price_tier", datasets.RoleAttribute, priceLevels, cat.price),
			{Name: "high_cost_credit", Role: datasets.RoleFlag, Kind: datasets.Bool, Bools: cat.credit},
		},
	}
	var brands []string
	for _, p := range d.ItemColumns[0].Levels {
		if strings.HasPrefix(p, "brand-") {
			brands = append(brands, p)
		}
	}
	d.Metadata = metadata(r, brands)
	d.Users, _ = datasets.NewIntIDs(seq(n))
	d.Items, _ = datasets.NewIntIDs(seq(r.Items))

	used := make([]bool, r.Items)
	for _, it := range cols {
		used[it] = true
	}
	d.Report = datasets.Report{
		InteractionRows:     nnz,
		UsersFromTable:      true,
		ItemsFromTable:      true,
		ItemsWithoutHistory: r.Items - countTrue(used),
	}
	return d, nil
}

// person is one user's latent state: attributes, activity, join time and
// favourite clusters with their weights.
type person struct {
	gender, age, region int
	consent             bool
	n                   int
	join                int64 // seconds after Start
	nfav                int
	fav                 [3]int32
	cum                 [3]float64 // cumulative favourite weights, cum[nfav-1] == 1
}

// drawUser draws a user's latent state from rng. Both passes call it on the
// same stream, so it must consume the stream identically.
func drawUser(rng *rand.Rand, r *resolved, cat *catalogue) person {
	var p person
	p.gender = categorical(rng, genderProbs)
	p.age = categorical(rng, ageProbs[:])
	p.region = categorical(rng, regionProbs)
	p.consent = rng.Float64() < consentRate

	// Activity: max(MinPerUser, floor(X+U)), X lognormal with the band's μ,
	// capped at Items/2. floor(X+U) has expectation X, so the band's mean is
	// E[max(MinPerUser, X)] = bandMean exactly (up to the cap).
	x := math.Exp(r.bandMu[p.age] + activitySigma*rng.NormFloat64())
	u := rng.Float64()
	cnt := float64(r.MinPerUser)
	if v := math.Floor(x + u); v > cnt {
		cnt = min(v, float64(r.maxPer))
	}
	p.n = int(cnt)

	p.join = int64(rng.Float64() * joinFraction * float64(r.span))

	p.nfav = 1 + categorical(rng, favouriteProbs)
	pick := &cat.favourite[p.gender]
	var sum float64
	for j := 0; j < p.nfav; j++ {
		c := pick.sample(rng)
		for t := 0; t < 16 && slices.Contains(p.fav[:j], c); t++ {
			c = pick.sample(rng)
		}
		if slices.Contains(p.fav[:j], c) { // a very concentrated taste
			p.nfav = j
			break
		}
		p.fav[j] = c
		sum += rng.ExpFloat64()
		p.cum[j] = sum
	}
	for j := range p.nfav {
		p.cum[j] /= sum
	}
	p.cum[p.nfav-1] = 1
	return p
}

// fillUser draws p.n distinct items into row (then sorted) and their
// timestamps into ts. seen is the worker's scratch: seen[i] == stamp marks
// an item this user already has.
func fillUser(rng *rand.Rand, r *resolved, cat *catalogue, p *person, stamp uint32, seen []uint32, row []int32, ts []int64) {
	credit := CreditBaseRate
	if p.age == ageYoungest {
		credit *= 1 + r.Effects.CreditPropensity
	}
	explore := credit + exploreRate
	invRest := 1 / (1 - explore)
	for k := range row {
		var it int32
		for t := 0; ; t++ {
			if t == maxTriesPerSlot {
				// Saturated: a uniform item not yet taken. The cap
				// n <= Items/2 bounds the expected tries by 2.
				for {
					it = int32(rng.IntN(r.Items))
					if seen[it] != stamp {
						break
					}
				}
				break
			}
			switch v := rng.Float64(); {
			case v < credit:
				it = cat.creditItems[cat.creditPick.sample(rng)]
			case v < explore:
				it = cat.clusterItem(rng, cat.explore.sample(rng))
			default:
				// v is uniform on [explore, 1): rescale it to pick a favourite.
				w, j := (v-explore)*invRest, 0
				for j < p.nfav-1 && w >= p.cum[j] {
					j++
				}
				it = cat.clusterItem(rng, p.fav[j])
			}
			if seen[it] != stamp {
				break
			}
		}
		seen[it] = stamp
		row[k] = it
	}
	slices.Sort(row)
	// Times are independent of the item, so drawing them after sorting
	// keeps the distribution.
	first := r.start + p.join
	window := r.span - p.join
	for k := range ts {
		ts[k] = first + rng.Int64N(window)
	}
}

// blockUsers is the unit of work handed to a goroutine.
const blockUsers = 1024

// forUsers calls a per-goroutine function made by newWorker for every user
// in [0, n), on GOMAXPROCS goroutines, checking ctx between blocks.
func forUsers(ctx context.Context, n int, newWorker func() func(int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), (n+blockUsers-1)/blockUsers)
	for range workers {
		wg.Go(func() {
			work := newWorker()
			for ctx.Err() == nil {
				lo := int(next.Add(blockUsers)) - blockUsers
				if lo >= n {
					return
				}
				for u := lo; u < min(lo+blockUsers, n); u++ {
					work(u)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// categoricalColumn returns a Categorical column keeping only the levels
// that occur, so that the column survives a round trip through a file.
func categoricalColumn(name string, role datasets.Role, levels []string, codes []int32) datasets.Column {
	lv, cd := compact(levels, codes)
	return datasets.Column{Name: name, Role: role, Kind: datasets.Categorical, Levels: lv, Codes: cd}
}

// multiColumn is categoricalColumn for a MultiCategorical column.
func multiColumn(name string, role datasets.Role, levels []string, offsets, codes []int32) datasets.Column {
	lv, cd := compact(levels, codes)
	return datasets.Column{Name: name, Role: role, Kind: datasets.MultiCategorical, Levels: lv, Codes: cd, Offsets: offsets}
}

// compact drops unused levels (levels must be sorted) and renumbers codes
// in place; the order of the remaining levels, and so sortedness within
// multi-categorical rows, is kept.
func compact(levels []string, codes []int32) ([]string, []int32) {
	used := make([]bool, len(levels))
	for _, c := range codes {
		used[c] = true
	}
	remap := make([]int32, len(levels))
	var out []string
	for i, ok := range used {
		if ok {
			remap[i] = int32(len(out))
			out = append(out, levels[i])
		}
	}
	for i, c := range codes {
		codes[i] = remap[c]
	}
	return out, codes
}

func seq(n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(i) + 1
	}
	return s
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// Metadata keys written by Generate. Values are decimal text
// (strconv.FormatInt, strconv.FormatFloat(v, 'g', -1, 64)).
const (
	MetaPrefix           = "recaudit.demo."
	MetaVersion          = MetaPrefix + "version"                  // generator model version
	MetaSeed             = MetaPrefix + "seed"                     // Config.Seed
	MetaUsers            = MetaPrefix + "users"                    // Config.Users
	MetaItems            = MetaPrefix + "items"                    // Config.Items
	MetaInteractions     = MetaPrefix + "interactions.target"      // Config.Interactions
	MetaMinPerUser       = MetaPrefix + "min_per_user"             // resolved MinPerUser
	MetaClusters         = MetaPrefix + "clusters"                 // resolved Clusters
	MetaStart            = MetaPrefix + "start"                    // resolved Start, Unix seconds
	MetaSpan             = MetaPrefix + "span_seconds"             // resolved Span, seconds
	MetaNullWorld        = MetaPrefix + "null_world"               // "true" when every effect is 0
	MetaBrands           = MetaPrefix + "brands"                   // comma-separated large-brand providers
	MetaCreditBaseRate   = MetaPrefix + "credit_base_rate"         // CreditBaseRate
	MetaAgeActivity      = MetaPrefix + "effect.age_activity"      // Effects.AgeActivity
	MetaBrandPopularity  = MetaPrefix + "effect.brand_popularity"  // Effects.BrandPopularity
	MetaCategoryTaste    = MetaPrefix + "effect.category_taste"    // Effects.CategoryTaste
	MetaCreditPropensity = MetaPrefix + "effect.credit_propensity" // Effects.CreditPropensity
)

// modelVersion changes whenever the same Config would give different data.
const modelVersion = 1

func metadata(r *resolved, brands []string) map[string]string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	e := r.Effects
	return map[string]string{
		MetaVersion:          i(modelVersion),
		MetaSeed:             strconv.FormatUint(r.Seed, 10),
		MetaUsers:            i(int64(r.Users)),
		MetaItems:            i(int64(r.Items)),
		MetaInteractions:     i(int64(r.Interactions)),
		MetaMinPerUser:       i(int64(r.MinPerUser)),
		MetaClusters:         i(int64(r.clusters)),
		MetaStart:            i(r.start),
		MetaSpan:             i(r.span),
		MetaNullWorld:        strconv.FormatBool(e.IsNull()),
		MetaBrands:           strings.Join(brands, ","),
		MetaCreditBaseRate:   f(CreditBaseRate),
		MetaAgeActivity:      f(e.AgeActivity),
		MetaBrandPopularity:  f(e.BrandPopularity),
		MetaCategoryTaste:    f(e.CategoryTaste),
		MetaCreditPropensity: f(e.CreditPropensity),

		MetaAgeActivity + ".column":      "age_band",
		MetaAgeActivity + ".reference":   ageLevels[ageYoungest],
		MetaAgeActivity + ".target":      ageLevels[ageOldest],
		MetaBrandPopularity + ".column":  "provider_type",
		MetaBrandPopularity + ".group":   providerTypeLevels[0],
		MetaCategoryTaste + ".column":    "gender",
		MetaCreditPropensity + ".column": "age_band",
		MetaCreditPropensity + ".group":  ageLevels[ageYoungest],
		MetaCreditPropensity + ".flag":   "high_cost_credit",
	}
}
