package probe

import (
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Sparse is a Rows × Cols matrix in compressed sparse row form: row i holds
// the entries Values[Offsets[i]:Offsets[i+1]] in the columns
// Indices[Offsets[i]:Offsets[i+1]]. Offsets has Rows+1 elements, starts at 0
// and never decreases; indices are in [0, Cols) and need not be sorted, but
// must be distinct within a row. A nil Values means every stored entry is 1
// (binary features). Sparse is a plain value; functions that take one never
// modify it.
type Sparse struct {
	Rows, Cols int
	Offsets    []int64
	Indices    []int32
	Values     []float64
}

// check panics with errInfShape unless s is well formed; it costs
// O(Rows + entries).
func (s *Sparse) check() {
	if s.Rows < 0 || s.Cols < 0 || len(s.Offsets) != s.Rows+1 || s.Offsets[0] != 0 ||
		s.Offsets[s.Rows] != int64(len(s.Indices)) || (s.Values != nil && len(s.Values) != len(s.Indices)) {
		panic(errInfShape)
	}
	for i := range s.Rows {
		if s.Offsets[i+1] < s.Offsets[i] {
			panic(errInfShape)
		}
	}
	for _, j := range s.Indices {
		if j < 0 || int(j) >= s.Cols {
			panic(errInfShape)
		}
	}
}

// dot returns row i of s times w.
func (s *Sparse) dot(i int, w []float64) float64 {
	var z float64
	lo, hi := s.Offsets[i], s.Offsets[i+1]
	if s.Values == nil {
		for _, j := range s.Indices[lo:hi] {
			z += w[j]
		}
		return z
	}
	vals := s.Values[lo:hi]
	for k, j := range s.Indices[lo:hi] {
		z += float64(vals[k] * w[j]) // no FMA: the same bits on every architecture
	}
	return z
}

// axpy adds a times row i of s to g.
func (s *Sparse) axpy(i int, a float64, g []float64) {
	lo, hi := s.Offsets[i], s.Offsets[i+1]
	if s.Values == nil {
		for _, j := range s.Indices[lo:hi] {
			g[j] += a
		}
		return
	}
	vals := s.Values[lo:hi]
	for k, j := range s.Indices[lo:hi] {
		g[j] += float64(a * vals[k])
	}
}

// DefaultLambda is the L2 regularisation strength λ of [Logistic] when its
// Lambda is 0: the penalty λ/2·‖w‖² against a sum (not a mean) of log-losses,
// the objective of scikit-learn's LogisticRegression at its default C = 1/λ
// = 1. As the loss is summed, the penalty's relative weight shrinks as the
// number of training cases grows.
const DefaultLambda = 1.0

// Default convergence settings of [Logistic].
const (
	// DefaultTolerance is the largest absolute gradient entry of the mean
	// objective (objective/n) at which a fit counts as converged.
	DefaultTolerance = 1e-6
	// DefaultMaxIterations caps the L-BFGS iterations of one fit.
	DefaultMaxIterations = 500
)

// Logistic is binary logistic regression with an L2 penalty on the weights
// and an unpenalised intercept. Fit minimises
//
//	f(w, b) = Σ_i log(1 + exp(−t_i·(x_i·w + b))) + λ/2·‖w‖²,   t_i = +1 if y_i, −1 otherwise
//
// by L-BFGS (gonum/optimize, More–Thuente line search), starting from w = 0
// and the intercept of the base rate, in coordinates rescaled by the
// diagonal of the Hessian (which changes the path, not the minimiser). The
// objective is strictly convex in w for λ > 0, so the minimiser is unique and
// finite whenever both classes occur, even on separable data; the intercept
// is then finite too. A fit is deterministic: the same inputs give the same
// bits.
//
// The zero value is usable: it fits with DefaultLambda, DefaultTolerance and
// DefaultMaxIterations.
//
// Reference: Hastie, Tibshirani & Friedman, "The Elements of Statistical
// Learning", 2nd ed., 2009, §4.4 and §18.4; Liu & Nocedal, "On the limited
// memory BFGS method for large scale optimization", Math. Programming 45,
// 1989.
type Logistic struct {
	// Lambda is the penalty strength λ ≥ 0; 0 means DefaultLambda. Use a
	// tiny positive value for (nearly) unpenalised fits.
	Lambda float64
	// Tolerance is the convergence threshold on the largest absolute
	// gradient entry of f/n; 0 means DefaultTolerance.
	Tolerance float64
	// MaxIterations caps the L-BFGS iterations; 0 means
	// DefaultMaxIterations.
	MaxIterations int
}

// LogisticModel is a fitted [Logistic] model.
type LogisticModel struct {
	Weights   []float64 // one per column of the design matrix
	Intercept float64
	// Iterations is the number of L-BFGS iterations; Converged reports
	// whether the gradient fell below the tolerance before MaxIterations.
	Iterations int
	Converged  bool
}

// Fit fits the model to the rows of x with labels y (true = the positive
// class). x and y are not modified; the returned model is new.
//
// Fit panics if x is malformed, if len(y) ≠ x.Rows or if Lambda, Tolerance or
// MaxIterations is negative. If y holds only one class the weights are 0 and
// the intercept is ±Inf (the unpenalised intercept runs away), and Converged
// is false.
func (l Logistic) Fit(x Sparse, y []bool) *LogisticModel {
	x.check()
	if len(y) != x.Rows {
		panic(errInfLength)
	}
	rows := make([]int32, x.Rows)
	for i := range rows {
		rows[i] = int32(i)
	}
	return l.fit(&x, rows, y)
}

// settings returns l with its defaults filled in.
func (l Logistic) settings() Logistic {
	if l.Lambda < 0 || l.Tolerance < 0 || l.MaxIterations < 0 || math.IsNaN(l.Lambda) || math.IsNaN(l.Tolerance) {
		panic(errInfLambda)
	}
	if l.Lambda == 0 {
		l.Lambda = DefaultLambda
	}
	if l.Tolerance == 0 {
		l.Tolerance = DefaultTolerance
	}
	if l.MaxIterations == 0 {
		l.MaxIterations = DefaultMaxIterations
	}
	return l
}

// fit fits the model on the given rows of x, in that order; y[k] is the
// label of row rows[k].
func (l Logistic) fit(x *Sparse, rows []int32, y []bool) *LogisticModel {
	l = l.settings()
	d := x.Cols
	npos := 0
	for _, yk := range y {
		if yk {
			npos++
		}
	}
	if npos == 0 || npos == len(rows) {
		b := math.Inf(1)
		if npos == 0 {
			b = math.Inf(-1)
		}
		return &LogisticModel{Weights: make([]float64, d), Intercept: b}
	}
	// L-BFGS runs in rescaled coordinates θ'_j = D_j·θ_j, with D_j² the
	// diagonal of the Hessian of f/n at the base rate p0 (Jacobi
	// preconditioning): D_j² = (p0(1−p0)·Σ_i x_ij² + λ)/n, and p0(1−p0)
	// for the intercept. The minimiser is the same; the problem is far
	// better conditioned when feature scales differ (binary items next to
	// category counts), which cuts the iterations several times.
	n := float64(len(rows))
	p0 := float64(npos) / n
	v0 := p0 * (1 - p0)
	dinv := make([]float64, d+1)
	for _, i := range rows {
		lo, hi := x.Offsets[i], x.Offsets[i+1]
		for k, j := range x.Indices[lo:hi] {
			v := 1.0
			if x.Values != nil {
				v = x.Values[lo+int64(k)]
			}
			dinv[j] += float64(v * v)
		}
	}
	for j := range d {
		dinv[j] = 1 / math.Sqrt((float64(v0*dinv[j])+l.Lambda)/n)
	}
	dinv[d] = 1 / math.Sqrt(v0)
	o := &logObjective{x: x, rows: rows, y: y, lambda: l.Lambda, scale: 1 / n, dinv: dinv,
		theta: make([]float64, d+1), lastX: make([]float64, d+1), lastG: make([]float64, d+1)}
	o.lastX[0] = math.NaN() // nothing cached yet
	// Start from the intercept that fits the base rate: the optimum when
	// no feature helps.
	init := make([]float64, d+1)
	init[d] = math.Log(p0/(1-p0)) / dinv[d]
	settings := &optimize.Settings{
		MajorIterations: l.MaxIterations,
		Converger:       &logConverger{dinv: dinv, tol: l.Tolerance},
	}
	method := &optimize.LBFGS{Linesearcher: &optimize.MoreThuente{}, Store: 10}
	res, err := optimize.Minimize(optimize.Problem{Func: o.value, Grad: o.grad}, init, settings, method)
	if res == nil { // only for invalid settings, which cannot happen here
		panic("probe: " + err.Error())
	}
	m := &LogisticModel{Weights: make([]float64, d), Iterations: res.MajorIterations}
	for j := range d {
		m.Weights[j] = res.X[j] * dinv[j]
	}
	m.Intercept = res.X[d] * dinv[d]
	// Converged unless the iteration cap was hit first; a line search that
	// can make no more progress stops at the minimum within floating-point
	// precision, so the gradient decides.
	g := make([]float64, d+1)
	o.grad(g, res.X)
	m.Converged = o.unscaledMax(g) <= l.Tolerance
	return m
}

// logConverger stops the fit when the largest entry of the gradient of f/n
// in the original coordinates is at most tol.
type logConverger struct {
	dinv []float64
	tol  float64
}

func (c *logConverger) Init(int) {}

func (c *logConverger) Converged(loc *optimize.Location) optimize.Status {
	if loc.Gradient != nil && unscaledMax(loc.Gradient, c.dinv) <= c.tol {
		return optimize.GradientThreshold
	}
	return optimize.NotTerminated
}

// unscaledMax returns the largest absolute entry of the gradient in the
// original coordinates, given the gradient g' in the scaled ones:
// ∂f/∂θ_j = D_j·∂f/∂θ'_j.
func unscaledMax(g, dinv []float64) float64 {
	var m float64
	for j, v := range g {
		m = max(m, math.Abs(v/dinv[j]))
	}
	return m
}

func (o *logObjective) unscaledMax(g []float64) float64 { return unscaledMax(g, o.dinv) }

// maxAbs returns the largest absolute value in x.
func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	return m
}

