package demo

// Fixed parameters of the generative model. Effects are in Config.Effects;
// everything here is the same in every world and is documented in doc.go.

const (
	activitySigma   = 1.0  // lognormal shape of per-user activity
	exploreRate     = 0.2  // share of draws from the whole catalogue instead of the user's favourites
	CreditBaseRate  = 0.02 // probability that a draw is a credit-offer draw, for users outside the propensity group
	brandShare      = 0.3  // share of items sold by large brands
	numBrands       = 8    // large brands
	itemsPerVendor  = 6    // mean items per independent vendor
	creditShare     = 0.3  // share of finance items that are high-cost credit
	popExponent     = 1.2  // Zipf exponent of popularity within a cluster
	popOffset       = 2.0  // Zipf offset: weight (rank+popOffset)^-popExponent
	clusterSigma    = 0.7  // lognormal spread of the clusters' base demand
	joinFraction    = 0.75 // users join uniformly in the first joinFraction of the span
	maxTriesPerSlot = 32   // redraws of a duplicate before falling back to a uniform item
)

// Levels of the categorical columns, sorted ascending, and their
// probabilities in the population.
var (
	genderLevels = []string{"F", "M", "X"}
	genderProbs  = []float64{0.51, 0.46, 0.03}

	ageLevels = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
	ageProbs  = [numAges]float64{0.14, 0.22, 0.21, 0.18, 0.14, 0.11}

	regionLevels = []string{"central", "east", "north", "south", "west"}
	regionProbs  = []float64{0.18, 0.22, 0.17, 0.25, 0.18}

	consentRate = 0.85

	categoryLevels = []string{
		"automotive", "beauty", "books", "electronics", "fashion", "finance",
		"garden", "grocery", "health", "home", "sports", "toys",
	}

	priceLevels = []string{"high", "low", "mid"}
	priceProbs  = []float64{0.20, 0.45, 0.35}

	providerTypeLevels = []string{"brand", "independent"}

	// extraCategoryProbs: probability that an item (outside finance) has
	// 1, 2 or 3 categories.
	categoryCountProbs = []float64{0.55, 0.35, 0.10}

	// favouriteProbs: probability that a user has 1, 2 or 3 favourite
	// clusters.
	favouriteProbs = []float64{0.4, 0.4, 0.2}
)

const (
	numAges       = 6
	numGenders    = 3
	numCategories = 12
	catFinance    = 5 // index of "finance" in categoryLevels
	ageYoungest   = 0 // "18-24": the credit-propensity group and activity reference
	ageOldest     = numAges - 1
)

// tasteShift[g][c] is the preference shift of gender g for category c,
// scaled by Effects.CategoryTaste. Finance is 0 for everyone so that credit
// engagement differs only through Effects.CreditPropensity.
var tasteShift = [numGenders][numCategories]float64{
	//  auto  beauty books  elec  fash   fin  garden groc  health home  sport toys
	{-1.00, 1.00, 0.25, -0.75, 1.00, 0, 0.00, 0.25, 0.50, 0.50, -0.50, 0.25},     // F
	{1.00, -1.00, -0.25, 0.75, -1.00, 0, 0.25, -0.25, -0.50, -0.25, 0.50, -0.25}, // M
	{-0.50, 0.25, 0.75, 0.25, 0.50, 0, -0.25, -0.25, 0.25, -0.25, -0.50, 0.00},   // X
}
