#!/usr/bin/env python3
"""Reference solutions for probe/logreg_test.go, computed independently of
the Go code: Newton-Raphson on the dense L2-penalised logistic objective

    f(w, b) = sum_i log(1 + exp(-t_i (x_i.w + b))) + lam/2 |w|^2

(intercept b unpenalised), pure Python, iterated until the step is below
1e-14. Run: python3 probe/testdata/logreg_reference.py
"""
import math


def solve(A, r):
    """Solve A x = r by Gaussian elimination with partial pivoting."""
    n = len(r)
    M = [row[:] + [r[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(M[i][c]))
        M[c], M[p] = M[p], M[c]
        for i in range(c + 1, n):
            f = M[i][c] / M[c][c]
            for j in range(c, n + 1):
                M[i][j] -= f * M[c][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (M[i][n] - sum(M[i][j] * x[j] for j in range(i + 1, n))) / M[i][i]
    return x


def newton(X, y, lam):
    d = len(X[0])
    th = [0.0] * (d + 1)  # w..., b
    for _ in range(200):
        g = [0.0] * (d + 1)
        H = [[0.0] * (d + 1) for _ in range(d + 1)]
        for xi, yi in zip(X, y):
            z = sum(a * b for a, b in zip(xi, th[:d])) + th[d]
            p = 1 / (1 + math.exp(-z))
            r = p - (1.0 if yi else 0.0)
            xe = list(xi) + [1.0]
            for j in range(d + 1):
                g[j] += r * xe[j]
                for k in range(d + 1):
                    H[j][k] += p * (1 - p) * xe[j] * xe[k]
        for j in range(d):
            g[j] += lam * th[j]
            H[j][j] += lam
        step = solve(H, g)
        th = [a - s for a, s in zip(th, step)]
        if max(abs(s) for s in step) < 1e-14:
            break
    return th


# Non-separable problem of TestLogisticReference ("two features").
X = [(1, 0), (1, 1), (0, 1), (0, 0), (1, 0), (0, 1), (1, 1), (0, 0), (2, 1), (0, 2)]
y = [True, True, False, False, False, True, True, False, True, False]
for lam in (1.0, 0.1):
    th = newton(X, y, lam)
    print("two features, lambda=%g: w=%r b=%r" % (lam, th[:-1], th[-1]))

# Separable, symmetric problem: x = +1 (true) and -1 (false), two each.
X = [(1,), (1,), (-1,), (-1,)]
y = [True, True, False, False]
th = newton(X, y, 1.0)
print("separable, lambda=1: w=%r b=%r" % (th[:-1], th[-1]))
