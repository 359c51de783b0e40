package gate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets/demo"
	libgate "github.com/recaudit/recaudit/gate"
)

// demoPolicy is the example policy for the demo shop.
var demoPolicy = filepath.Join("..", "..", "..", "examples", "policy", "demo.yaml")

// TestDemoPolicy is the end-to-end test of the gate on the demo shop: a
// small demo world (4000 users, 800 items, about 120 000 interactions,
// seed 1, the default planted effects) is audited the way the library's
// audit tests do it, with the systems popular, item-kNN and EASE, and
// gated by examples/policy/demo.yaml through the command line.
//
//   - The audit passes the policy on its own (change rules skipped), and
//     against a baseline audit of the same world with another split (the
//     "main branch" of a CI run: the same system, another sample).
//   - The same audit with the brand popularity skew doubled
//     (demo.Effects.BrandPopularity 2 → 4) fails against that baseline
//     with exit status 1, and the failure names the rule
//     independent-vendor-exposure-no-drop: independent vendors lose 0.11
//     to 0.17 of their exposure share (more than the 0.05 allowed, with
//     intervals about ±0.005).
//
// Robustness was checked on worlds 1 to 8 at this size: the default audit
// passed in all 8 (alone and against the baseline; the change of the
// independent share between the two splits stayed within 0.03 of the
// allowed 0.05), and the doubled skew failed the same rule in all 8 (drops
// 0.07 to 0.34, every system).
func TestDemoPolicy(t *testing.T) {
	dir := t.TempDir()
	systems := []string{"popular", "itemknn", "ease"}
	cfg := demo.Config{Users: 4000, Items: 800, Interactions: 120_000, Seed: 1, Effects: demo.DefaultEffects()}
	paths := map[string]string{}
	save := func(name string, r *audit.Result) {
		paths[name] = filepath.Join(dir, name+".json")
		if err := audit.WriteFile(paths[name], r); err != nil {
			t.Fatal(err)
		}
	}
	save("baseline", demoAudit(t, cfg, 101, systems, 200))
	save("current", demoAudit(t, cfg, 201, systems, 200))
	cfg.Effects.BrandPopularity *= 2
	save("doubled", demoAudit(t, cfg, 201, systems, 200))

	code, _, errOut := run(t, "2026-05-04", "--policy", demoPolicy, paths["current"])
	if code != 0 || !strings.HasPrefix(errOut, "recaudit gate passed: 7 rules: 4 pass, 3 skipped\n") {
		t.Errorf("demo audit alone: exit %d\n%s", code, errOut)
	}
	code, _, errOut = run(t, "2026-05-04", "--policy", demoPolicy, paths["current"], "--baseline", paths["baseline"])
	if code != 0 || !strings.HasPrefix(errOut, "recaudit gate passed: 7 rules: 7 pass\n") {
		t.Errorf("demo audit against the baseline: exit %d\n%s", code, errOut)
	}
	code, _, errOut = run(t, "2026-05-04", "--policy", demoPolicy, paths["doubled"], "--baseline", paths["baseline"])
	if code != 1 || !strings.HasSuffix(errOut, "recaudit: policy violated: 1 of 7 rules failed: independent-vendor-exposure-no-drop\n") {
		t.Errorf("doubled brand popularity against the baseline: exit %d\n%s", code, errOut)
	}
	for _, sys := range systems {
		found := false
		for _, line := range strings.Split(errOut, "\n") {
			f := strings.Join(strings.Fields(line), " ")
			found = found || strings.HasPrefix(f, "fail "+sys+" exposure share of provider_type=independent at 10 fell by ")
		}
		if !found {
			t.Errorf("%s's drop not reported as failing:\n%s", sys, errOut)
		}
	}
}

// TestDemoPolicySeeds repeats TestDemoPolicy's check on demo worlds 1 to 8
// (world seed s, baseline split 100+s, current split 200+s), so that the
// example policy's verdicts are known not to hang on one lucky world: the
// default audit must pass alone and against the baseline, and the doubled
// brand popularity must fail the rule independent-vendor-exposure-no-drop
// for every system. It takes about a minute on two cores, so it runs only
// with RECAUDIT_GATE_SEEDS=1:
//
//	RECAUDIT_GATE_SEEDS=1 go test ./internal/cli/gate -run TestDemoPolicySeeds -v
//
// Result (this machine): passed on all 8 worlds; the closest calls were
// the 65+ group's NDCG@10 on item-kNN (fell by 0.023 between the two
// splits, allowed 0.02 beyond an interval of about ±0.025) and EASE's
// independent catalogue ratio 0.37 (floor 0.3).
func TestDemoPolicySeeds(t *testing.T) {
	if os.Getenv("RECAUDIT_GATE_SEEDS") != "1" {
		t.Skip("set RECAUDIT_GATE_SEEDS=1 to run the example policy on 8 demo worlds")
	}
	p, err := libgate.ReadPolicy(demoPolicy)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC) }
	systems := []string{"popular", "itemknn", "ease"}
	for seed := uint64(1); seed <= 8; seed++ {
		cfg := demo.Config{Users: 4000, Items: 800, Interactions: 120_000, Seed: seed, Effects: demo.DefaultEffects()}
		base := demoAudit(t, cfg, 100+seed, systems, 200)
		cur := demoAudit(t, cfg, 200+seed, systems, 200)
		cfg.Effects.BrandPopularity *= 2
		dbl := demoAudit(t, cfg, 200+seed, systems, 200)
		for _, c := range []struct {
			name string
			r, b *audit.Result
			pass bool
		}{{"alone", cur, nil, true}, {"against the baseline", cur, base, true}, {"doubled brand popularity", dbl, base, false}} {
			rep, err := libgate.Evaluate(p, c.r, libgate.Options{Baseline: c.b, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("world %d, %s: %s", seed, c.name, rep.Verdict())
			if rep.Passed() != c.pass {
				t.Errorf("world %d, %s: %s", seed, c.name, rep.Verdict())
			}
			if !c.pass {
				for _, rr := range rep.Rules {
					if rr.Rule.ID == "independent-vendor-exposure-no-drop" && rr.Status != libgate.Fail {
						t.Errorf("world %d: %s %v: %s", seed, rr.Rule.ID, rr.Status, rr.Message)
					}
				}
			}
		}
	}
}
