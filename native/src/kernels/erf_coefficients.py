#!/usr/bin/env python3
"""Prints the coefficients of the erf in vector_math.h and src/kernels/math.ts.

    /usr/bin/python3 native/src/kernels/erf_coefficients.py

Below 1, erf(x) = 2/sqrt(pi) * x * S(x^2), S the Maclaurin series
sum (-1)^n z^n / (n! (2n + 1)) to n = 22 (each coefficient the double nearest the exact
fraction; the truncation is below 1e-20). From 1 to 6, erfc(a) = exp(-a^2) * R(a),
R(a) = exp(a^2) erfc(a) smooth and slowly varying, fitted by mpmath's chebyfit at
300 bits with a polynomial of degree 31 in u = (a - 3.5) * 0.4, whose error relative
to R is below 1e-18. The monomial coefficients in u, lowest degree first, are
rounded to doubles.
"""
from fractions import Fraction
import math

import mpmath

mpmath.mp.prec = 300
DEGREE = 31


def series():
    return [float(Fraction((-1) ** n, math.factorial(n) * (2 * n + 1))) for n in range(23)]


def fit(lo, hi):
    centre, half = mpmath.mpf(lo + hi) / 2, mpmath.mpf(hi - lo) / 2  # u = (a - 3.5) * 0.4 for [1, 6]
    poly, error = mpmath.chebyfit(lambda u: mpmath.exp((centre + half * u) ** 2) * mpmath.erfc(centre + half * u),
                                  [-1, 1], DEGREE + 1, error=True)
    return [float(c) for c in reversed(poly)], float(error)


def show(name, values):
    print(f"{name} = [")
    for i in range(0, len(values), 3):
        print("  " + ", ".join(repr(v) for v in values[i:i + 3]) + ",")
    print("]")


show("SERIES", series())
for lo, hi in [(1, 6)]:
    coefficients, error = fit(lo, hi)
    show(f"R on [{lo}, {hi}] (absolute error {error:.2e})", coefficients)
