package probe_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/recaudit/recaudit/internal/buildtest"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

var (
	demoOnce sync.Once
	demoData *datasets.Dataset
	demoErr  error
)

// smallDemo returns a small demo shop (1500 users, 300 items), generated
// once per test binary.
func smallDemo(t *testing.T) *datasets.Dataset {
	t.Helper()
	demoOnce.Do(func() {
		cfg := demo.Config{Users: 1500, Items: 300, Interactions: 30_000, Seed: 1, Effects: demo.DefaultEffects()}
		demoData, demoErr = demo.Generate(context.Background(), cfg)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoData
}

// exampleCommand builds examples/exec-ignores-consent once per test binary.
func exampleCommand(t *testing.T) string {
	return buildtest.Program(t, "../examples/exec-ignores-consent")
}

func TestMain(m *testing.M) {
	code := m.Run()
	buildtest.Cleanup()
	os.Exit(code)
}

// probeConfig is the probe's configuration in these tests, freshly seeded.
func probeConfig() probe.Consent {
	return probe.Consent{K: 10, Cutoffs: []int{5, 10}, B: 200, Permutations: 2000, Src: rand.NewPCG(1, 2)}
}

func trainView(d *datasets.Dataset) *recommenders.TrainView {
	return &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
}

// TestRerunBuiltinsPass: built-in algorithms run by recaudit serve the
// fallback to non-consenting users, and pass cleanly under every
// perturbation, the drift of the popular fallback included.
func TestRerunBuiltinsPass(t *testing.T) {
	d := smallDemo(t)
	consent := d.Consent()
	reg := all.Default()
	for _, name := range []string{"popular", "itemknn", "ease"} {
		rec, err := reg.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := probeConfig().Rerun(context.Background(), probe.Managed(rec, consent), trainView(d), consent)
		if err != nil {
			t.Fatal(err)
		}
		if res.Flagged || res.NonConsenting < 150 {
			t.Errorf("%s: flagged %v with %d non-consenting users", name, res.Flagged, res.NonConsenting)
		}
		for _, p := range res.Perturbations {
			for _, c := range p.Cutoffs {
				if c.Violating != 0 || c.Probed != res.NonConsenting {
					t.Errorf("%s, %s@%d: %d of %d probed users violate", name, p.Perturbation, c.K, c.Violating, c.Probed)
				}
			}
		}
		t.Logf("%s: %d non-consenting users, no violation; drop@10 moved the fallback by 1 − RBO = %.3f",
			name, res.NonConsenting, float64(res.Perturbations[0].Cutoffs[1].FallbackRBOChange))
	}
}

// TestRerunDirectCaught: itemknn asked for every user ignores consent, and
// the probe catches nearly every non-consenting user.
func TestRerunDirectCaught(t *testing.T) {
	d := smallDemo(t)
	consent := d.Consent()
	rec, err := all.Default().New("itemknn", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := probeConfig().Rerun(context.Background(), probe.Direct(rec, consent), trainView(d), consent)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Flagged {
		t.Fatal("itemknn asked for every user is not flagged")
	}
	for _, p := range res.Perturbations {
		c := p.Cutoffs[1]
		if c.Share.Value < 0.95 || !(c.RBOChange.Value > 0.3) {
			t.Errorf("%s@10: share %.3f, mean 1 − RBO %.3f; want nearly every user, clearly moved", p.Perturbation, c.Share.Value, c.RBOChange.Value)
		}
	}
}

// ignored is the rule of examples/exec-ignores-consent: the first 8 bytes
// of SHA-256 of the ID as text, big-endian, as a fraction of 2^64, below
// the share.
func ignored(id string, share float64) bool {
	sum := sha256.Sum256([]byte(id))
	return float64(binary.BigEndian.Uint64(sum[:8]))/math.Exp2(64) < share
}

// TestRerunExecIgnoresConsent: the example system that ignores the refusal
// of 30% of the non-consenting users is caught, with a measured share
// near the true one; with -ignore 0 it passes.
func TestRerunExecIgnoresConsent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs an external program")
	}
	d := smallDemo(t)
	consent := d.Consent()
	const share = 0.3
	truth, non := 0, 0
	for u, ok := range consent {
		if !ok {
			non++
			if ignored(d.Users.String(int32(u)), share) {
				truth++
			}
		}
	}
	trueShare := float64(truth) / float64(non)
	// The hash spreads the IDs evenly: the true share is a binomial draw
	// around 0.3 (standard deviation about 0.03 for ~220 users).
	if math.Abs(trueShare-share) > 0.1 {
		t.Fatalf("the example's rule ignores %d of %d non-consenting users (%.3f), far from %v", truth, non, trueShare, share)
	}
	for _, ignore := range []string{"0.3", "0"} {
		e := &recommenders.Exec{
			Command: []string{exampleCommand(t), "-train", "{train}", "-users", "{users}", "-k", "{k}", "-out", "{out}", "-ignore", ignore},
			Timeout: time.Minute,
		}
		e.SetIDs(d.Users, d.Items)
		res, err := probeConfig().Rerun(context.Background(), probe.Direct(e, consent), trainView(d), consent)
		if err != nil {
			t.Fatal(err)
		}
		if ignore == "0" {
			if res.Flagged {
				t.Errorf("-ignore 0 is flagged: %+v", res.Perturbations)
			}
			continue
		}
		if !res.Flagged {
			t.Error("-ignore 0.3 is not flagged")
		}
		for _, p := range res.Perturbations {
			for _, c := range p.Cutoffs {
				lo, hi := float64(c.Share.CI[0]), float64(c.Share.CI[1])
				t.Logf("%s@%d: measured %d of %d = %.3f [%.3f, %.3f]; true %d of %d = %.3f",
					p.Perturbation, c.K, c.Violating, c.Probed, c.Share.Value, lo, hi, truth, non, trueShare)
				// The measured share is a lower bound (a personalised list
				// may not move), close to the truth when lists move.
				if trueShare < lo || trueShare > hi || c.Violating > truth || float64(c.Share.Value) < trueShare-0.03 {
					t.Errorf("%s@%d: measured share %.3f [%.3f, %.3f], true %.3f", p.Perturbation, c.K, c.Share.Value, lo, hi, trueShare)
				}
			}
		}
	}
}

// TestListsFile: a file of itemknn lists for everyone (no fallback) is
// flagged; the file recaudit writes with the fallback is not.
func TestListsFile(t *testing.T) {
	d := smallDemo(t)
	consent := d.Consent()
	ctx := context.Background()
	reg := all.Default()
	users := make([]int32, d.Users.Len())
	for u := range users {
		users[u] = int32(u)
	}
	rec, err := reg.New("itemknn", nil)
	if err != nil {
		t.Fatal(err)
	}
	view := trainView(d)
	if err := rec.Fit(ctx, view); err != nil {
		t.Fatal(err)
	}
	everyone, err := rec.Recommend(ctx, users, 10)
	if err != nil {
		t.Fatal(err)
	}
	honoured, _, err := recommenders.Run(ctx, rec, view, users, consent, 10)
	if err != nil {
		t.Fatal(err)
	}

	bad := probeConfig().Lists(&everyone, &d.Interactions, consent)
	c := bad.ByCutoff[1]
	t.Logf("no fallback @10: share %.3f [%.3f, %.3f]; overlap %.3f vs %.3f (p %.4f); distance from popular %.3f vs %.3f (p %.4f)",
		c.Share.Value, c.Share.CI[0], c.Share.CI[1], c.Overlap.NonConsenting, c.Overlap.Consenting, c.Overlap.Test.P,
		c.PopularDistance.NonConsenting, c.PopularDistance.Consenting, c.PopularDistance.Test.P)
	if !bad.Flagged || c.Share.Value < 0.95 || c.Overlap.Test.P < 0.05 {
		t.Errorf("itemknn for everyone: flagged %v, share %.3f, overlap p %.3f; want flagged, nearly 1, no difference from the consenting users",
			bad.Flagged, c.Share.Value, c.Overlap.Test.P)
	}

	good := probeConfig().Lists(&honoured, &d.Interactions, consent)
	c = good.ByCutoff[1]
	t.Logf("fallback @10: share %.3f [%.3f, %.3f]; overlap %.3f vs %.3f (p %.4f); distance from popular %.3f vs %.3f (p %.4f)",
		c.Share.Value, c.Share.CI[0], c.Share.CI[1], c.Overlap.NonConsenting, c.Overlap.Consenting, c.Overlap.Test.P,
		c.PopularDistance.NonConsenting, c.PopularDistance.Consenting, c.PopularDistance.Test.P)
	if good.Flagged || c.Personalised != 0 || c.CommonRBO != 1 || c.Overlap.NonConsenting != 1 || c.PopularDistance.NonConsenting != 0 {
		t.Errorf("recaudit's lists: flagged %v, %d personalised, common list RBO with popular %v, overlap %v, distance %v",
			good.Flagged, c.Personalised, c.CommonRBO, c.Overlap.NonConsenting, c.PopularDistance.NonConsenting)
	}
	if !(c.Overlap.Test.P < 0.01 && c.PopularDistance.Test.P < 0.01) {
		t.Errorf("the non-consenting users' lists do not stand out: p %v, %v", c.Overlap.Test.P, c.PopularDistance.Test.P)
	}
}
