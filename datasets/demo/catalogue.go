package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Random streams. Every user has its own stream, derived from (seed, user
// index), and the catalogue has one more; so nothing depends on how users
// are scheduled over goroutines.
const catalogueStream = 1 << 63

// mix64 is the SplitMix64 finaliser, a bijection on uint64 that spreads
// nearby inputs over the whole range.
//
// Reference: G. L. Steele, D. Lea, C. H. Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// seedStream resets p to the stream of (seed, stream). Distinct pairs give
// distinct PCG states: the high half is a bijection of seed, the low half a
// bijection of stream for a fixed seed.
func seedStream(p *rand.PCG, seed, stream uint64) {
	p.Seed(mix64(seed^0x9e3779b97f4a7c15), mix64(stream^(seed<<17|seed>>47)))
}

// catalogue is the item side of the world: item attributes, clusters and
// the alias tables the interaction sampler draws from.
type catalogue struct {
	numItems int

	clusterOf    []int32 // item -> cluster
	clusterCat   []int   // cluster -> primary category
	clusterOff   []int32 // cluster c's items are clusterItems[clusterOff[c]:clusterOff[c+1]]
	clusterItems []int32 // items grouped by cluster, in popularity-rank order
	clusterPick  []alias // per cluster: local index by popularity weight
	explore      alias   // cluster by base demand (exploration draws)
	favourite    [numGenders]alias
	creditItems  []int32
	creditPick   alias

	// Item columns, raw codes into the full level lists.
	provider     []int32
	providerType []int32
	catOffsets   []int32
	catCodes     []int32
	price        []int32
	credit       []bool
	providerName []string
}

// newCatalogue draws the items from the catalogue stream.
func newCatalogue(r *resolved) *catalogue {
	var pcg rand.PCG
	seedStream(&pcg, r.Seed, catalogueStream)
	rng := rand.New(&pcg)
	m, k := r.Items, r.clusters
	c := &catalogue{numItems: m}

	// Clusters: equal sizes (±1), placed at random; cluster j has primary
	// category j mod 12 and a lognormal base demand.
	c.clusterOf = make([]int32, m)
	for i := range c.clusterOf {
		c.clusterOf[i] = int32(i % k)
	}
	rng.Shuffle(m, func(i, j int) { c.clusterOf[i], c.clusterOf[j] = c.clusterOf[j], c.clusterOf[i] })
	c.clusterCat = make([]int, k)
	base := make([]float64, k)
	for j := range k {
		c.clusterCat[j] = j % numCategories
		base[j] = math.Exp(clusterSigma * rng.NormFloat64())
	}

	// Providers: a few large brands, many small independent vendors.
	nVendors := max(1, int(math.Round(float64(m)*(1-brandShare)/itemsPerVendor)))
	width := len(fmt.Sprint(nVendors))
	c.providerName = make([]string, 0, numBrands+nVendors)
	for b := range numBrands {
		c.providerName = append(c.providerName, fmt.Sprintf("brand-%02d", b+1))
	}
	for v := range nVendors {
		c.providerName = append(c.providerName, fmt.Sprintf("vendor-%0*d", width, v+1))
	}

	c.provider = make([]int32, m)
	c.providerType = make([]int32, m)
	c.price = make([]int32, m)
	c.credit = make([]bool, m)
	c.catOffsets = make([]int32, m+1)
	c.catCodes = make([]int32, 0, m*3/2)
	firstFinance, anyCredit := -1, false
	for i := range m {
		if rng.Float64() < brandShare {
			c.provider[i] = int32(rng.IntN(numBrands))
			c.providerType[i] = 0 // brand
		} else {
			c.provider[i] = int32(numBrands + rng.IntN(nVendors))
			c.providerType[i] = 1 // independent
		}
		primary := c.clusterCat[c.clusterOf[i]]
		cats := [3]int32{int32(primary)}
		n := 1
		if primary != catFinance {
			n = 1 + categorical(rng, categoryCountProbs)
			for j := 1; j < n; {
				x := int32(rng.IntN(numCategories))
				if x == catFinance || x == cats[0] || (j == 2 && x == cats[1]) {
					continue
				}
				cats[j] = x
				j++
			}
		}
		row := cats[:n]
		sortSmall(row)
		c.catCodes = append(c.catCodes, row...)
		c.catOffsets[i+1] = int32(len(c.catCodes))
		c.price[i] = int32(categorical(rng, priceProbs))
		if primary == catFinance {
			if firstFinance < 0 {
				firstFinance = i
			}
			if rng.Float64() < creditShare {
				c.credit[i], anyCredit = true, true
			}
		}
	}
	if !anyCredit { // every world has at least one credit offer
		c.credit[firstFinance] = true
	}

	// Popularity: within each cluster, a random rank order and Zipf weights
	// (rank+popOffset)^-popExponent; brand items are boosted.
	boost := 1 + r.Effects.BrandPopularity
	weight := func(item int32, rank int) float64 {
		w := math.Pow(float64(rank)+popOffset, -popExponent)
		if c.providerType[item] == 0 {
			w *= boost
		}
		return w
	}
	c.clusterOff = make([]int32, k+1)
	for _, j := range c.clusterOf {
		c.clusterOff[j+1]++
	}
	for j := range k {
		c.clusterOff[j+1] += c.clusterOff[j]
	}
	c.clusterItems = make([]int32, m)
	next := make([]int32, k)
	copy(next, c.clusterOff[:k])
	for i, j := range c.clusterOf {
		c.clusterItems[next[j]] = int32(i)
		next[j]++
	}
	itemWeight := make([]float64, m)
	c.clusterPick = make([]alias, k)
	for j := range k {
		items := c.clusterItems[c.clusterOff[j]:c.clusterOff[j+1]]
		rng.Shuffle(len(items), func(a, b int) { items[a], items[b] = items[b], items[a] })
		w := make([]float64, len(items))
		for rank, it := range items {
			w[rank] = weight(it, rank)
			itemWeight[it] = w[rank]
		}
		c.clusterPick[j] = newAlias(w)
	}

	// Favourite clusters by gender; exploration by base demand only.
	c.explore = newAlias(base)
	for g := range numGenders {
		w := make([]float64, k)
		for j := range k {
			w[j] = base[j] * math.Exp(r.Effects.CategoryTaste*tasteShift[g][c.clusterCat[j]])
		}
		c.favourite[g] = newAlias(w)
	}

	// Credit offers, weighted by the same popularity as in their cluster.
	var cw []float64
	for i, isCredit := range c.credit {
		if isCredit {
			c.creditItems = append(c.creditItems, int32(i))
			cw = append(cw, itemWeight[i])
		}
	}
	c.creditPick = newAlias(cw)
	return c
}

// clusterItem draws an item of cluster j by popularity.
func (c *catalogue) clusterItem(rng *rand.Rand, j int32) int32 {
	return c.clusterItems[c.clusterOff[j]+c.clusterPick[j].sample(rng)]
}

// sortSmall sorts a slice of at most 3 codes.
func sortSmall(s []int32) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
