package probe_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/probe"
)

// TestInferenceShuffledT checks the shuffled-t p-value: on the planted
// demo world it finds the gender leak with 9 shuffles, where the
// permutation p-value cannot go below 1/10; its statistic follows from
// the recorded AUC and shuffled mean and standard deviation; and in the
// null world it finds no leak.
func TestInferenceShuffledT(t *testing.T) {
	const tol = 1e-12
	d, in := demoInput(t, false)
	cfg := probe.Inference{Folds: 2, Shuffles: 9, PValue: probe.ShuffledTPValue, Src: rand.NewPCG(1, 1)}
	res, err := cfg.Run(context.Background(), in, []probe.InferenceTarget{target(t, d, "gender")})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Attributes[0]
	if res.Settings.PValue != "shuffled-t" || g.Test.Method != "shuffled-t" || g.Test.DF != 8 || g.Test.Resamples != 9 {
		t.Errorf("settings %q, test %+v; want shuffled-t with 8 degrees of freedom over 9 shuffles", res.Settings.PValue, g.Test)
	}
	// t = (AUC − m)/(s·√(1 + 1/n)), the definition.
	want := (float64(g.AUC.Value) - float64(g.Shuffled.Mean)) / (float64(g.Shuffled.SD) * math.Sqrt(1+1.0/9))
	if math.Abs(float64(g.Test.Statistic)-want) > tol {
		t.Errorf("t = %v, want %v", g.Test.Statistic, want)
	}
	// About 0.13 above the shuffled mean, five shuffled standard
	// deviations at this size: p far below the permutation floor 1/10.
	if g.Verdict != probe.InferenceLeaks || !(g.Test.P < 0.005) {
		t.Errorf("gender: verdict %v, p %v; want leaks with p < 0.005 (AUC %v, shuffled %v ± %v)", g.Verdict, g.Test.P, g.AUC.Value, g.Shuffled.Mean, g.Shuffled.SD)
	}
	perm := cfg
	perm.PValue, perm.Src = probe.PermutationPValue, rand.NewPCG(1, 1)
	pres, err := perm.Run(context.Background(), in, []probe.InferenceTarget{target(t, d, "gender")})
	if err != nil {
		t.Fatal(err)
	}
	// The same fits: the same AUC and shuffles, another p-value.
	pg := pres.Attributes[0]
	if pg.AUC != g.AUC || pg.Shuffled != g.Shuffled || pg.Test.P != 0.1 || pg.Verdict != probe.InferenceNoEvidence {
		t.Errorf("permutation: AUC %v shuffled %v p %v verdict %v; want the same AUCs, p = 1/10 and no evidence", pg.AUC, pg.Shuffled, pg.Test.P, pg.Verdict)
	}

	nd, nin := demoInput(t, true)
	nres, err := cfg.Run(context.Background(), nin, []probe.InferenceTarget{target(t, nd, "gender")})
	if err != nil {
		t.Fatal(err)
	}
	if n := nres.Attributes[0]; n.Verdict != probe.InferenceNoEvidence || n.Test.P < 0.01 {
		t.Errorf("null world: verdict %v, p %v; want no evidence", n.Verdict, n.Test.P)
	}
}

// TestShuffledTValue checks the p-value against a hand computation: AUC
// 0.6 against 9 shuffles with mean 0.5 and standard deviation 0.02 gives
// t = 0.1/(0.02·√(10/9)) = 4.7434 and P(T_8 ≥ t) = 0.00072877 (Simpson
// integration of the t_8 density in Python, 2·10⁶ steps).
func TestShuffledTValue(t *testing.T) {
	const tol = 1e-7
	p := probe.ShuffledTP(0.6, 0.5, 0.02, 9)
	if math.Abs(p-0.0007287676597971859) > tol {
		t.Errorf("p = %v, want 0.00072877", p)
	}
	for _, tc := range []struct {
		name       string
		auc, m, sd float64
		n          int
	}{
		{"one shuffle", 0.6, 0.5, 0.02, 1},
		{"no spread", 0.6, 0.5, 0, 9},
		{"NaN AUC", math.NaN(), 0.5, 0.02, 9},
	} {
		if p := probe.ShuffledTP(tc.auc, tc.m, tc.sd, tc.n); !math.IsNaN(p) {
			t.Errorf("%s: p = %v, want NaN", tc.name, p)
		}
	}
}