// DecisionTo writes the decision values x_i·w + b of the rows of x to dst
// (allocated when nil) and returns it; the positive-class probability is
// 1/(1+exp(−value)). x is not modified.
//
// DecisionTo panics if x is malformed, if x.Cols ≠ len(m.Weights), or if dst
// is not nil and its length differs from x.Rows.
func (m *LogisticModel) DecisionTo(dst []float64, x Sparse) []float64 {
	x.check()
	if x.Cols != len(m.Weights) {
		panic(errInfShape)
	}
	if dst == nil {
		dst = make([]float64, x.Rows)
	}
	if len(dst) != x.Rows {
		panic(errInfLength)
	}
	for i := range dst {
		dst[i] = m.decision(&x, i)
	}
	return dst
}

// decision returns row i's decision value.
func (m *LogisticModel) decision(x *Sparse, i int) float64 {
	return x.dot(i, m.Weights) + m.Intercept
}

// logObjective evaluates f/n and its gradient at a point θ = (w, b); both
// come from one pass over the rows, cached for the Grad call that follows
// the Func call at the same θ.
type logObjective struct {
	x      *Sparse
	rows   []int32
	y      []bool // parallel to rows
	lambda float64
	scale  float64   // 1/n
	dinv   []float64 // 1/D_j: θ_j = θ'_j·dinv[j]
	theta  []float64 // scratch: the point in the original coordinates

	lastX, lastG []float64 // in the scaled coordinates
	lastF        float64
}

