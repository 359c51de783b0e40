//go:build amd64 && !purego

#include "textflag.h"

// func bprDiffDotAVX(xu, yi, yj *float64, n int) float64
//
// Σ xu[k]·(yi[k] − yj[k]) for k < 4·n in one 4-wide fused multiply-add
// accumulator pair, added at the end.
TEXT ·bprDiffDotAVX(SB), NOSPLIT, $0-40
	MOVQ   xu+0(FP), SI
	MOVQ   yi+8(FP), DI
	MOVQ   yj+16(FP), DX
	MOVQ   n+24(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ  CX, CX
	JEQ    ddDone
	BTQ    $0, CX
	JCC    ddPairs
	VMOVUPD     (DI), Y2
	VSUBPD      (DX), Y2, Y2
	VFMADD231PD (SI), Y2, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JEQ         ddDone

ddPairs:
	VMOVUPD     (DI), Y2
	VMOVUPD     32(DI), Y3
	VSUBPD      (DX), Y2, Y2
	VSUBPD      32(DX), Y3, Y3
	VFMADD231PD (SI), Y2, Y0
	VFMADD231PD 32(SI), Y3, Y1
	ADDQ        $64, SI
	ADDQ        $64, DI
	ADDQ        $64, DX
	SUBQ        $2, CX
	JNE         ddPairs

ddDone:
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+32(FP)
	RET

// func bprStepAVX(xu, yi, yj *float64, n int, grad, lr, reg float64)
//
// For k < 4·n, with x, a, b the old xu[k], yi[k], yj[k]:
//
//	xu[k] = x + lr·(g·(a − b) − reg·x)
//	yi[k] = a + lr·(g·x − reg·a)
//	yj[k] = b − lr·(g·x + reg·b)
TEXT ·bprStepAVX(SB), NOSPLIT, $0-56
	MOVQ         xu+0(FP), SI
	MOVQ         yi+8(FP), DI
	MOVQ         yj+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSD grad+32(FP), Y13
	VBROADCASTSD lr+40(FP), Y14
	VBROADCASTSD reg+48(FP), Y15
	TESTQ        CX, CX
	JEQ          stDone

stLoop:
	VMOVUPD      (SI), Y0
	VMOVUPD      (DI), Y1
	VMOVUPD      (DX), Y2
	VSUBPD       Y2, Y1, Y3
	VMULPD       Y13, Y3, Y3
	VFNMADD231PD Y15, Y0, Y3
	VMULPD       Y13, Y0, Y4
	VMOVAPD      Y4, Y5
	VFNMADD231PD Y15, Y1, Y4
	VFMADD231PD  Y15, Y2, Y5
	VFMADD231PD  Y14, Y3, Y0
	VFMADD231PD  Y14, Y4, Y1
	VFNMADD231PD Y14, Y5, Y2
	VMOVUPD      Y0, (SI)
	VMOVUPD      Y1, (DI)
	VMOVUPD      Y2, (DX)
	ADDQ         $32, SI
	ADDQ         $32, DI
	ADDQ         $32, DX
	DECQ         CX
	JNE          stLoop

stDone:
	VZEROUPPER
	RET
