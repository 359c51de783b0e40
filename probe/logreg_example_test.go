package probe_test

import (
	"fmt"
	"math"

	"github.com/recaudit/recaudit/probe"
)

func ExampleLogistic_Fit() {
	// Four users with one feature: +1 for the two in the class, −1 for the
	// two outside. The data are separable; the L2 penalty keeps the weight
	// finite, at the root of 4σ(−w) = λw.
	x := probe.Sparse{
		Rows: 4, Cols: 1,
		Offsets: []int64{0, 1, 2, 3, 4},
		Indices: []int32{0, 0, 0, 0},
		Values:  []float64{1, 1, -1, -1},
	}
	y := []bool{true, true, false, false}
	m := probe.Logistic{Lambda: 1}.Fit(x, y)
	fmt.Printf("w = %.4f, b = %.4f, converged %v\n", m.Weights[0], round4(m.Intercept), m.Converged)

	// Decision values x·w + b of new rows: one with the feature at +1, one
	// without it.
	z := m.DecisionTo(nil, probe.Sparse{Rows: 2, Cols: 1, Offsets: []int64{0, 1, 1}, Indices: []int32{0}, Values: []float64{1}})
	fmt.Printf("decision values %.4f %.4f\n", z[0], round4(z[1]))
	// Output:
	// w = 1.0426, b = 0.0000, converged true
	// decision values 1.0426 0.0000
}

// round4 rounds to 4 decimals, turning −0 into 0 (the intercept is 0 by
// symmetry, up to rounding of either sign).
func round4(v float64) float64 { return math.Round(v*1e4)/1e4 + 0 }
