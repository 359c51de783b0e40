package probe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// InferencePValue selects how the inference probe turns the real AUC and
// the shuffled AUCs into a p-value.
type InferencePValue int

const (
	// PermutationPValue is the Monte Carlo permutation p-value,
	//
	//	p = (1 + #{s : AUC_s ≥ AUC}) / (1 + Shuffles),
	//
	// exact under the null whatever the distribution of the AUC, but
	// never below 1/(1 + Shuffles): 19 shuffles are needed for p = 0.05,
	// and hundreds for a p-value that survives a multiple-testing
	// correction over many tests.
	PermutationPValue InferencePValue = iota
	// ShuffledTPValue treats the shuffled AUCs as a sample of the AUC's
	// null distribution, taken to be normal, and asks how far the real AUC
	// lies above them: with m and s their mean and standard deviation
	// over n shuffles,
	//
	//	t = (AUC − m) / (s·√(1 + 1/n)),   p = P(T_{n−1} ≥ t),
	//
	// T_{n−1} Student's t with n − 1 degrees of freedom. Under the null
	// the real AUC is one more draw from the same distribution as the
	// shuffled ones, so t is the statistic of a one-sided prediction
	// interval and has exactly this distribution when the null
	// distribution is normal (a cross-validated AUC over thousands of
	// users, an average of many terms, is nearly so). It gives small
	// p-values from few shuffles, which a correction over many tests
	// needs; in the far tail it rests on the normal shape, so read a tiny
	// p as "far beyond every shuffle", not as an exact probability. With
	// fewer than two shuffles, or shuffled AUCs that do not vary, the
	// permutation p-value is used instead.
	//
	// Reference: G. J. Hahn and W. Q. Meeker, "Statistical Intervals",
	// Wiley, 1991, §4.7 (prediction interval for one future
	// observation); T. Knijnenburg et al., "Fewer permutations, more
	// accurate P-values", Bioinformatics 25, 2009 (approximating the tail
	// of a permutation distribution).
	ShuffledTPValue
)

// String returns "permutation" or "shuffled-t", the Test.Method of the
// p-value.
func (v InferencePValue) String() string {
	switch v {
	case PermutationPValue:
		return "permutation"
	case ShuffledTPValue:
		return "shuffled-t"
	}
	return fmt.Sprintf("InferencePValue(%d)", int(v))
}

// shuffledT returns the t statistic, degrees of freedom and one-sided
// p-value of ShuffledTPValue for auc against n shuffled AUCs with mean m
// and standard deviation s; ok is false when they are undefined (n < 2,
// s not positive, a NaN).
func shuffledT(auc, m, s float64, n int) (t float64, df int, p float64, ok bool) {
	if n < 2 || !(s > 0) || math.IsNaN(auc) || math.IsNaN(m) {
		return math.NaN(), 0, math.NaN(), false
	}
	t = (auc - m) / (s * math.Sqrt(1+1/float64(n)))
	df = n - 1
	p = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Survival(t)
	return t, df, p, true
}
