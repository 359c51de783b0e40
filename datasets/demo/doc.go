// Package demo generates recaudit's built-in demo dataset: a synthetic
// online shop whose customers, products and clicks carry known, planted
// group differences of configurable size.
//
// It is the dataset "recaudit audit" uses when no data is given, and the
// basis of the toolkit's tests, simulations and benchmarks: because the
// effects are planted, a test can check that an audit finds exactly them,
// and that it finds nothing in the null world.
//
//	d, err := demo.Generate(ctx, demo.DefaultConfig())
//
// [Generate] returns a [datasets.Dataset]; turning it into Arrow tables or
// files is the datasets package's job.
//
// # Tables
//
// Users (IDs 1..Users):
//
//	gender                   F 51%, M 46%, X 3%                   sensitive
//	age_band                 18-24 14%, 25-34 22%, 35-44 21%,     sensitive
//	                         45-54 18%, 55-64 14%, 65+ 11%
//	region                   central 18%, east 22%, north 17%,    attribute
//	                         south 25%, west 18%
//	consent_personalization  true 85%                             consent (Bool)
//
// The four are drawn independently of each other. Region is a negative
// control: no effect ever depends on it.
//
// Items (IDs 1..Items):
//
//	provider          8 large brands "brand-01".."brand-08" (30% of     item_group
//	                  items) and Items·0.7/6 small independent vendors
//	                  "vendor-…" (about 6 items each)
//	provider_type     brand | independent                             item_group
//	category          1 to 3 of 12 categories (multi-categorical):    item_group
//	                  automotive, beauty, books, electronics, fashion,
//	                  finance, garden, grocery, health, home, sports,
//	                  toys
//	price_tier        low 45%, mid 35%, high 20%                       attribute
//	high_cost_credit  30% of finance items, at least one (Bool)        flag
//
// Interactions are implicit feedback (CSR Values is nil: every entry means
// "clicked or bought"), each with a timestamp in Unix seconds in
// [Start, Start+Span). Each user has at least MinPerUser interactions, all
// with distinct items. Categorical levels are sorted and only levels that
// occur are listed.
//
// # Generative model
//
// Items. There are K latent clusters (Config.Clusters; by default
// Items/max(80, 2·m) clamped to [12, 1024], m the 18-24 band's mean
// activity, so that clusters stay several times larger than a typical
// user's activity) of equal size (±1), placed at random over the items.
// Cluster j's primary category is category j mod 12, which every item of
// the cluster carries; items outside finance get 0, 1 or 2 further categories
// (55%, 35%, 10%), never finance, so the finance items are exactly those of
// the finance clusters. Within each cluster the items are put in a random
// rank order and get the Zipf weight
//
//	w(item) = (rank + 2)^-1.2 · (1 + BrandPopularity if the item is a brand's)
//
// Every cluster has a base demand exp(0.7·Z), Z standard normal. The
// provider, price tier and credit flag of an item are drawn independently
// of its cluster and rank.
//
// Users. A user's gender, age band, region and consent are drawn from the
// proportions above. The user has 1, 2 or 3 favourite clusters (40%, 40%,
// 20%), drawn without replacement with probability proportional to
//
//	base demand(j) · exp(CategoryTaste · shift[gender][category(j)])
//
// and weights over them drawn from Dirichlet(1, …, 1). The user's number of
// interactions is
//
//	n = min(Items/2, max(MinPerUser, floor(X + U))),  X = exp(μ[band] + Z)
//
// with U uniform on [0, 1) and μ[band] solved so that the band's mean of n
// is exactly its target (see AgeActivity below): the targets are scaled so
// that the expected total is Config.Interactions. The user joins at a time
// uniform over the first 75% of the span; interaction times are uniform
// between the join time and the end of the span, independent of the item.
//
// Interactions. Each of the user's n items is drawn as follows: with
// probability c (the credit rate, below) a high-cost credit offer, chosen
// by popularity weight w; else with probability 0.2 an exploration draw (a
// cluster by base demand, then an item of it by w); else a favourite
// cluster by the user's weights, then an item of it by w. An item the user
// already has is redrawn; after 32 redraws a uniformly random item the user
// does not have is taken instead (this only happens to the heaviest users
// of small clusters). Every draw is O(1) (Walker/Vose alias tables built
// once per cluster).
//
// This leaves user-level structure to learn: most of a user's items come
// from a few clusters, so neighbourhood and factor models beat a
// most-popular ranking clearly (on the default world, leave-one-out hit
// rate at 10 is about 0.36 for cosine item-kNN against 0.09 for
// most-popular).
//
// # Planted effects
//
// Each field of [Effects] is 0 for "no effect"; [DefaultEffects] gives the
// defaults below.
//
//   - AgeActivity (default 0.5, in [0, 1)): group-dependent activity. Age
//     band b (0 = 18-24, …, 5 = 65+) has expected activity
//     (1 − AgeActivity·b/5) times the 18-24 band's: with 0.5 the 65+ band
//     makes half as many interactions per user as the youngest. The
//     ratios of band means are exact in expectation.
//   - BrandPopularity (default 2, in [0, 1000]): popularity skew towards
//     large brands. A brand item's weight within its cluster is
//     1+BrandPopularity times that of an independent item of the same rank.
//     As brands hold 30% of each cluster, brand items end up with about 2.1
//     times the interactions per item of independent ones at the default
//     (2.0 to 2.3 over seeds).
//   - CategoryTaste (default 1, in [0, 10]): gender-specific tastes. The
//     shift table is fixed: for F +1 beauty and fashion, +0.5 health and
//     home, +0.25 books, grocery, toys, −0.5 sports, −0.75 electronics,
//     −1 automotive; M roughly the opposite; X leans to books and fashion.
//     Finance has shift 0 for every gender. At the default a simple
//     category-share score separates F from M users with AUC about 0.8.
//   - CreditPropensity (default 2, in [0, 49]): one group engages more with
//     credit offers. Every draw is a credit-offer draw with probability
//     [CreditBaseRate] (0.02); for users in the 18-24 band the probability
//     is 0.02·(1+CreditPropensity). Users also reach credit items through
//     finance favourites and exploration, for everyone alike (about 3% of
//     interactions), so at the default the 18-24 band's share of credit
//     interactions is about 1.7 times everyone else's (seed 1: 1.73), and
//     recommenders that learn from co-occurrence (item-kNN, EASE, ALS)
//     show the band more credit offers than other bands.
//
// # Null world
//
// With every effect 0 ([Effects] zero value, [Effects.IsNull]), no group of
// users differs from another in anything that is drawn: every age band has
// the same activity distribution, every gender picks favourite clusters
// with the same probabilities (base demand only), every user draws credit
// offers at the same rate CreditBaseRate, and brand items have the same
// popularity weights as independent ones (multiplier 1). Group statistics
// then differ only by sampling noise. The population proportions (for
// example that 18-24 is 14% of users, or that brands hold 30% of items)
// are the same in every world.
//
// # Metadata
//
// Dataset.Metadata records the parameters under the keys Meta*: the seed,
// sizes, resolved defaults, every effect size (decimal text,
// strconv.FormatFloat(v, 'g', -1, 64)), which column and group each effect
// applies to (for example "recaudit.demo.effect.credit_propensity.group" =
// "18-24"), the large-brand providers and whether this is the null world.
//
// # Determinism and scale
//
// The same Config (including Seed) always gives the same Dataset, on any
// machine and whatever GOMAXPROCS is: each user has its own PCG stream
// derived from (Seed, user index) by the SplitMix64 finaliser, and the
// items one more stream. Generate runs in two passes over the users, in
// parallel on GOMAXPROCS goroutines: the first draws attributes and counts,
// which give the CSR offsets; the second redraws the same user state from
// the same stream and fills the user's row in place. Memory is the CSR
// itself (12 bytes per interaction: int32 item, int64 time) plus about 35
// bytes per user and 100 bytes per item. A model change that
// alters the output for a Config bumps "recaudit.demo.version".
//
// # Invariants
//
// Generate does not modify its argument and keeps no reference to the
// Dataset it returns; the caller owns every slice in it. The Dataset
// satisfies the datasets package's contracts: the interactions CSR passes
// [datasets.CSR.Validate] (rows sorted, distinct), categorical levels are
// sorted with codes into them, and multi-categorical rows are sorted and
// distinct.
package demo
