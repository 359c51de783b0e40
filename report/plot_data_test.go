package report_test

import (
	"math"

	"github.com/recaudit/recaudit/report"
)

// Illustrative audit results used by the examples and the golden charts.
// They are invented, of realistic size and shape (three systems, six age
// bands with the oldest below the minimum group size, two provider
// groups, a 50-item catalogue); no real system or person is described.

var nan = math.NaN()

// est returns a GroupEstimate with a symmetric interval value ± half.
func est(group string, value, half float64, n int, sig bool) report.GroupEstimate {
	return report.GroupEstimate{Group: group, Value: value, Lo: value - half, Hi: value + half, N: n, Significant: sig}
}

// suppressed returns a suppressed GroupEstimate; its numbers must never
// appear in a chart.
func suppressed(group string) report.GroupEstimate {
	return report.GroupEstimate{Group: group, Value: 0.99, Lo: 0.98, Hi: 1, N: 7, Suppressed: true}
}

// ndcgByAge is NDCG@10 per age band for three systems.
func ndcgByAge() report.GroupMetric {
	return report.GroupMetric{
		Metric:       "NDCG@10",
		Attribute:    "age band",
		Level:        0.95,
		Significance: "BH q < 0.05",
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.219, Groups: []report.GroupEstimate{
				est("18–24", 0.212, 0.021, 412, false), est("25–34", 0.236, 0.012, 1288, false),
				est("35–44", 0.228, 0.014, 964, false), est("45–54", 0.204, 0.019, 517, false),
				est("55–64", 0.163, 0.028, 203, true), suppressed("65+"),
			}},
			{System: "item-kNN", Overall: 0.291, Groups: []report.GroupEstimate{
				est("18–24", 0.297, 0.024, 412, false), est("25–34", 0.311, 0.013, 1288, false),
				est("35–44", 0.301, 0.015, 964, false), est("45–54", 0.268, 0.021, 517, false),
				est("55–64", 0.214, 0.031, 203, true), suppressed("65+"),
			}},
			{System: "ALS", Overall: 0.327, Groups: []report.GroupEstimate{
				est("18–24", 0.339, 0.025, 412, false), est("25–34", 0.352, 0.013, 1288, true),
				est("35–44", 0.336, 0.016, 964, false), est("45–54", 0.301, 0.022, 517, false),
				est("55–64", 0.237, 0.032, 203, true), suppressed("65+"),
			}},
		},
	}
}

// calibrationByTaste is miscalibration C_KL (nats) per user group defined
// by taste for popular items (Abdollahpouri et al., RecSys 2020).
func calibrationByTaste() report.GroupMetric {
	return report.GroupMetric{
		Attribute:    "user taste",
		Level:        0.95,
		Significance: "BH q < 0.05",
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.571, Groups: []report.GroupEstimate{
				est("niche", 0.914, 0.048, 611, true), est("diverse", 0.602, 0.027, 1874, false),
				est("blockbuster", 0.377, 0.031, 897, true),
			}},
			{System: "item-kNN", Overall: 0.412, Groups: []report.GroupEstimate{
				est("niche", 0.547, 0.041, 611, true), est("diverse", 0.409, 0.022, 1874, false),
				est("blockbuster", 0.326, 0.028, 897, true),
			}},
			{System: "ALS", Overall: 0.448, Groups: []report.GroupEstimate{
				est("niche", 0.631, 0.045, 611, true), est("diverse", 0.437, 0.024, 1874, false),
				est("blockbuster", 0.309, 0.027, 897, true),
			}},
		},
	}
}

// creditByAge is the share of users in each age band shown at least one
// high-cost credit offer in their top 10.
func creditByAge() report.GroupMetric {
	return report.GroupMetric{
		Metric:       "users shown high-cost credit in top 10",
		Attribute:    "age band",
		Level:        0.95,
		Significance: "BH q < 0.05",
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.143, Groups: []report.GroupEstimate{
				est("18–24", 0.231, 0.041, 412, true), est("25–34", 0.158, 0.020, 1288, false),
				est("35–44", 0.129, 0.021, 964, false), est("45–54", 0.112, 0.027, 517, false),
				est("55–64", 0.094, 0.040, 203, true), suppressed("65+"),
			}},
			{System: "item-kNN", Overall: 0.098, Groups: []report.GroupEstimate{
				est("18–24", 0.121, 0.032, 412, false), est("25–34", 0.104, 0.017, 1288, false),
				est("35–44", 0.093, 0.018, 964, false), est("45–54", 0.087, 0.024, 517, false),
				est("55–64", 0.079, 0.037, 203, false), suppressed("65+"),
			}},
			{System: "ALS", Overall: 0.117, Groups: []report.GroupEstimate{
				est("18–24", 0.178, 0.037, 412, true), est("25–34", 0.126, 0.018, 1288, false),
				est("35–44", 0.106, 0.019, 964, false), est("45–54", 0.092, 0.025, 517, false),
				est("55–64", 0.061, 0.033, 203, true), suppressed("65+"),
			}},
		},
	}
}

// share returns a ShareEstimate of realised share value ± half against
// target.
func share(group string, value, half, target float64, n int, sig bool) report.ShareEstimate {
	return report.ShareEstimate{GroupEstimate: est(group, value, half, n, sig), Target: target}
}

