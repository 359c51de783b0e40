//go:build !amd64 || purego

package recommenders

// linalgFMA reports whether linalgGemm sums with explicit fused
// multiply-adds; the pure-Go kernel writes c += a*b, which the compiler
// fuses on some architectures (arm64), and linalgDotFrom writes the same.
const linalgFMA = false

// linalgKernelC sets C[0:6, 0:8] += alpha·(A·B) for the packed micro-panels
// a (kc×linalgMR) and b (kc×linalgNR), c holding C from its first entry
// with rows ldc apart. A·B is summed in k order from zero.
func linalgKernelC(kc int, a, b, c []float64, ldc int, alpha float64) {
	var acc [linalgMR * linalgNR]float64
	linalgKernelGo(kc, a, b, &acc)
	linalgStore(&acc, c, ldc, linalgMR, linalgNR, alpha)
}

// linalgKernel sets acc to the product of the packed micro-panels a and b,
// each entry summed in k order from zero.
func linalgKernel(kc int, a, b []float64, acc *[linalgMR * linalgNR]float64) {
	linalgKernelGo(kc, a, b, acc)
}

// linalgAddTo sets dst[i] += src[i] for i < len(src).
func linalgAddTo(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}

// linalgAxpyTo sets y[i] += alpha·x[i] for i < len(x).
func linalgAxpyTo(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// linalgDot returns x·y with four partial sums (fixed order).
func linalgDot(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}
