#!/usr/bin/env python3
"""Independent oracle for tests/unit/stdlib/forecasting_test.cpp.

Pure Python (numpy is not installed), written from the definitions in
stdlib/forecasting.hpp, not from the C++. Run it and the test embeds what it
prints:

  python3 tests/unit/stdlib/forecasting_oracle.py
"""
import math

Z = 1.2816


def linear(y, h):
    n = len(y)
    xs = list(range(n))
    mx = sum(xs) / n
    my = sum(y) / n
    slope = sum((x - mx) * (v - my) for x, v in zip(xs, y)) / sum((x - mx) ** 2 for x in xs)
    icpt = my - slope * mx
    value = icpt + slope * (n - 1 + h)
    sse = sum((v - (icpt + slope * x)) ** 2 for x, v in zip(xs, y))
    sd = math.sqrt(sse / (n - 2)) if n > 2 else 0.0
    return value, value - Z * sd, value + Z * sd


def holt(y, h):
    best = None
    for ai in range(1, 10):
        for bi in range(1, 10):
            a, b = ai / 10, bi / 10
            level, trend = y[0], y[1] - y[0]
            errs = []
            for t in range(1, len(y)):
                pred = level + trend
                if t >= 2:
                    errs.append(y[t] - pred)
                new_level = a * y[t] + (1 - a) * pred
                trend = b * (new_level - level) + (1 - b) * trend
                level = new_level
            sse = sum(e * e for e in errs)
            if best is None or sse < best[0]:
                best = (sse, a, b, level, trend, len(errs))
    sse, a, b, level, trend, m = best
    value = level + h * trend
    sd = math.sqrt(sse / m)
    return value, value - Z * sd, value + Z * sd, a, b


if __name__ == "__main__":
    for series in ([10, 12, 15, 14, 18], [100, 80, 95, 70, 90, 60], [3, 5, 4]):
        for h in (1, 2):
            v, lo, hi, a, b = holt(series, h)
            print(f"holt {series} h={h}: value {v:.9f} low {lo:.9f} high {hi:.9f} "
                  f"(alpha {a}, beta {b})")
    for series in ([2, 4, 5, 9], [10, 12, 15, 14, 18]):
        for h in (1, 2):
            v, lo, hi = linear(series, h)
            print(f"linear {series} h={h}: value {v:.9f} low {lo:.9f} high {hi:.9f}")