func (o *logObjective) value(theta []float64) float64 {
	o.eval(theta)
	return o.lastF
}

func (o *logObjective) grad(g, theta []float64) {
	o.eval(theta)
	copy(g, o.lastG)
}

// eval computes the objective and its gradient at the scaled point
// scaled unless it is the cached point.
func (o *logObjective) eval(scaled []float64) {
	if equalFloats(scaled, o.lastX) {
		return
	}
	theta := o.theta
	for j, v := range scaled {
		theta[j] = v * o.dinv[j]
	}
	d := len(theta) - 1
	w, b := theta[:d], theta[d]
	g := o.lastG
	clear(g)
	var loss, gb float64
	for k, i := range o.rows {
		z := o.x.dot(int(i), w) + b
		// loss = log(1 + exp(−t z)) and r = ∂loss/∂z = σ(z) − [y], both
		// computed without overflow.
		m := z
		if !o.y[k] {
			m = -z
		}
		var l, r float64
		if m > 0 {
			e := math.Exp(-m)
			l = math.Log1p(e)
			r = e / (1 + e) // σ(−m)
		} else {
			e := math.Exp(m)
			l = -m + math.Log1p(e)
			r = 1 / (1 + e)
		}
		if o.y[k] {
			r = -r
		}
		loss += l
		gb += r
		o.x.axpy(int(i), r, g[:d])
	}
	var pen float64
	for j, wj := range w {
		pen += float64(wj * wj)
		g[j] = float64(g[j]*o.scale) + float64(o.lambda*o.scale*wj)
	}
	g[d] = gb * o.scale
	for j := range g {
		g[j] *= o.dinv[j] // ∂f/∂θ'_j = ∂f/∂θ_j · dinv_j
	}
	o.lastF = float64(loss*o.scale) + float64(0.5*o.lambda*o.scale*pen)
	copy(o.lastX, scaled)
}

// equalFloats reports whether a and b hold the same bits.
func equalFloats(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
