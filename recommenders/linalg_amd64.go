//go:build amd64 && !purego

package recommenders

import "golang.org/x/sys/cpu"

// linalgFMA reports whether linalgGemm sums with fused multiply-adds (the
// AVX2/FMA assembly kernel, used when the CPU has those instructions;
// build tag purego disables it), so that linalgDotFrom and the edge tiles
// can match it.
var linalgFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func linalgKernelAVX(kc int, a, b, c *float64, ldc int, alpha float64)

// linalgKernelC sets C[0:6, 0:8] += alpha·(A·B) for the packed micro-panels
// a (kc×linalgMR) and b (kc×linalgNR), c holding C from its first entry
// with rows ldc apart. A·B is summed in k order from zero; each C entry is
// then updated once (fused when linalgFMA).
func linalgKernelC(kc int, a, b, c []float64, ldc int, alpha float64) {
	if linalgFMA && kc > 0 {
		_ = a[kc*linalgMR-1]
		_ = b[kc*linalgNR-1]
		_ = c[(linalgMR-1)*ldc+linalgNR-1]
		linalgKernelAVX(kc, &a[0], &b[0], &c[0], ldc, alpha)
		return
	}
	var acc [linalgMR * linalgNR]float64
	linalgKernelGo(kc, a, b, &acc)
	linalgStore(&acc, c, ldc, linalgMR, linalgNR, alpha)
}

// linalgKernel sets acc to the product of the packed micro-panels a and b,
// each entry summed in k order from zero, as linalgKernelC does.
func linalgKernel(kc int, a, b []float64, acc *[linalgMR * linalgNR]float64) {
	if linalgFMA && kc > 0 {
		// The assembly kernel adds to C: start from zero with alpha 1.
		clear(acc[:])
		linalgKernelAVX(kc, &a[0], &b[0], &acc[0], linalgNR, 1)
		return
	}
	linalgKernelGo(kc, a, b, acc)
}

// linalgAVX reports whether the AVX vector loops may be used.
var linalgAVX = cpu.X86.HasAVX

//go:noescape
func linalgAddAVX(dst, src *float64, n int)

//go:noescape
func linalgAxpyAVX(alpha float64, x, y *float64, n int)

// linalgAddTo sets dst[i] += src[i] for i < len(src).
func linalgAddTo(dst, src []float64) {
	dst = dst[:len(src)]
	i := 0
	if linalgAVX && len(src) >= 16 {
		i = len(src) &^ 15
		linalgAddAVX(&dst[0], &src[0], i/16)
	}
	for ; i < len(src); i++ {
		dst[i] += src[i]
	}
}

// linalgAxpyTo sets y[i] += alpha·x[i] for i < len(x), the product and
// the sum rounded separately.
func linalgAxpyTo(alpha float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	if linalgAVX && len(x) >= 16 {
		i = len(x) &^ 15
		linalgAxpyAVX(alpha, &x[0], &y[0], i/16)
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

//go:noescape
func linalgDotAVX(x, y *float64, n int) float64

// linalgDot returns x·y: the first 16·⌊len/16⌋ terms in AVX fused
// multiply-add lanes, the rest in order. The order is fixed, so the result
// is deterministic on a given machine.
func linalgDot(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	i := 0
	if linalgFMA && len(x) >= 16 {
		i = len(x) &^ 15
		s = linalgDotAVX(&x[0], &y[0], i/16)
	}
	for ; i < len(x); i++ {
		s += x[i] * y[i]
	}
	return s
}
