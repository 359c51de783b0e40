package recommenders

import (
	"context"
	"errors"
	"math"
	"sync"
)

// This file holds the dense linear algebra behind the learned models: a
// packed, cache-blocked, parallel matrix multiply (linalgGemm) and, built
// on it, a blocked parallel inverse of a symmetric positive definite
// matrix (Cholesky factorisation, triangular inverse, product of the
// inverse factors: the LAPACK potrf, trtri and lauum steps). It needs no
// cgo: the micro-kernel is Go assembly using AVX2 and FMA on amd64 CPUs
// that have them (build tag purego, other CPUs and other architectures use
// a pure-Go kernel). gonum's LAPACK is single-threaded for these steps and
// about six times slower at the sizes EASE needs.
//
// Matrices are row-major float64 slices with a leading dimension (stride).
// Every element of every result is computed by exactly one goroutine, in
// an order fixed by the block sizes alone, so results are bit-identical
// whatever GOMAXPROCS is.

const (
	linalgMR = 6   // rows of the register-blocked micro-kernel
	linalgNR = 8   // columns of the micro-kernel
	linalgKC = 256 // inner-dimension block (packed micro-panels fit L1)
	linalgMC = 120 // rows of a macro tile (packed A block: 240 KiB, in L2)
	linalgNC = 256 // columns of a macro tile

	// linalgNB is the block size of the blocked factorisation and inverse.
	linalgNB = 256
)

// errLinalgNotPD reports a non-positive pivot in a Cholesky factorisation.
var errLinalgNotPD = errors.New("matrix is not positive definite")

// linalgGemm describes C += alpha·op(A)·op(B), where op(A) is m×k, op(B)
// is k×n and C is m×n. op(X) is X, or Xᵀ when the trans flag is set; A is
// read as a[i*lda+t] (or a[t*lda+i] transposed).
type linalgGemm struct {
	m, n, k int
	alpha   float64
	a       []float64
	lda     int
	transA  bool
	b       []float64
	ldb     int
	transB  bool
	c       []float64
	ldc     int
	// lowerC restricts the update to C[i,j] with j <= i. Tiles wholly
	// above the diagonal are skipped; tiles crossing it may also write
	// entries above the diagonal, which the caller must treat as garbage.
	lowerC bool
	// lowerA promises op(A)[i,t] == 0 for t > i (zeros stored), so those
	// products are skipped.
	lowerA bool
	// serial runs on the calling goroutine (for callers that are already
	// parallel).
	serial bool
}

// par runs fn for every task in [0, ntasks): on the calling goroutine when
// g.serial, else with mfParallel.
func (g *linalgGemm) par(ctx context.Context, ntasks int, fn func(w, task int)) error {
	if !g.serial {
		return mfParallel(ctx, ntasks, fn)
	}
	for t := range ntasks {
		fn(0, t)
	}
	return ctx.Err()
}

// linalgPool recycles packing buffers between calls.
var linalgPool sync.Pool

func linalgGetBuf(n int) *[]float64 {
	if p, ok := linalgPool.Get().(*[]float64); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float64, n)
	return &s
}

