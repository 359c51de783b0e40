//go:build amd64 && !purego

#include "textflag.h"

// func linalgKernelAVX(kc int, a, b, c *float64, ldc int, alpha float64)
//
// C[0:6, 0:8] += alpha·(A·B) for the packed micro-panels a (kc×6, k-major)
// and b (kc×8, k-major); c points at C[0,0], rows ldc elements apart. A·B
// is summed in twelve 4-wide accumulators, one fused multiply-add per lane
// and step in k order from zero; each C entry is then updated with one
// fused multiply-add.
TEXT ·linalgKernelAVX(SB), NOSPLIT, $0-48
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $3, R8

	// Prefetch the six rows of C (64 bytes each, possibly on two lines).
	MOVQ       DX, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 63(R9)

	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	VXORPD Y12, Y12, Y12
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	VXORPD Y15, Y15, Y15
	TESTQ  CX, CX
	JEQ    done

loop:
	VMOVUPD      (DI), Y0
	VMOVUPD      32(DI), Y1
	VBROADCASTSD (SI), Y2
	VFMADD231PD  Y0, Y2, Y4
	VFMADD231PD  Y1, Y2, Y5
	VBROADCASTSD 8(SI), Y3
	VFMADD231PD  Y0, Y3, Y6
	VFMADD231PD  Y1, Y3, Y7
	VBROADCASTSD 16(SI), Y2
	VFMADD231PD  Y0, Y2, Y8
	VFMADD231PD  Y1, Y2, Y9
	VBROADCASTSD 24(SI), Y3
	VFMADD231PD  Y0, Y3, Y10
	VFMADD231PD  Y1, Y3, Y11
	VBROADCASTSD 32(SI), Y2
	VFMADD231PD  Y0, Y2, Y12
	VFMADD231PD  Y1, Y2, Y13
	VBROADCASTSD 40(SI), Y3
	VFMADD231PD  Y0, Y3, Y14
	VFMADD231PD  Y1, Y3, Y15
	ADDQ         $48, SI
	ADDQ         $64, DI
	DECQ         CX
	JNE          loop

done:
	VBROADCASTSD alpha+40(FP), Y0
	MOVQ         DX, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y4, Y0, Y1
	VFMADD231PD  Y5, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	ADDQ         R8, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y6, Y0, Y1
	VFMADD231PD  Y7, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	ADDQ         R8, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y8, Y0, Y1
	VFMADD231PD  Y9, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	ADDQ         R8, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y10, Y0, Y1
	VFMADD231PD  Y11, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	ADDQ         R8, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y12, Y0, Y1
	VFMADD231PD  Y13, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	ADDQ         R8, R9
	VMOVUPD      (R9), Y1
	VMOVUPD      32(R9), Y2
	VFMADD231PD  Y14, Y0, Y1
	VFMADD231PD  Y15, Y0, Y2
	VMOVUPD      Y1, (R9)
	VMOVUPD      Y2, 32(R9)
	VZEROUPPER
	RET

// func linalgAddAVX(dst, src *float64, n int)
//
// dst[i] += src[i] for i < 16·n.
TEXT ·linalgAddAVX(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	TESTQ CX, CX
	JEQ   addDone

addLoop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VADDPD  (DI), Y0, Y0
	VADDPD  32(DI), Y1, Y1
	VADDPD  64(DI), Y2, Y2
	VADDPD  96(DI), Y3, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    CX
	JNE     addLoop

addDone:
	VZEROUPPER
	RET

// func linalgAxpyAVX(alpha float64, x, y *float64, n int)
//
// y[i] += alpha·x[i] for i < 16·n, rounding the product and the sum
// separately (as Go does on amd64).
TEXT ·linalgAxpyAVX(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y4
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	TESTQ        CX, CX
	JEQ          axpyDone

axpyLoop:
	VMULPD  (SI), Y4, Y0
	VMULPD  32(SI), Y4, Y1
	VMULPD  64(SI), Y4, Y2
	VMULPD  96(SI), Y4, Y3
	VADDPD  (DI), Y0, Y0
	VADDPD  32(DI), Y1, Y1
	VADDPD  64(DI), Y2, Y2
	VADDPD  96(DI), Y3, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    CX
	JNE     axpyLoop

axpyDone:
	VZEROUPPER
	RET

// func linalgDotAVX(x, y *float64, n int) float64
//
// Σ x[i]·y[i] for i < 16·n in four 4-wide fused multiply-add accumulators,
// added pairwise at the end.
TEXT ·linalgDotAVX(SB), NOSPLIT, $0-32
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   n+16(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	TESTQ  CX, CX
	JEQ    dotDone

dotLoop:
	VMOVUPD     (SI), Y4
	VMOVUPD     32(SI), Y5
	VMOVUPD     64(SI), Y6
	VMOVUPD     96(SI), Y7
	VFMADD231PD (DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNE         dotLoop

dotDone:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+24(FP)
	RET
