#!/usr/bin/env python3
"""Oracle for the Holt case of tests/unit/stdlib/kpi_forecast_test.cpp, written
from the definition in stdlib/forecasting.hpp (level starts at the first value,
trend at the first difference; weights alpha, beta on the grid 0.1 .. 0.9
minimising the squared one-step errors from the third period on, ties to the
smaller weights), then rounded half-even to 0.01 as a plan's forecast(...) is.

  python3 tests/unit/stdlib/kpi_forecast_oracle.py
"""
import math
from decimal import ROUND_HALF_EVEN, Decimal

Z = 1.2816


def holt(y):
    best = None
    for a10 in range(1, 10):
        for b10 in range(1, 10):
            a, b = a10 / 10, b10 / 10
            level, trend, sse, n = y[0], y[1] - y[0], 0.0, 0
            for t in range(1, len(y)):
                predicted = level + trend
                if t >= 2:
                    sse += (y[t] - predicted) ** 2
                    n += 1
                previous = level
                level = a * y[t] + (1 - a) * predicted
                trend = b * (level - previous) + (1 - b) * trend
            if best is None or sse < best[0]:
                best = (sse, level, trend, n)
    sse, level, trend, n = best
    value = level + trend
    spread = math.sqrt(sse / n)
    return value, value - Z * spread, value + Z * spread


def cents(x):
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


if __name__ == "__main__":
    history = [120, 135, 128, 150, 162]
    print("holt", history, [str(cents(v)) for v in holt(history)])
