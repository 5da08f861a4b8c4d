// Forecasts of a per-period series (a payee's bookings by quarter): a linear
// trend and Holt's exponential smoothing, each with a simple interval, and
// the error measure the back-test reports. These are estimates, so they work
// in doubles; payouts never go through here.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace tally::analytics {

enum class ForecastMethod {
  linear,  ///< least-squares line through the history, extended
  holt,    ///< Holt's linear exponential smoothing (level and trend)
};

/// "linear" / "holt".
const char* method_name(ForecastMethod method);

struct Forecast {
  bool ok = false;   ///< false: no forecast (see note), value/low/high are 0
  double value = 0;  ///< the expected value `horizon` periods after the last one
  double low = 0;    ///< the interval around it (see interval_z)
  double high = 0;
  std::string note;  ///< why there is no forecast, or a caveat ("history of 2 periods")
};

/// The z of the interval: value ± z × the standard deviation of the one-step
/// errors within the history (an 80% interval under normal errors).
inline constexpr double interval_z = 1.2816;

/// The smallest history a method forecasts from: linear needs 2 periods,
/// holt 3. Shorter: ok = false with a note saying how many it has and needs.
int minimum_history(ForecastMethod method);

/// Forecast of history[n-1+horizon] from history[0..n-1] (oldest first),
/// horizon >= 1. Holt's smoothing weights (alpha, beta) are chosen on a
/// fixed grid (0.1 .. 0.9 by 0.1) minimising the one-step squared error of
/// the history; ties go to the smaller weights, so results are deterministic.
Forecast forecast(std::span<const double> history, ForecastMethod method, int horizon = 1);

/// Mean absolute percentage error, in percent, over the pairs whose actual
/// is not 0 (a zero actual has no percentage error); `counted` receives how
/// many pairs were used. NaN-free: returns 0 with counted = 0 when none.
double mean_absolute_percentage_error(std::span<const double> actual,
                                      std::span<const double> predicted, int* counted = nullptr);

}  // namespace tally::analytics
