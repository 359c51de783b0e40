//go:build !amd64 || purego

package recommenders

// bprDiffDot returns Σ xu[k]·(yi[k] − yj[k]). yi and yj are at least as
// long as xu.
func bprDiffDot(xu, yi, yj []float64) float64 {
	yi, yj = yi[:len(xu)], yj[:len(xu)]
	var d float64
	for k, v := range xu {
		d += v * (yi[k] - yj[k])
	}
	return d
}

// bprStep applies one SGD step of BPR to the factors (see bprStepGo).
func bprStep(xu, yi, yj []float64, g, lr, reg float64) {
	bprStepGo(xu, yi, yj, g, lr, reg)
}
