//go:build amd64 && !purego

package recommenders

//go:noescape
func bprDiffDotAVX(xu, yi, yj *float64, n int) float64

//go:noescape
func bprStepAVX(xu, yi, yj *float64, n int, grad, lr, reg float64)

// bprDiffDot returns Σ xu[k]·(yi[k] − yj[k]) (AVX and FMA when the CPU
// has them). yi and yj are at least as long as xu.
func bprDiffDot(xu, yi, yj []float64) float64 {
	yi, yj = yi[:len(xu)], yj[:len(xu)]
	var d float64
	k := 0
	if linalgFMA && len(xu) >= 4 {
		k = len(xu) &^ 3
		d = bprDiffDotAVX(&xu[0], &yi[0], &yj[0], k/4)
	}
	for ; k < len(xu); k++ {
		d += xu[k] * (yi[k] - yj[k])
	}
	return d
}

// bprStep applies one SGD step of BPR to the factors (see bprStepGo).
func bprStep(xu, yi, yj []float64, g, lr, reg float64) {
	yi, yj = yi[:len(xu)], yj[:len(xu)]
	k := 0
	if linalgFMA && len(xu) >= 4 {
		k = len(xu) &^ 3
		bprStepAVX(&xu[0], &yi[0], &yj[0], k/4, g, lr, reg)
	}
	bprStepGo(xu[k:], yi[k:], yj[k:], g, lr, reg)
}
