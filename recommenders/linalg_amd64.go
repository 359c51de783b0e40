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
