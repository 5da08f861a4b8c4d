// Statistics of a distribution across payees or territories: how unequal
// (Gini, max/min), where the quartiles are, which points are outliers.
// Doubles: these describe, they do not pay.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tally::analytics {

/// The Gini coefficient of non-negative values: 0 when all are equal, towards
/// 1 when one holds everything. nullopt when there are no values, when any
/// is negative or when all are 0 (nothing to share: undefined, not 0).
std::optional<double> gini(std::span<const double> values);

/// The largest value over the smallest; nullopt when there are no values or
/// the smallest is <= 0 (a ratio over zero is undefined).
std::optional<double> max_min_ratio(std::span<const double> values);

/// The q-quantile (0 <= q <= 1) by linear interpolation between order
/// statistics (the "type 7" rule of R and numpy); nullopt when empty.
std::optional<double> quantile(std::span<const double> values, double q);

struct Bin {
  double low = 0;   ///< inclusive
  double high = 0;  ///< exclusive, except for the last bin
  int count = 0;
};
/// Counts per bin of the given edges (ascending, at least 2): value v falls
/// in [edges[i], edges[i+1]); values below the first edge count in the first
/// bin and values at or above the last in the last, so none is lost.
std::vector<Bin> histogram(std::span<const double> values, std::span<const double> edges);

/// Indices of the outliers of y against x: points whose residual from the
/// least-squares line of y on x is more than `k` times the residuals'
/// standard deviation away (k = 2 by default). Empty when fewer than 3
/// points or when all residuals are 0.
std::vector<std::size_t> outliers(std::span<const double> x, std::span<const double> y,
                                  double k = 2.0);

}  // namespace tally::analytics
