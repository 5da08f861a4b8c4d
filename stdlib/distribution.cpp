#include "stdlib/distribution.hpp"

#include <algorithm>
#include <cmath>

namespace tally::analytics {
namespace {

std::vector<double> sorted(std::span<const double> values) {
  std::vector<double> out(values.begin(), values.end());
  std::sort(out.begin(), out.end());
  return out;
}

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

// G = 2 Σ i·x(i) / (n Σ x) − (n + 1) / n over the values sorted ascending,
// i = 1..n: the mean absolute difference between all pairs over twice the mean.
std::optional<double> gini(std::span<const double> values) {
  if (values.empty() || !all_finite(values)) return std::nullopt;
  const std::vector<double> x = sorted(values);
  if (x.front() < 0) return std::nullopt;
  double total = 0;
  double weighted = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    total += x[i];
    weighted += static_cast<double>(i + 1) * x[i];
  }
  if (total <= 0) return std::nullopt;
  const double n = static_cast<double>(x.size());
  return std::max(0.0, 2 * weighted / (n * total) - (n + 1) / n);
}

std::optional<double> max_min_ratio(std::span<const double> values) {
  if (values.empty() || !all_finite(values)) return std::nullopt;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  if (*low <= 0) return std::nullopt;
  return *high / *low;
}

std::optional<double> quantile(std::span<const double> values, double q) {
  if (values.empty() || !all_finite(values) || !(q >= 0 && q <= 1)) return std::nullopt;
  const std::vector<double> x = sorted(values);
  const double h = static_cast<double>(x.size() - 1) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= x.size()) return x.back();
  return x[below] + (h - static_cast<double>(below)) * (x[below + 1] - x[below]);
}

std::vector<Bin> histogram(std::span<const double> values, std::span<const double> edges) {
  std::vector<Bin> bins;
  if (edges.size() < 2 || !all_finite(edges)) return bins;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    if (!(edges[i] < edges[i + 1])) return {};
    bins.push_back(Bin{edges[i], edges[i + 1], 0});
  }
  for (double v : values) {
    if (std::isnan(v)) continue;  // belongs nowhere; callers pass numbers
    // The first edge above v closes v's bin; clamping puts the tails in the end bins.
    const auto above = std::upper_bound(edges.begin(), edges.end(), v);
    const auto index = static_cast<std::ptrdiff_t>(above - edges.begin()) - 1;
    const auto last = static_cast<std::ptrdiff_t>(bins.size()) - 1;
    ++bins[static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(index, 0, last))].count;
  }
  return bins;
}

std::vector<std::size_t> outliers(std::span<const double> x, std::span<const double> y, double k) {
  std::vector<std::size_t> found;
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 3 || !all_finite(x.first(n)) || !all_finite(y.first(n))) return found;
  double mean_x = 0;
  double mean_y = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  double sxy = 0;
  double sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
  }
  // All x equal: the best line is flat at the mean of y.
  const double slope = sxx > 0 ? sxy / sxx : 0;
  std::vector<double> residuals(n);
  double squares = 0;
  for (std::size_t i = 0; i < n; ++i) {
    residuals[i] = y[i] - (mean_y + slope * (x[i] - mean_x));
    squares += residuals[i] * residuals[i];
  }
  const double spread = std::sqrt(squares / static_cast<double>(n));
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(y[i]));
  // Rounding leaves residuals of a perfect line near 1e-16 of the values: those are 0.
  if (spread <= 1e-12 * std::max(scale, 1.0)) return found;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::fabs(residuals[i]) > k * spread) found.push_back(i);
  }
  return found;
}

}  // namespace tally::analytics
