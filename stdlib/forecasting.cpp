#include "stdlib/forecasting.hpp"

#include <algorithm>
#include <cmath>

namespace tally::analytics {
namespace {

std::string periods_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " period" : " periods");
}

struct LineFit {
  double intercept = 0;  // at x = 0
  double slope = 0;
};

// Least squares of y against x = 0, 1, ..., n-1 (n >= 2, so x varies).
LineFit fit_line(std::span<const double> y) {
  const double n = static_cast<double>(y.size());
  const double mean_x = (n - 1) / 2;
  double mean_y = 0;
  for (double v : y) mean_y += v;
  mean_y /= n;
  double sxy = 0;
  double sxx = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double dx = static_cast<double>(i) - mean_x;
    sxy += dx * (y[i] - mean_y);
    sxx += dx * dx;
  }
  LineFit fit;
  fit.slope = sxy / sxx;
  fit.intercept = mean_y - fit.slope * mean_x;
  return fit;
}

Forecast with_interval(double value, double spread) {
  Forecast result;
  result.ok = true;
  result.value = value;
  result.low = value - interval_z * spread;
  result.high = value + interval_z * spread;
  return result;
}

// The residual standard error of the line, sqrt(SSE / (n - 2)): the spread of
// the history around its trend. Two points lie on the line: no spread to tell.
Forecast linear_forecast(std::span<const double> history, int horizon) {
  const LineFit fit = fit_line(history);
  const double x = static_cast<double>(history.size() - 1 + static_cast<std::size_t>(horizon));
  const double value = fit.intercept + fit.slope * x;
  if (history.size() < 3) {
    Forecast result = with_interval(value, 0);
    result.note = "history of 2 periods: the interval has no width (no spread to measure)";
    return result;
  }
  double sse = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const double residual = history[i] - (fit.intercept + fit.slope * static_cast<double>(i));
    sse += residual * residual;
  }
  return with_interval(value, std::sqrt(sse / static_cast<double>(history.size() - 2)));
}

struct HoltRun {
  double level = 0;
  double trend = 0;
  double squared_errors = 0;  // one-step errors from the third period on
  std::size_t errors = 0;
};

// Level starts at the first value and trend at the first difference, so the
// second period is fitted exactly; the errors counted start at the third.
HoltRun run_holt(std::span<const double> y, double alpha, double beta) {
  HoltRun run;
  run.level = y[0];
  run.trend = y[1] - y[0];
  for (std::size_t t = 1; t < y.size(); ++t) {
    const double predicted = run.level + run.trend;
    if (t >= 2) {
      const double error = y[t] - predicted;
      run.squared_errors += error * error;
      ++run.errors;
    }
    const double previous_level = run.level;
    run.level = alpha * y[t] + (1 - alpha) * predicted;
    run.trend = beta * (run.level - previous_level) + (1 - beta) * run.trend;
  }
  return run;
}

Forecast holt_forecast(std::span<const double> history, int horizon) {
  HoltRun best;
  bool have_best = false;
  // Integer steps keep the grid exact; a strict `<` keeps the smaller weights on ties.
  for (int a = 1; a <= 9; ++a) {
    for (int b = 1; b <= 9; ++b) {
      const HoltRun run = run_holt(history, a / 10.0, b / 10.0);
      if (!have_best || run.squared_errors < best.squared_errors) {
        best = run;
        have_best = true;
      }
    }
  }
  const double value = best.level + static_cast<double>(horizon) * best.trend;
  const double spread = std::sqrt(best.squared_errors / static_cast<double>(best.errors));
  return with_interval(value, spread);
}

}  // namespace

const char* method_name(ForecastMethod method) {
  switch (method) {
    case ForecastMethod::linear:
      return "linear";
    case ForecastMethod::holt:
      return "holt";
  }
  return "unknown";
}

int minimum_history(ForecastMethod method) {
  return method == ForecastMethod::holt ? 3 : 2;
}

Forecast forecast(std::span<const double> history, ForecastMethod method, int horizon) {
  Forecast none;
  if (horizon < 1) {
    none.note = "the horizon must be at least 1 period, not " + std::to_string(horizon);
    return none;
  }
  for (double v : history) {
    if (!std::isfinite(v)) {
      none.note = "the history has a value that is not a finite number";
      return none;
    }
  }
  const auto needed = static_cast<std::size_t>(minimum_history(method));
  if (history.size() < needed) {
    none.note = "history of " + periods_text(history.size()) + "; " + method_name(method) +
                " needs at least " + periods_text(needed);
    return none;
  }
  Forecast result = method == ForecastMethod::holt ? holt_forecast(history, horizon)
                                                   : linear_forecast(history, horizon);
  if (!std::isfinite(result.value) || !std::isfinite(result.low) || !std::isfinite(result.high)) {
    none.note = "the history's values are too large to forecast from";
    return none;
  }
  return result;
}

double mean_absolute_percentage_error(std::span<const double> actual,
                                      std::span<const double> predicted, int* counted) {
  const std::size_t n = std::min(actual.size(), predicted.size());
  double sum = 0;
  int used = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (actual[i] == 0 || !std::isfinite(actual[i]) || !std::isfinite(predicted[i])) continue;
    sum += std::fabs((actual[i] - predicted[i]) / actual[i]);
    ++used;
  }
  if (counted != nullptr) *counted = used;
  return used == 0 ? 0 : 100 * sum / used;
}

}  // namespace tally::analytics
