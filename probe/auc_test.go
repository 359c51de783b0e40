package probe

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAUC(t *testing.T) {
	const tol = 1e-12
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		scores  []float64
		pos     []bool
		weights []float64
		want    float64
	}{
		// Hand-computed: of the 4 (positive, negative) pairs, 0.35 beats
		// 0.1, 0.8 beats both: 3/4 (also sklearn's roc_auc_score doc example).
		{"sklearn example", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, nil, 0.75},
		// Hand-computed: pairs (1,1) ½, (1,2) 0, (2,1) 1, (2,2) ½: 2/4.
		{"ties", []float64{1, 1, 2, 2}, []bool{false, true, false, true}, nil, 0.5},
		{"all tied", []float64{3, 3, 3, 3, 3}, []bool{true, false, false, true, false}, nil, 0.5},
		{"perfect", []float64{1, 2, 3, 4}, []bool{false, false, true, true}, nil, 1},
		{"reversed", []float64{4, 3, 2, 1}, []bool{false, false, true, true}, nil, 0},
		// Hand-computed: the negative 0.1 counted twice: negatives
		// {0.1, 0.1, 0.4}, positives {0.35, 0.8}; 0.35 beats two, 0.8 three:
		// 5/6.
		{"weights", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, []float64{2, 1, 1, 1}, 5.0 / 6},
		// A zero weight removes the case, NaN score included.
		{"zero weight", []float64{0.1, nan, 0.35, 0.8}, []bool{false, false, true, true}, []float64{1, 0, 1, 1}, 1},
		{"no positives", []float64{1, 2}, []bool{false, false}, nil, nan},
		{"no negatives", []float64{1, 2}, []bool{true, true}, nil, nan},
		{"positives weighted out", []float64{1, 2}, []bool{true, false}, []float64{0, 1}, nan},
		{"NaN score", []float64{1, nan, 2}, []bool{true, false, false}, nil, nan},
		{"empty", nil, nil, nil, nan},
	} {
		got := AUC(tc.scores, tc.pos, tc.weights)
		if !(math.IsNaN(tc.want) && math.IsNaN(got)) && math.Abs(got-tc.want) > tol {
			t.Errorf("%s: AUC = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAUCBruteForce compares AUC with the definition evaluated pair by pair
// (an independent O(n²) computation), on random scores with many ties and
// random integer weights, and checks that integer weights equal repeating
// the cases.
func TestAUCBruteForce(t *testing.T) {
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 1 + rng.IntN(40)
		s := make([]float64, n)
		p := make([]bool, n)
		w := make([]float64, n)
		var rs []float64
		var rp []bool
		for i := range n {
			s[i] = float64(rng.IntN(6))
			p[i] = rng.IntN(3) == 0
			w[i] = float64(rng.IntN(3))
			for range int(w[i]) {
				rs = append(rs, s[i])
				rp = append(rp, p[i])
			}
		}
		var num, np, nn float64
		for i := range n {
			for j := range n {
				if !p[i] || p[j] {
					continue
				}
				ww := w[i] * w[j]
				switch {
				case s[i] > s[j]:
					num += ww
				case s[i] == s[j]:
					num += ww / 2
				}
			}
			if p[i] {
				np += w[i]
			} else {
				nn += w[i]
			}
		}
		want := num / (np * nn)
		got := AUC(s, p, w)
		if !(math.IsNaN(want) && math.IsNaN(got)) && math.Abs(got-want) > tol {
			t.Errorf("trial %d: AUC = %v, brute force %v", trial, got, want)
		}
		if rep := AUC(rs, rp, nil); !(math.IsNaN(rep) && math.IsNaN(got)) && math.Abs(got-rep) > tol {
			t.Errorf("trial %d: weighted AUC %v, repeated cases %v", trial, got, rep)
		}
	}
}

func TestMacroAUC(t *testing.T) {
	const tol = 1e-12
	// Six cases, two per class; rows are the scores for classes 0, 1, 2.
	scores := []float64{
		0.7, 0.2, 0.1,
		0.3, 0.4, 0.3,
		0.2, 0.6, 0.2,
		0.5, 0.3, 0.2,
		0.1, 0.2, 0.7,
		0.3, 0.3, 0.4,
	}
	labels := []int32{0, 0, 1, 1, 2, 2}
	// Hand-computed one-vs-rest AUCs: class 0: 0.7 beats all four
	// negatives, 0.3 beats two and ties one: 6.5/8; class 1 likewise 6.5/8;
	// class 2: 8/8. Macro: (0.8125 + 0.8125 + 1)/3 = 0.875.
	if got := MacroAUC(scores, 3, labels, nil); math.Abs(got-0.875) > tol {
		t.Errorf("MacroAUC = %v, want 0.875", got)
	}
	// A case with label −1 is left out, whatever its scores.
	s2 := append(append([]float64{}, scores...), 100, -100, 100)
	if got := MacroAUC(s2, 3, append(append([]int32{}, labels...), -1), nil); math.Abs(got-0.875) > tol {
		t.Errorf("MacroAUC with an unlabelled case = %v, want 0.875", got)
	}
	// Weight 2 on case 1 (class 0): class 0: 0.7 beats 4, 0.3 (×2) beats
	// two and ties one each: (4 + 2·2.5)/(3·4) = 9/12; class 1: negatives
	// gain a second 0.4: 0.6 beats 5, 0.3 beats 2 and ties 1: 7.5/10;
	// class 2: 10/10. Macro: (0.75 + 0.75 + 1)/3.
	w := []float64{1, 2, 1, 1, 1, 1}
	if got, want := MacroAUC(scores, 3, labels, w), 2.5/3; math.Abs(got-want) > tol {
		t.Errorf("weighted MacroAUC = %v, want %v", got, want)
	}
	// Two classes with scores (−s, s) give the binary AUC.
	bs := []float64{0.1, 0.4, 0.35, 0.8}
	var two []float64
	for _, v := range bs {
		two = append(two, -v, v)
	}
	if got := MacroAUC(two, 2, []int32{0, 0, 1, 1}, nil); math.Abs(got-0.75) > tol {
		t.Errorf("two-class MacroAUC = %v, want 0.75", got)
	}
	// A class with no cases is skipped; one class alone gives NaN.
	if got := MacroAUC(scores[:6], 3, []int32{0, 0}, nil); !math.IsNaN(got) {
		t.Errorf("one class: MacroAUC = %v, want NaN", got)
	}
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"classes", func() { MacroAUC(nil, 0, nil, nil) }},
		{"scores length", func() { MacroAUC(scores[:5], 3, labels[:2], nil) }},
		{"label", func() { MacroAUC(scores[:3], 3, []int32{3}, nil) }},
		{"weight", func() { MacroAUC(scores[:3], 3, []int32{0}, []float64{-1}) }},
		{"AUC length", func() { AUC([]float64{1}, nil, nil) }},
		{"AUC weight", func() { AUC([]float64{1}, []bool{true}, []float64{math.NaN()}) }},
	} {
		if !infPanics(tc.fn) {
			t.Errorf("%s: no panic", tc.name)
		}
	}
}