// providerShares is the exposure share of large and small providers (35%
// and 65% of the 50-item catalogue) under three systems.
func providerShares() report.ExposureShares {
	return report.ExposureShares{
		Attribute:    "provider size",
		Target:       "share of catalogue",
		Level:        0.95,
		Significance: "BH q < 0.05",
		Systems: []report.SystemShares{
			{System: "popularity", Groups: []report.ShareEstimate{
				share("large providers", 0.824, 0.031, 0.35, 18, true),
				share("small providers", 0.176, 0.031, 0.65, 32, true),
			}},
			{System: "item-kNN", Groups: []report.ShareEstimate{
				share("large providers", 0.412, 0.081, 0.35, 18, false),
				share("small providers", 0.588, 0.081, 0.65, 32, false),
			}},
			{System: "ALS", Groups: []report.ShareEstimate{
				share("large providers", 0.706, 0.044, 0.35, 18, true),
				share("small providers", 0.294, 0.044, 0.65, 32, true),
			}},
		},
	}
}

// itemExposure returns the exposure of a 50-item catalogue that falls
// off as a power law with exponent a over the first shown items and is 0
// for the rest: exposure(i) = 100 / i^a for i = 1..shown.
func itemExposure(a float64, shown int) []float64 {
	x := make([]float64, 50)
	for i := range shown {
		x[i] = 100 / math.Pow(float64(i+1), a)
	}
	return x
}

// catalogueExposure is the item exposure of three systems over a 50-item
// catalogue.
func catalogueExposure() report.Lorenz {
	return report.Lorenz{Systems: []report.ItemExposure{
		{System: "popularity", Exposure: itemExposure(1.2, 30)},
		{System: "item-kNN", Exposure: itemExposure(0.5, 50)},
		{System: "ALS", Exposure: itemExposure(0.8, 45)},
	}}
}

// tradeOff is NDCG@10 against its max−min gap across age bands for five
// systems.
func tradeOff() report.TradeOff {
	return report.TradeOff{
		Accuracy:  "NDCG@10",
		Disparity: "NDCG@10 gap, max − min",
		Level:     0.95,
		Systems: []report.SystemPoint{
			{System: "popularity", Accuracy: 0.219, AccuracyLo: 0.209, AccuracyHi: 0.229, Disparity: 0.073, DisparityLo: 0.041, DisparityHi: 0.104},
			{System: "item-kNN", Accuracy: 0.291, AccuracyLo: 0.280, AccuracyHi: 0.302, Disparity: 0.097, DisparityLo: 0.062, DisparityHi: 0.131},
			{System: "ALS", Accuracy: 0.327, AccuracyLo: 0.315, AccuracyHi: 0.339, Disparity: 0.115, DisparityLo: 0.078, DisparityHi: 0.151},
			{System: "ALS + re-rank", Accuracy: 0.309, AccuracyLo: 0.297, AccuracyHi: 0.321, Disparity: 0.048, DisparityLo: 0.019, DisparityHi: 0.079},
			{System: "random", Accuracy: 0.021, AccuracyLo: 0.018, AccuracyHi: 0.024, Disparity: 0.006, DisparityLo: 0.001, DisparityHi: 0.012},
		},
	}
}

// smallProviderShareByRank is the share of small-provider items at each
// rank 1..10, over all users' lists, for three systems.
func smallProviderShareByRank() report.RankProfile {
	return report.RankProfile{
		Title:    "Small providers by rank position",
		Quantity: "lists with a small-provider item at the rank",
		Percent:  true,
		Series: []report.RankSeries{
			{Name: "popularity", Values: []float64{0.02, 0.03, 0.05, 0.08, 0.11, 0.15, 0.19, 0.22, 0.26, 0.29}},
			{Name: "item-kNN", Values: []float64{0.41, 0.47, 0.52, 0.55, 0.58, 0.61, 0.62, 0.64, 0.66, 0.67}},
			{Name: "ALS", Values: []float64{0.12, 0.16, 0.21, 0.25, 0.28, 0.31, 0.34, 0.37, 0.39, 0.41}},
		},
	}
}

// gapsByRegion exercises every kind of gap of GroupChart: a group
// suppressed in all systems (one shaded gap), an undefined value in one
// system, a group one system lacks, and an estimate without interval.
func gapsByRegion() report.GroupMetric {
	return report.GroupMetric{
		Metric:       "recall@20",
		Attribute:    "region",
		Level:        0.9,
		MinGroupSize: 20,
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.18, Groups: []report.GroupEstimate{
				est("north", 0.19, 0.02, 733, false), est("south", 0.16, 0.03, 402, true),
				{Group: "east", Value: nan, Lo: nan, Hi: nan, N: 51},
				suppressed("islands"), est("west", 0.2, 0.02, 388, false),
			}},
			{System: "ALS", Overall: nan, Groups: []report.GroupEstimate{
				est("north", 0.27, 0.02, 733, false), est("south", 0.22, 0.03, 402, true),
				{Group: "east", Value: 0.25, Lo: nan, Hi: nan, N: 51},
				suppressed("islands"),
			}},
		},
	}
}

// gapsByRank has a rank with no value in the middle of a series and a
// shorter series.
func gapsByRank() report.RankProfile {
	return report.RankProfile{
		Quantity: "mean exposure",
		Unit:     "1/log2(rank+1)",
		Series: []report.RankSeries{
			{Name: "large providers", Values: []float64{0.91, 0.52, 0.40, 0.33, 0.29, 0.26, 0.24, 0.22}},
			{Name: "small providers", Values: []float64{0.09, 0.11, nan, 0.10, 0.09, 0.08}},
		},
	}
}
