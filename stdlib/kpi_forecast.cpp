#include "stdlib/kpi_forecast.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace tally {

namespace {

/// A double as an exact decimal through its fixed-point text: 12 decimals
/// are far below any rounding step a plan uses, and the text never has an
/// exponent, which Decimal::parse would not read.
std::optional<Decimal> decimal_of(double value) {
  if (!std::isfinite(value) || std::fabs(value) > 1e15) return std::nullopt;
  char text[64];
  std::snprintf(text, sizeof text, "%.12f", value);
  return Decimal::parse(text);
}

}  // namespace

std::optional<Decimal> forecast_measure(std::span<const Decimal> history,
                                        analytics::ForecastMethod method, ForecastBound bound,
                                        const Decimal& step, RoundingMode mode) {
  std::vector<double> values;
  values.reserve(history.size());
  for (const Decimal& d : history) values.push_back(std::stod(d.to_string()));
  const analytics::Forecast f = analytics::forecast(values, method, 1);
  if (!f.ok) return std::nullopt;
  const double chosen = bound == ForecastBound::low    ? f.low
                        : bound == ForecastBound::high ? f.high
                                                       : f.value;
  const std::optional<Decimal> exact = decimal_of(chosen);
  if (!exact) return std::nullopt;
  auto rounded = Decimal::round(*exact, step, mode);
  if (!rounded) return std::nullopt;
  return rounded.value();
}

}  // namespace tally
