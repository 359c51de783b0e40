#!/usr/bin/env python3
"""EASE closed form in NumPy, the reference for recommenders.EASE.

Reads an implicit-feedback matrix written by the Go tests/benchmarks
(little-endian: int64 users, int64 items, int64 nnz, then nnz int32 row
indices and nnz int32 column indices), computes Steck's closed form as in
the paper's published code (WWW 2019, https://arxiv.org/abs/1905.03375):

    G = X.T @ X;  G[diag] += lam;  P = inv(G);  B = P / (-diag(P));  B[diag] = 0

and prints the timings as one JSON object on stdout. With --out it writes B
(items x items, float64, row-major, little-endian). With --topk K it also
times scoring (X @ B) and top-K selection of unseen items for every user.

Run with Debian's /usr/bin/python3 (python3-numpy, OpenBLAS); set
OPENBLAS_NUM_THREADS to the number of cores to compare with.
"""
import argparse
import json
import sys
import time

import numpy as np


def read_matrix(path):
    with open(path, "rb") as f:
        users, items, nnz = (int(v) for v in np.fromfile(f, dtype="<i8", count=3))
        rows = np.fromfile(f, dtype="<i4", count=nnz)
        cols = np.fromfile(f, dtype="<i4", count=nnz)
    x = np.zeros((users, items), dtype=np.float64)
    x[rows, cols] = 1.0
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("matrix")
    ap.add_argument("--lambda", dest="lam", type=float, default=500.0)
    ap.add_argument("--out", help="write B here (float64, row-major)")
    ap.add_argument("--topk", type=int, default=0)
    args = ap.parse_args()

    x = read_matrix(args.matrix)
    t0 = time.perf_counter()
    g = x.T @ x
    diag = np.diag_indices(g.shape[0])
    g[diag] += args.lam
    t1 = time.perf_counter()
    p = np.linalg.inv(g)
    t2 = time.perf_counter()
    b = p / (-np.diag(p))
    b[diag] = 0
    t3 = time.perf_counter()
    res = {"gram_s": t1 - t0, "inverse_s": t2 - t1, "b_s": t3 - t2, "fit_s": t3 - t0}
    if args.topk > 0:
        t4 = time.perf_counter()
        s = x @ b
        s[x > 0] = -np.inf
        k = min(args.topk, s.shape[1])
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(s, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        res["recommend_s"] = time.perf_counter() - t4
    if args.out:
        b.astype("<f8").tofile(args.out)
    res["numpy"] = np.__version__
    json.dump(res, sys.stdout)
    print()


if __name__ == "__main__":
    main()
