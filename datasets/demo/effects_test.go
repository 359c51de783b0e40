package demo_test

import (
	"math"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
)

// moderate is large enough for the group differences to be measured to a
// few percent, and still generates in well under a second.
func moderate(e demo.Effects) demo.Config {
	return demo.Config{Users: 20_000, Items: 2000, Interactions: 600_000, Seed: 11, Effects: e}
}

// Tolerances. Each is about 4 standard errors of its statistic at the
// moderate size (and was checked against seeds 1..8, whose spread matched):
//
//   - age ratio: a user's count has coefficient of variation about 1.3
//     (lognormal σ = 1: sqrt(e−1) = 1.31), the 65+ band has about 2,200
//     users and 18-24 about 2,800, so the ratio of band means has a
//     relative standard error of about 1.3·sqrt(1/2200 + 1/2800) = 3.7%:
//     0.019 at a ratio of 0.5, 0.037 at a ratio of 1;
//   - brand ratio: item degrees have a coefficient of variation near 1,
//     with about 600 brand and 1,400 independent items: relative standard
//     error sqrt(1/600 + 1/1400) = 4.9%;
//   - credit ratio: seeds 1..8 in the null world spread with standard
//     deviation 0.025 (credit clicks cluster in the users who favour a
//     finance cluster, so this is wider than the Poisson 1.8%);
//   - gender AUC: its null standard error is
//     sqrt((nF+nM+1)/(12·nF·nM)) = 0.0042 for nF = 10,200, nM = 9,200.
const (
	tolAgeDefault = 0.08
	tolAgeNull    = 0.15
	tolBrandNull  = 0.2
	tolCreditNull = 0.12
	tolAUCNull    = 0.02
)

func TestPlantedEffects(t *testing.T) {
	e := demo.DefaultEffects()
	cfg := moderate(e)
	d := generate(t, cfg)
	s := measureGroups(d)
	t.Logf("default effects: %+v", s)

	if got, want := float64(d.Interactions.NNZ()), float64(cfg.Interactions); math.Abs(got/want-1) > 0.03 {
		t.Errorf("%v interactions, want %v ±3%% (Config.Interactions)", got, want)
	}
	// Band b's mean is 1 − AgeActivity·b/5 times the youngest band's
	// (Effects.AgeActivity doc); the 65+ band is b = 5.
	for b, mean := range s.BandMean {
		want := 1 - e.AgeActivity*float64(b)/5
		if got := mean / s.BandMean[0]; math.Abs(got-want) > tolAgeDefault {
			t.Errorf("age band %d: mean activity ratio %.3f, want %.3f ± %v", b, got, want, tolAgeDefault)
		}
	}
	// Brand items are 1+BrandPopularity = 3 times as likely within their
	// cluster; as they are 30% of each cluster, the per-item ratio of
	// interactions is smaller: seeds 1..8 gave 1.98 to 2.29.
	if s.BrandRatio < 1.5 {
		t.Errorf("brand/independent interactions per item = %.3f, want > 1.5", s.BrandRatio)
	}
	// 18-24 draws credit offers at 6% per draw, everyone else at 2%, on
	// top of about 3% reached through finance favourites: seed 1 gives
	// 1.73 (with a base rate of 1%, seeds 1..8 gave 1.46 to 1.95).
	if s.CreditRatio < 1.3 {
		t.Errorf("credit rate 18-24 / others = %.3f, want > 1.3", s.CreditRatio)
	}
	// Category tastes make gender predictable: seeds 1..8 gave AUC 0.72 to
	// 0.84.
	if s.GenderAUC < 0.65 {
		t.Errorf("gender AUC from category shares = %.3f, want > 0.65", s.GenderAUC)
	}
}

func TestNullWorld(t *testing.T) {
	s := measureGroups(generate(t, moderate(demo.Effects{})))
	t.Logf("null world: %+v", s)
	for b, mean := range s.BandMean {
		if got := mean / s.BandMean[0]; math.Abs(got-1) > tolAgeNull {
			t.Errorf("age band %d: mean activity ratio %.3f, want 1 ± %v", b, got, tolAgeNull)
		}
	}
	if math.Abs(s.BrandRatio-1) > tolBrandNull {
		t.Errorf("brand/independent interactions per item = %.3f, want 1 ± %v", s.BrandRatio, tolBrandNull)
	}
	if math.Abs(s.CreditRatio-1) > tolCreditNull {
		t.Errorf("credit rate 18-24 / others = %.3f, want 1 ± %v", s.CreditRatio, tolCreditNull)
	}
	if math.Abs(s.GenderAUC-0.5) > tolAUCNull {
		t.Errorf("gender AUC from category shares = %.3f, want 0.5 ± %v", s.GenderAUC, tolAUCNull)
	}
}

// TestLearnable checks that there is user-level structure to learn: a
// plain cosine item-kNN must beat most-popular by a clear margin on a
// held-out item per user, in both worlds.
func TestLearnable(t *testing.T) {
	for _, e := range []demo.Effects{demo.DefaultEffects(), {}} {
		d := generate(t, demo.Config{Users: 3000, Items: 1000, Interactions: 90_000, Seed: 3, Effects: e})
		pop, knn := hitRates(&d.Interactions, 10)
		t.Logf("effects %+v: HR@10 most-popular %.3f, item-kNN %.3f", e, pop, knn)
		if knn < 2*pop {
			t.Errorf("effects %+v: item-kNN HR@10 %.3f is not at least twice most-popular's %.3f", e, knn, pop)
		}
	}
}
