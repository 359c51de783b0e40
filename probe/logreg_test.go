package probe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// denseToSparse turns dense rows into a Sparse with explicit values,
// leaving out zeros.
func denseToSparse(rows [][]float64) Sparse {
	s := Sparse{Rows: len(rows), Offsets: []int64{0}}
	if len(rows) > 0 {
		s.Cols = len(rows[0])
	}
	s.Values = []float64{}
	for _, r := range rows {
		for j, v := range r {
			if v != 0 {
				s.Indices = append(s.Indices, int32(j))
				s.Values = append(s.Values, v)
			}
		}
		s.Offsets = append(s.Offsets, int64(len(s.Indices)))
	}
	return s
}

func TestLogisticReference(t *testing.T) {
	const tol = 1e-6
	twoX := [][]float64{{1, 0}, {1, 1}, {0, 1}, {0, 0}, {1, 0}, {0, 1}, {1, 1}, {0, 0}, {2, 1}, {0, 2}}
	twoY := []bool{true, true, false, false, false, true, true, false, true, false}
	// Saturated model: one binary feature; at x = 0 3 positives and 6
	// negatives, at x = 1 8 positives and 2 negatives.
	var satX [][]float64
	var satY []bool
	for _, c := range []struct {
		x   float64
		pos bool
		n   int
	}{{0, true, 3}, {0, false, 6}, {1, true, 8}, {1, false, 2}} {
		for range c.n {
			satX = append(satX, []float64{c.x})
			satY = append(satY, c.pos)
		}
	}
	for _, tc := range []struct {
		name   string
		x      [][]float64
		y      []bool
		lambda float64
		w      []float64
		b      float64
	}{
		{
			// Independent Newton–Raphson in Python: testdata/logreg_reference.py.
			name: "two features, lambda 1", x: twoX, y: twoY, lambda: 1,
			w: []float64{1.0063189856231691, 0.28681404619030476}, b: -0.7887376462401479,
		},
		{
			// testdata/logreg_reference.py.
			name: "two features, lambda 0.1", x: twoX, y: twoY, lambda: 0.1,
			w: []float64{2.36405916666963, 0.7967416300543453}, b: -1.8661164396522896,
		},
		{
			// Separable and symmetric: b = 0 by symmetry and w solves the
			// stationarity condition 4·σ(−w) = λw, w = 1.0425969… (root by
			// bisection; testdata/logreg_reference.py agrees).
			name: "separable", x: [][]float64{{1}, {1}, {-1}, {-1}}, y: []bool{true, true, false, false}, lambda: 1,
			w: []float64{1.0425969140005578}, b: 0,
		},
		{
			// Closed form of the saturated model's maximum-likelihood fit
			// (λ → 0): b = log(3/6), b + w = log(8/2), so w = log 8.
			name: "saturated, lambda 1e-9", x: satX, y: satY, lambda: 1e-9,
			w: []float64{math.Log(8)}, b: math.Log(0.5),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Logistic{Lambda: tc.lambda, Tolerance: 1e-10}.Fit(denseToSparse(tc.x), tc.y)
			if !m.Converged {
				t.Errorf("not converged after %d iterations", m.Iterations)
			}
			if d := cmp.Diff(tc.w, m.Weights, cmpopts.EquateApprox(0, tol)); d != "" {
				t.Errorf("weights (-want +got):\n%s", d)
			}
			if math.Abs(m.Intercept-tc.b) > tol {
				t.Errorf("intercept = %v, want %v", m.Intercept, tc.b)
			}
		})
	}
}

// TestLogisticSeparableRoot checks the separable case against a root found
// here by bisection of 4σ(−w) − w, an independent computation.
func TestLogisticSeparableRoot(t *testing.T) {
	const tol = 1e-7
	lo, hi := 0.0, 4.0
	for range 200 {
		mid := (lo + hi) / 2
		if 4/(1+math.Exp(mid))-mid > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	m := Logistic{Lambda: 1, Tolerance: 1e-12}.Fit(denseToSparse([][]float64{{1}, {1}, {-1}, {-1}}), []bool{true, true, false, false})
	if math.Abs(m.Weights[0]-lo) > tol {
		t.Errorf("w = %v, want %v", m.Weights[0], lo)
	}
}

// TestLogisticStationary checks the first-order conditions of the penalised
// objective, computed here with plain loops, at the fit of a random sparse
// binary problem: ∂f/∂b = Σ (p_i − y_i) = 0 and ∂f/∂w_j = Σ (p_i − y_i)x_ij
// + λw_j = 0.
func TestLogisticStationary(t *testing.T) {
	const tol = 1e-6
	rng := rand.New(rand.NewPCG(3, 4))
	const n, d = 400, 30
	x := Sparse{Rows: n, Cols: d, Offsets: []int64{0}}
	y := make([]bool, n)
	for i := range n {
		for j := range d {
			if rng.Float64() < 0.15 {
				x.Indices = append(x.Indices, int32(j))
			}
		}
		x.Offsets = append(x.Offsets, int64(len(x.Indices)))
		y[i] = rng.Float64() < 0.3
	}
	const lambda = 2.0
	m := Logistic{Lambda: lambda, Tolerance: 1e-10}.Fit(x, y)
	z := m.DecisionTo(nil, x)
	g := make([]float64, d+1)
	for i := range n {
		r := 1 / (1 + math.Exp(-z[i]))
		if y[i] {
			r--
		}
		g[d] += r
		for _, j := range x.Indices[x.Offsets[i]:x.Offsets[i+1]] {
			g[j] += r
		}
	}
	for j := range d {
		g[j] += lambda * m.Weights[j]
	}
	// The gradient of the sum objective is n times that of the mean one.
	if a := maxAbs(g); a > tol*n {
		t.Errorf("largest gradient entry %v, want ≤ %v", a, tol*n)
	}
}

func TestLogisticOneClass(t *testing.T) {
	m := Logistic{}.Fit(denseToSparse([][]float64{{1}, {0}}), []bool{true, true})
	if !math.IsInf(m.Intercept, 1) || m.Weights[0] != 0 || m.Converged {
		t.Errorf("one class: got %+v, want intercept +Inf, weight 0, not converged", m)
	}
}

func TestLogisticPanics(t *testing.T) {
	x := denseToSparse([][]float64{{1}, {0}})
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"label length", func() { Logistic{}.Fit(x, []bool{true}) }},
		{"negative lambda", func() { Logistic{Lambda: -1}.Fit(x, []bool{true, false}) }},
		{"bad offsets", func() { Logistic{}.Fit(Sparse{Rows: 1, Cols: 1, Offsets: []int64{0}}, []bool{true}) }},
		{"column out of range", func() {
			Logistic{}.Fit(Sparse{Rows: 1, Cols: 1, Offsets: []int64{0, 1}, Indices: []int32{1}}, []bool{true})
		}},
		{"decision columns", func() {
			m := Logistic{}.Fit(x, []bool{true, false})
			m.DecisionTo(nil, Sparse{Rows: 0, Cols: 2, Offsets: []int64{0}})
		}},
	} {
		if !infPanics(tc.fn) {
			t.Errorf("%s: no panic", tc.name)
		}
	}
}

// infPanics reports whether fn panics.
func infPanics(fn func()) (p bool) {
	defer func() { p = recover() != nil }()
	fn()
	return false
}
