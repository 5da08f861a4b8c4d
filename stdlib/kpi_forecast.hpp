// `forecast(measure[, method: linear|holt][, bound: low|high])` in plans: a
// payee's measure expected for the period being paid, from its values in the
// earlier periods of the run, through tally::analytics::forecast. The
// forecast is an estimate computed in doubles; this turns it back into an
// exact decimal of the plan's rounding step, so money stays money.
#pragma once

#include <optional>
#include <span>

#include "interpreter/runtime/decimal.hpp"
#include "stdlib/forecasting.hpp"

namespace tally {

/// Which figure of the forecast a plan reads: the value, or an end of its
/// interval (analytics::interval_z).
enum class ForecastBound { value, low, high };

/// The forecast one period after `history` (oldest first) by `method`,
/// rounded to a multiple of `step` with `mode`. nullopt when the history is
/// shorter than analytics::minimum_history(method) or the forecast is not a
/// finite number; the caller then uses the measure's own value (docs/language.md).
std::optional<Decimal> forecast_measure(std::span<const Decimal> history,
                                        analytics::ForecastMethod method, ForecastBound bound,
                                        const Decimal& step, RoundingMode mode);

}  // namespace tally