// run computes the product on up to GOMAXPROCS goroutines. For each block
// of linalgKC inner indices it packs op(A) and op(B) once into micro-panels
// and then updates the macro tiles of C in parallel, one tile per task. It
// returns ctx.Err() if ctx is done before the product is complete (C is
// then partly updated).
func (g *linalgGemm) run(ctx context.Context) error {
	if g.m == 0 || g.n == 0 || g.k == 0 || g.alpha == 0 {
		return ctx.Err()
	}
	mPanels := (g.m + linalgMR - 1) / linalgMR
	nPanels := (g.n + linalgNR - 1) / linalgNR
	kb := min(linalgKC, g.k)
	pa := linalgGetBuf(mPanels * linalgMR * kb)
	pb := linalgGetBuf(nPanels * linalgNR * kb)
	defer linalgPool.Put(pa)
	defer linalgPool.Put(pb)
	tm := (g.m + linalgMC - 1) / linalgMC
	tn := (g.n + linalgNC - 1) / linalgNC
	const panelsPerPack = 32
	aTasks := (mPanels + panelsPerPack - 1) / panelsPerPack
	bTasks := (nPanels + panelsPerPack - 1) / panelsPerPack
	tiles := make([]int32, 0, tm*tn)
	for p0 := 0; p0 < g.k; p0 += linalgKC {
		kb := min(linalgKC, g.k-p0)
		err := g.par(ctx, aTasks+bTasks, func(_, task int) {
			if task < aTasks {
				for p := task * panelsPerPack; p < min((task+1)*panelsPerPack, mPanels); p++ {
					g.packA((*pa)[p*linalgMR*kb:][:linalgMR*kb], p*linalgMR, p0, kb)
				}
				return
			}
			task -= aTasks
			for p := task * panelsPerPack; p < min((task+1)*panelsPerPack, nPanels); p++ {
				g.packB((*pb)[p*linalgNR*kb:][:linalgNR*kb], p*linalgNR, p0, kb)
			}
		})
		if err != nil {
			return err
		}
		tiles = tiles[:0]
		for t := 0; t < tm*tn; t++ {
			i0, j0 := (t/tn)*linalgMC, (t%tn)*linalgNC
			iEnd := min(i0+linalgMC, g.m)
			if g.lowerC && j0 > iEnd-1 {
				continue // wholly above the diagonal
			}
			if g.lowerA && iEnd <= p0 {
				continue // op(A) is zero on these rows and columns
			}
			tiles = append(tiles, int32(t))
		}
		err = g.par(ctx, len(tiles), func(_, task int) {
			t := int(tiles[task])
			g.tile((t/tn)*linalgMC, (t%tn)*linalgNC, kb, *pa, *pb)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// tile updates the macro tile of C at (i0, j0) with the packed slab of kb
// inner indices.
func (g *linalgGemm) tile(i0, j0, kb int, pa, pb []float64) {
	mb := min(linalgMC, g.m-i0)
	nb := min(linalgNC, g.n-j0)
	var acc [linalgMR * linalgNR]float64
	for jr := 0; jr < nb; jr += linalgNR {
		j := j0 + jr
		bp := pb[(j/linalgNR)*linalgNR*kb:][:linalgNR*kb]
		cols := min(linalgNR, nb-jr)
		for ir := 0; ir < mb; ir += linalgMR {
			i := i0 + ir
			if g.lowerC && j > i+linalgMR-1 {
				continue // micro tile wholly above the diagonal
			}
			ap := pa[(i/linalgMR)*linalgMR*kb:][:linalgMR*kb]
			rows := min(linalgMR, mb-ir)
			c := g.c[i*g.ldc+j:]
			if rows == linalgMR && cols == linalgNR {
				linalgKernelC(kb, ap, bp, c, g.ldc, g.alpha)
				continue
			}
			linalgKernel(kb, ap, bp, &acc)
			linalgStore(&acc, c, g.ldc, rows, cols, g.alpha)
		}
	}
}

// linalgStore adds alpha·acc to the rows×cols corner of C (c holds C from
// that corner, rows ldc apart), rounding as the assembly kernel does.
func linalgStore(acc *[linalgMR * linalgNR]float64, c []float64, ldc, rows, cols int, alpha float64) {
	for r := 0; r < rows; r++ {
		crow := c[r*ldc:][:cols]
		ar := acc[r*linalgNR:][:cols]
		if linalgFMA {
			for x := range crow {
				crow[x] = math.FMA(alpha, ar[x], crow[x])
			}
			continue
		}
		for x := range crow {
			crow[x] += alpha * ar[x]
		}
	}
}

// packA copies op(A)[i0:i0+linalgMR, p0:p0+kb] into the micro-panel dst,
// k-major, padding rows beyond m with zeros.
func (g *linalgGemm) packA(dst []float64, i0, p0, kb int) {
	rows := min(linalgMR, g.m-i0)
	if g.transA {
		for t := 0; t < kb; t++ {
			src := g.a[(p0+t)*g.lda+i0:][:rows]
			d := dst[t*linalgMR : t*linalgMR+linalgMR : t*linalgMR+linalgMR]
			if rows == linalgMR {
				d[0], d[1], d[2], d[3], d[4], d[5] = src[0], src[1], src[2], src[3], src[4], src[5]
				continue
			}
			for r := range d {
				d[r] = 0
				if r < rows {
					d[r] = src[r]
				}
			}
		}
		return
	}
	for r := 0; r < linalgMR; r++ {
		if r >= rows {
			for t := 0; t < kb; t++ {
				dst[t*linalgMR+r] = 0
			}
			continue
		}
		src := g.a[(i0+r)*g.lda+p0:][:kb]
		for t, v := range src {
			dst[t*linalgMR+r] = v
		}
	}
}

// packB copies op(B)[p0:p0+kb, j0:j0+linalgNR] into the micro-panel dst,
// k-major, padding columns beyond n with zeros.
func (g *linalgGemm) packB(dst []float64, j0, p0, kb int) {
	cols := min(linalgNR, g.n-j0)
	if !g.transB {
		for t := 0; t < kb; t++ {
			src := g.b[(p0+t)*g.ldb+j0:][:cols]
			d := dst[t*linalgNR : t*linalgNR+linalgNR : t*linalgNR+linalgNR]
			if cols == linalgNR {
				*(*[linalgNR]float64)(d) = [linalgNR]float64(src)
				continue
			}
			for c := range d {
				d[c] = 0
				if c < cols {
					d[c] = src[c]
				}
			}
		}
		return
	}
	for c := 0; c < linalgNR; c++ {
		if c >= cols {
			for t := 0; t < kb; t++ {
				dst[t*linalgNR+c] = 0
			}
			continue
		}
		src := g.b[(j0+c)*g.ldb+p0:][:kb]
		for t, v := range src {
			dst[t*linalgNR+c] = v
		}
	}
}

// linalgKernelGo is the pure-Go micro-kernel: acc = A·B for the packed
// micro-panels a (kc×6) and b (kc×8), each entry summed in k order from
// zero, in 2×4 sub-blocks (eight accumulators fit the registers).
func linalgKernelGo(kc int, a, b []float64, acc *[linalgMR * linalgNR]float64) {
	a = a[:kc*linalgMR]
	b = b[:kc*linalgNR]
	for r0 := 0; r0 < linalgMR; r0 += 2 {
		for c0 := 0; c0 < linalgNR; c0 += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float64
			for t := 0; t < kc; t++ {
				aa := a[t*linalgMR+r0 : t*linalgMR+r0+2 : t*linalgMR+r0+2]
				bb := b[t*linalgNR+c0 : t*linalgNR+c0+4 : t*linalgNR+c0+4]
				a0, a1 := aa[0], aa[1]
				b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
			}
			r := acc[r0*linalgNR+c0 : r0*linalgNR+c0+4]
			r[0], r[1], r[2], r[3] = c00, c01, c02, c03
			r = acc[(r0+1)*linalgNR+c0 : (r0+1)*linalgNR+c0+4]
			r[0], r[1], r[2], r[3] = c10, c11, c12, c13
		}
	}
}

// linalgDotFrom returns init + x·y summed exactly as linalgGemm sums one
// entry of C = init, alpha = 1: a running sum from zero in blocks of
// linalgKC, each block added to the total. Scorers use it to reproduce
// the values Recommend computes through linalgGemm.
func linalgDotFrom(init float64, x, y []float64) float64 {
	y = y[:len(x)]
	total := init
	for p0 := 0; p0 < len(x); p0 += linalgKC {
		xb := x[p0:min(p0+linalgKC, len(x))]
		yb := y[p0 : p0+len(xb)]
		var s float64
		if linalgFMA {
			for t, v := range xb {
				s = math.FMA(v, yb[t], s)
			}
		} else {
			for t, v := range xb {
				s += v * yb[t]
			}
		}
		total += s
	}
	return total
}

// linalgSPDInverse overwrites the n×n row-major matrix a with the inverse
// of the symmetric positive definite matrix whose lower triangle it holds
// (the strict upper triangle is ignored on input). On return a holds the
// full symmetric inverse. nb is the block size (linalgNB in production;
// tests use small blocks to exercise the blocked paths).
//
// It returns errLinalgNotPD if the factorisation meets a non-positive or
// NaN pivot, and ctx.Err() if ctx is done (a is then garbage).
func linalgSPDInverse(ctx context.Context, a []float64, n, nb int) error {
	if err := linalgCholesky(ctx, a, n, nb); err != nil {
		return err
	}
	linalgZeroUpper(a, n)
	if err := linalgTriInverse(ctx, a, n, nb); err != nil {
		return err
	}
	if err := linalgLauum(ctx, a, n, nb); err != nil {
		return err
	}
	linalgMirrorLower(a, n)
	return nil
}

// linalgCholesky factorises in place the SPD matrix held in the lower
// triangle of a (n×n, row-major) as L·Lᵀ, L lower triangular, with the
// right-looking blocked algorithm (LAPACK dpotrf). The strict upper
// triangle is left as garbage.
func linalgCholesky(ctx context.Context, a []float64, n, nb int) error {
	winv := make([]float64, nb*nb)
	var tmp []float64
	for k0 := 0; k0 < n; k0 += nb {
		if err := ctx.Err(); err != nil {
			return err
		}
		k1 := min(k0+nb, n)
		kb := k1 - k0
		if err := linalgCholeskyUnblocked(a[k0*n+k0:], n, kb); err != nil {
			return err
		}
		winv := winv[:kb*kb]
		if k1 == n {
			break
		}
		// Panel: A[k1:n, k0:k1] := A[k1:n, k0:k1]·L_kk⁻ᵀ, through the
		// explicit inverse of the diagonal block and a matrix product.
		m := n - k1
		for r := 0; r < kb; r++ {
			copy(winv[r*kb:r*kb+r+1], a[(k0+r)*n+k0:(k0+r)*n+k0+r+1])
			clear(winv[r*kb+r+1 : (r+1)*kb])
		}
		linalgTriInverseUnblocked(winv, kb, kb)
		if cap(tmp) < m*kb {
			tmp = make([]float64, m*kb)
		}
		tmp = tmp[:m*kb]
		for r := 0; r < m; r++ {
			copy(tmp[r*kb:(r+1)*kb], a[(k1+r)*n+k0:(k1+r)*n+k1])
			clear(a[(k1+r)*n+k0 : (k1+r)*n+k1])
		}
		g := linalgGemm{m: m, n: kb, k: kb, alpha: 1,
			a: tmp, lda: kb, b: winv, ldb: kb, transB: true,
			c: a[k1*n+k0:], ldc: n}
		if err := g.run(ctx); err != nil {
			return err
		}
		// Trailing update: A[k1:n, k1:n] -= P·Pᵀ (lower part), P the panel.
		g = linalgGemm{m: m, n: m, k: kb, alpha: -1,
			a: a[k1*n+k0:], lda: n, b: a[k1*n+k0:], ldb: n, transB: true,
			c: a[k1*n+k1:], ldc: n, lowerC: true}
		if err := g.run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// linalgCholeskyUnblocked factorises the kb×kb lower-triangle block at a
// (leading dimension ld) in place.
func linalgCholeskyUnblocked(a []float64, ld, kb int) error {
	for j := 0; j < kb; j++ {
		rj := a[j*ld:][:j+1]
		d := rj[j] - linalgDot(rj[:j], rj[:j])
		if !(d > 0) || math.IsInf(d, 0) {
			return errLinalgNotPD
		}
		d = math.Sqrt(d)
		rj[j] = d
		for i := j + 1; i < kb; i++ {
			ri := a[i*ld:][:j+1]
			ri[j] = (ri[j] - linalgDot(ri[:j], rj[:j])) / d
		}
	}
	return nil
}

// linalgTriInverse overwrites the lower triangular matrix in a (n×n, strict
// upper triangle zero) with its inverse, keeping the upper triangle zero,
// with the blocked algorithm of LAPACK dtrtri: going backwards over block
// columns, W21 = −W22·L21·W11.
func linalgTriInverse(ctx context.Context, a []float64, n, nb int) error {
	last := ((n - 1) / nb) * nb
	var tmp []float64
	for j0 := last; j0 >= 0; j0 -= nb {
		if err := ctx.Err(); err != nil {
			return err
		}
		j1 := min(j0+nb, n)
		jb := j1 - j0
		linalgTriInverseUnblocked(a[j0*n+j0:], n, jb)
		m := n - j1
		if m == 0 {
			continue
		}
		// tmp := W22·L21 (m×jb); W22 is lower triangular.
		if cap(tmp) < m*jb {
			tmp = make([]float64, m*jb)
		}
		tmp = tmp[:m*jb]
		clear(tmp)
		g := linalgGemm{m: m, n: jb, k: m, alpha: 1,
			a: a[j1*n+j1:], lda: n, b: a[j1*n+j0:], ldb: n,
			c: tmp, ldc: jb, lowerA: true}
		if err := g.run(ctx); err != nil {
			return err
		}
		// W21 := −tmp·W11.
		for r := j1; r < n; r++ {
			clear(a[r*n+j0 : r*n+j1])
		}
		g = linalgGemm{m: m, n: jb, k: jb, alpha: -1,
			a: tmp, lda: jb, b: a[j0*n+j0:], ldb: n,
			c: a[j1*n+j0:], ldc: n}
		if err := g.run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// linalgTriInverseUnblocked inverts in place the jb×jb lower triangular
// block at a (leading dimension ld; its strict upper triangle is zero).
func linalgTriInverseUnblocked(a []float64, ld, jb int) {
	col := make([]float64, jb)
	for j := jb - 1; j >= 0; j-- {
		a[j*ld+j] = 1 / a[j*ld+j]
		ajj := -a[j*ld+j]
		// Column j below the diagonal: x := ajj·W22·x, W22 the already
		// inverted trailing block, x the original column.
		for i := j + 1; i < jb; i++ {
			col[i] = a[i*ld+j]
		}
		for i := j + 1; i < jb; i++ {
			row := a[i*ld:]
			s := linalgDot(row[j+1:i+1], col[j+1:i+1])
			a[i*ld+j] = ajj * s
		}
	}
}

// linalgLauum overwrites the lower triangular W in a (n×n, strict upper
// triangle zero) with the lower triangle of Wᵀ·W (LAPACK dlauum), block
// row by block row: P_IJ = W_IIᵀ·W_IJ + Σ_{M>I} W_MIᵀ·W_MJ. Diagonal
// blocks are written in full; the rest of the upper triangle stays zero.
func linalgLauum(ctx context.Context, a []float64, n, nb int) error {
	var tmp []float64
	diag := make([]float64, nb*nb)
	for i0 := 0; i0 < n; i0 += nb {
		if err := ctx.Err(); err != nil {
			return err
		}
		i1 := min(i0+nb, n)
		ib := i1 - i0
		wii := a[i0*n+i0:]
		if i0 > 0 {
			// A[I, 0:i0] := W_IIᵀ·W_I,0:i0 (through a copy).
			if cap(tmp) < ib*i0 {
				tmp = make([]float64, ib*i0)
			}
			tmp = tmp[:ib*i0]
			for r := 0; r < ib; r++ {
				copy(tmp[r*i0:(r+1)*i0], a[(i0+r)*n:(i0+r)*n+i0])
				clear(a[(i0+r)*n : (i0+r)*n+i0])
			}
			g := linalgGemm{m: ib, n: i0, k: ib, alpha: 1,
				a: wii, lda: n, transA: true, b: tmp, ldb: i0,
				c: a[i0*n:], ldc: n}
			if err := g.run(ctx); err != nil {
				return err
			}
			if i1 < n {
				// A[I, 0:i0] += W_{M>I, I}ᵀ·W_{M>I, 0:i0}.
				g = linalgGemm{m: ib, n: i0, k: n - i1, alpha: 1,
					a: a[i1*n+i0:], lda: n, transA: true, b: a[i1*n:], ldb: n,
					c: a[i0*n:], ldc: n}
				if err := g.run(ctx); err != nil {
					return err
				}
			}
		}
		// Diagonal block: W_IIᵀ·W_II + W_{M>I, I}ᵀ·W_{M>I, I}.
		d := diag[:ib*ib]
		clear(d)
		g := linalgGemm{m: ib, n: ib, k: ib, alpha: 1,
			a: wii, lda: n, transA: true, b: wii, ldb: n, c: d, ldc: ib}
		if err := g.run(ctx); err != nil {
			return err
		}
		if i1 < n {
			g = linalgGemm{m: ib, n: ib, k: n - i1, alpha: 1,
				a: a[i1*n+i0:], lda: n, transA: true, b: a[i1*n+i0:], ldb: n, c: d, ldc: ib}
			if err := g.run(ctx); err != nil {
				return err
			}
		}
		for r := 0; r < ib; r++ {
			copy(a[(i0+r)*n+i0:(i0+r)*n+i1], d[r*ib:(r+1)*ib])
		}
	}
	return nil
}

// linalgZeroUpper zeroes the strict upper triangle of the n×n matrix a.
func linalgZeroUpper(a []float64, n int) {
	for i := 0; i < n; i++ {
		clear(a[i*n+i+1 : (i+1)*n])
	}
}

// linalgMirrorLower copies the strict lower triangle of a onto the upper.
func linalgMirrorLower(a []float64, n int) {
	const tb = 64
	for i0 := 0; i0 < n; i0 += tb {
		for j0 := 0; j0 <= i0; j0 += tb {
			for i := i0; i < min(i0+tb, n); i++ {
				for j := j0; j < min(j0+tb, i); j++ {
					a[j*n+i] = a[i*n+j]
				}
			}
		}
	}
}
