package gate_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets/demo"
)

type vals map[string]float64

func extract(r *audit.Result) vals {
	v := vals{}
	for _, s := range r.Systems {
		for _, tr := range s.Targeting {
			if tr.Attribute == "age_band" && tr.Cutoff == 10 && tr.Measure == "share" {
				v[s.Name+" creditratio"] = float64(tr.Ratio.Value)
				v[s.Name+" creditratioLo"] = float64(tr.Ratio.CI[0])
			}
		}
		for _, ea := range s.Provider {
			if ea.Cutoff == 10 {
				for _, eg := range ea.Groups {
					if eg.Group == "independent" {
						v[s.Name+" indep"] = float64(eg.Share.Value)
						v[s.Name+" indepHi"] = float64(eg.Share.CI[1])
						v[s.Name+" indep/cat"] = float64(eg.Share.Value / eg.Catalogue)
					}
				}
			}
		}
		for _, c := range s.Consumer.Comparisons {
			if c.Metric == "ndcg@10" {
				for _, d := range c.Disparities {
					v[s.Name+" ndcg "+c.Attribute+" "+d.Aggregator] = float64(d.Estimate)
					v[s.Name+" ndcg "+c.Attribute+" "+d.Aggregator+" q"] = float64(d.Test.Q)
				}
				if c.Attribute == "age_band" {
					for _, g := range c.Groups {
						if g.Group == "65+" {
							v[s.Name+" ndcg65"] = float64(g.Value)
							v[s.Name+" ndcg65Hi"] = float64(g.CI[1])
						}
					}
				}
			}
		}
	}
	return v
}

func TestCalibScratch(t *testing.T) {
	if os.Getenv("CALIB") == "" {
		t.Skip()
	}
	users := 3000
	fmt.Sscan(os.Getenv("CALIB_USERS"), &users)
	keys := []string{"creditratio", "creditratioLo", "indep", "indepHi", "indep/cat", "ndcg gender max-min-diff", "ndcg gender max-min-diff q", "ndcg age_band min-max-ratio", "ndcg65", "ndcg65Hi"}
	for seed := uint64(1); seed <= 8; seed++ {
		cfg := demo.Config{Users: users, Items: users / 5, Interactions: users * 30, Seed: seed, Effects: demo.DefaultEffects()}
		base := extract(demoAudit(t, cfg, 100+seed, []string{"popular", "itemknn", "ease"}, 200))
		cur := extract(demoAudit(t, cfg, 200+seed, []string{"popular", "itemknn", "ease"}, 200))
		cfg.Effects.BrandPopularity *= 2
		dbl := extract(demoAudit(t, cfg, 200+seed, []string{"popular", "itemknn", "ease"}, 200))
		cfg.Effects.BrandPopularity /= 2
		cfg.Effects.CreditPropensity *= 2
		cdbl := extract(demoAudit(t, cfg, 200+seed, []string{"popular", "itemknn", "ease"}, 200))
		for _, sys := range []string{"popular", "itemknn", "ease"} {
			line := fmt.Sprintf("s%d %-8s", seed, sys)
			for _, k := range keys {
				b, c, d, cd := base[sys+" "+k], cur[sys+" "+k], dbl[sys+" "+k], cdbl[sys+" "+k]
				_ = math.NaN
				line += fmt.Sprintf(" | %s b%.3f c%+.3f B%+.3f C%+.3f", k, b, c-b, d-b, cd-b)
			}
			t.Log(line)
		}
	}
}
