package probe_test

import (
	"fmt"

	"github.com/recaudit/recaudit/probe"
)

func ExampleAUC() {
	// Four users; the classifier's scores and whether each is in the
	// class. Of the four (positive, negative) pairs the positive scores
	// higher in three.
	scores := []float64{0.1, 0.4, 0.35, 0.8}
	positive := []bool{false, false, true, true}
	fmt.Printf("AUC = %.2f\n", probe.AUC(scores, positive, nil))

	// Ties count one half; weights repeat cases (here the first twice).
	fmt.Printf("ties: %.2f\n", probe.AUC([]float64{1, 1, 2, 2}, []bool{false, true, false, true}, nil))
	fmt.Printf("weighted: %.4f\n", probe.AUC(scores, positive, []float64{2, 1, 1, 1}))
	// Output:
	// AUC = 0.75
	// ties: 0.50
	// weighted: 0.8333
}

func ExampleMacroAUC() {
	// Three classes, two users each; row i holds user i's scores for
	// classes 0, 1 and 2.
	scores := []float64{
		0.7, 0.2, 0.1,
		0.3, 0.4, 0.3,
		0.2, 0.6, 0.2,
		0.5, 0.3, 0.2,
		0.1, 0.2, 0.7,
		0.3, 0.3, 0.4,
	}
	labels := []int32{0, 0, 1, 1, 2, 2}
	// One-vs-rest AUCs 0.8125, 0.8125 and 1, averaged.
	fmt.Printf("macro AUC = %.3f\n", probe.MacroAUC(scores, 3, labels, nil))
	// Output:
	// macro AUC = 0.875
}
