#include "repl/forecast_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "repl/forecast_pipeline.hpp"
#include "stdlib/forecasting.hpp"

namespace tally::cli {
namespace {

constexpr int kPipeline = 0;

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Bookings are not negative: a trend heading below 0 is shown as 0.
analytics::Forecast trend(std::span<const double> history, int method, int horizon) {
  const auto kind =
      method == 1 ? analytics::ForecastMethod::linear : analytics::ForecastMethod::holt;
  analytics::Forecast f = analytics::forecast(history, kind, horizon);
  if (f.ok && f.value < 0) {
    f.note += std::string(f.note.empty() ? "" : "; ") + "the trend goes below 0: shown as 0";
  }
  f.value = std::max(0.0, f.value);
  f.low = std::max(0.0, f.low);
  f.high = std::max(0.0, f.high);
  return f;
}

analytics::Forecast from_estimate(const PipelineEstimate& estimate, double actual_so_far) {
  analytics::Forecast f;
  f.ok = estimate.ok;
  f.note = estimate.note;
  if (!f.ok) return f;
  f.value = actual_so_far + estimate.value;
  f.low = actual_so_far + estimate.low;
  f.high = actual_so_far + estimate.high;
  return f;
}

std::map<std::string, PipelineEstimate> pipeline_at(const PipelineData& pipeline, int cutoff,
                                                    bool include_undated,
                                                    PipelineHistory& history) {
  history = learn_pipeline(pipeline.opportunities, cutoff);
  return estimate_pipeline(pipeline.opportunities, history, include_undated);
}

PipelineEstimate estimate_of(const std::map<std::string, PipelineEstimate>& estimates,
                             const std::string& payee, const PipelineHistory& history) {
  const auto it = estimates.find(payee);
  return it == estimates.end() ? empty_pipeline(history) : it->second;
}

}  // namespace

const char* forecast_method_name(int method) {
  static const char* const names[kMethods] = {"pipeline", "linear", "holt"};
  return method >= 0 && method < kMethods ? names[method] : "unknown";
}

std::optional<MeasureSeries> measure_series(const RunResult& run, const std::string& measure,
                                            const Calendar& calendar) {
  const auto& columns = run.measures.columns;
  const auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                    columns.begin());
  };
  const std::size_t payee_col = column("payee"), period_col = column("period"),
                    measure_col = column("measure"), value_col = column("value");
  if (value_col >= columns.size()) return std::nullopt;
  MeasureSeries series;
  series.measure = measure;
  std::map<Period, std::size_t> period_index;
  for (const auto& row : run.measures.rows)
    if (row[measure_col] == measure)
      if (auto p = parse_period(row[period_col], calendar)) period_index.emplace(*p, 0);
  if (period_index.empty()) return std::nullopt;
  for (auto& [period, index] : period_index) {
    index = series.periods.size();
    series.periods.push_back(period);
    series.labels.push_back(period_label(period, calendar));
  }
  std::map<std::string, std::size_t> payee_index;
  const auto add_payee = [&](const std::string& payee) {
    const auto [it, added] = payee_index.emplace(payee, series.payees.size());
    if (added) {
      series.payees.push_back(payee);
      series.values.emplace_back(series.periods.size(), 0.0);
    }
    return it->second;
  };
  if (!run.payees.rows.empty())
    for (const auto& row : run.payees.rows) add_payee(row[0]);
  for (const auto& row : run.measures.rows) {
    if (row[measure_col] != measure) continue;
    const auto period = parse_period(row[period_col], calendar);
    const auto value = parse_number(row[value_col]);
    if (!period || !value) continue;
    series.values[add_payee(row[payee_col])][period_index[*period]] = *value;
  }
  return series;
}

std::optional<int> last_pipeline_day(const PipelineData& pipeline) {
  std::optional<int> last;
  for (const Opportunity& o : pipeline.opportunities)
    for (const auto& day : {o.opened, o.closed})
      if (day && (!last || *day > *last)) last = day;
  return last;
}

Outlook forecast_outlook(const MeasureSeries& series, const PipelineData* pipeline,
                         const Calendar& calendar, const Period& target, int as_of) {
  Outlook outlook;
  outlook.measure = series.measure;
  outlook.period = period_label(target, calendar);
  const int start = period_start(target, calendar).days;
  const int end = period_end(target, calendar).days;
  if (as_of > end) {
    outlook.complete = true;
    as_of = start;
    outlook.notes.push_back("the data covers all of " + outlook.period +
                            ": the forecasts are made as of its start, against the final actual");
  }
  outlook.as_of = as_of;
  const Period known = period_of(Date{as_of}, calendar);  // the first period not yet complete
  std::size_t history_end = 0;
  while (history_end < series.periods.size() && series.periods[history_end] < known) ++history_end;
  if (history_end > 0) {
    outlook.horizon = std::max(1, periods_between(series.periods[history_end - 1], target));
    for (std::size_t p = 0; p < history_end; ++p) outlook.history.push_back(series.labels[p]);
  } else {
    outlook.notes.push_back("no complete period of the run before " + outlook.period +
                            ": no trend");
  }
  const auto target_it = std::find(series.periods.begin(), series.periods.end(), target);
  const bool target_in_run = target_it != series.periods.end();
  const auto target_index = static_cast<std::size_t>(target_it - series.periods.begin());

  PipelineHistory history;
  std::map<std::string, PipelineEstimate> estimates;
  if (pipeline != nullptr) {
    const auto last = last_pipeline_day(*pipeline);
    estimates = pipeline_at(*pipeline, as_of, last && as_of > *last, history);
  } else {
    outlook.notes.push_back("the plan has no pipeline source: no pipeline forecast");
  }
  const bool so_far_counts = as_of > start && as_of <= end;

  double team_var[kMethods] = {0, 0, 0};
  bool team_ok[kMethods] = {true, true, true};
  outlook.team.payee = "team";
  outlook.team.actual = target_in_run ? std::optional<double>(0.0) : std::nullopt;
  for (std::size_t i = 0; i < series.payees.size(); ++i) {
    PayeeOutlook payee;
    payee.payee = series.payees[i];
    if (target_in_run) payee.actual = series.values[i][target_index];
    const double so_far = so_far_counts && payee.actual ? *payee.actual : 0.0;
    if (pipeline != nullptr) {
      const PipelineEstimate estimate = estimate_of(estimates, payee.payee, history);
      payee.methods[kPipeline].forecast = from_estimate(estimate, so_far);
      payee.methods[kPipeline].deals = estimate.deals;
    } else {
      payee.methods[kPipeline].forecast.note = "no pipeline source";
    }
    const std::span<const double> past(series.values[i].data(), history_end);
    for (int m = 1; m < kMethods; ++m) payee.methods[m].forecast = trend(past, m, outlook.horizon);
    for (int m = 0; m < kMethods; ++m) {
      const auto& f = payee.methods[m].forecast;
      team_ok[m] = team_ok[m] && f.ok;
      outlook.team.methods[m].forecast.value += f.value;
      const double half = (f.high - f.low) / 2;
      team_var[m] += half * half;
    }
    if (payee.actual) *outlook.team.actual += *payee.actual;
    outlook.payees.push_back(std::move(payee));
  }
  for (int m = 0; m < kMethods; ++m) {
    auto& f = outlook.team.methods[m].forecast;
    f.ok = team_ok[m] && !outlook.payees.empty();
    if (!f.ok) {
      f = analytics::Forecast{};
      f.note = "not every payee has a " + std::string(forecast_method_name(m)) + " forecast";
      continue;
    }
    const double spread = std::sqrt(team_var[m]);
    f.low = std::max(0.0, f.value - spread);
    f.high = f.value + spread;
  }
  return outlook;
}

Backtest run_backtest(const MeasureSeries& series, const PipelineData* pipeline,
                      const Calendar& calendar) {
  Backtest result;
  result.measure = series.measure;
  if (pipeline == nullptr)
    result.notes.push_back("the plan has no pipeline source: the pipeline method is not tested");
  double error_sum[kMethods] = {0, 0, 0};
  double team_error_sum[kMethods] = {0, 0, 0};
  std::vector<BacktestPoint> team_points;
  for (std::size_t p = 0; p < series.periods.size(); ++p) {
    const int start = period_start(series.periods[p], calendar).days;
    PipelineHistory history;
    std::map<std::string, PipelineEstimate> estimates;
    if (pipeline != nullptr) estimates = pipeline_at(*pipeline, start, false, history);
    BacktestPoint team;
    team.period = series.labels[p];
    bool team_ok[kMethods] = {true, true, true};
    bool any[kMethods] = {false, false, false};
    double team_sum[kMethods] = {0, 0, 0};
    for (std::size_t i = 0; i < series.payees.size(); ++i) {
      BacktestPoint point;
      point.payee = series.payees[i];
      point.period = series.labels[p];
      point.actual = series.values[i][p];
      team.actual += point.actual;
      analytics::Forecast forecasts[kMethods];
      if (pipeline != nullptr)
        forecasts[kPipeline] = from_estimate(estimate_of(estimates, point.payee, history), 0);
      const std::span<const double> past(series.values[i].data(), p);
      for (int m = 1; m < kMethods; ++m) forecasts[m] = trend(past, m, 1);
      for (int m = 0; m < kMethods; ++m) {
        if (!forecasts[m].ok) {
          team_ok[m] = false;
          continue;
        }
        point.predicted[m] = forecasts[m].value;
        team_sum[m] += forecasts[m].value;
        any[m] = true;
        if (point.actual != 0) {
          error_sum[m] += std::fabs(point.actual - forecasts[m].value) / std::fabs(point.actual);
          ++result.scores[m].points;
        }
      }
      if (point.actual == 0) ++result.zero_actuals;
      result.points.push_back(std::move(point));
    }
    for (int m = 0; m < kMethods; ++m) {
      if (any[m]) result.scores[m].periods.push_back(series.labels[p]);
      if (!team_ok[m] || series.payees.empty()) continue;
      team.predicted[m] = team_sum[m];
      if (team.actual != 0) {
        team_error_sum[m] += std::fabs(team.actual - team_sum[m]) / std::fabs(team.actual);
        ++result.scores[m].team_points;
      }
    }
    team_points.push_back(std::move(team));
  }
  for (int m = 0; m < kMethods; ++m) {
    MethodScore& score = result.scores[m];
    if (score.points > 0) score.mape = 100 * error_sum[m] / score.points;
    if (score.team_points > 0) score.team_mape = 100 * team_error_sum[m] / score.team_points;
  }
  result.points.insert(result.points.end(), team_points.begin(), team_points.end());
  return result;
}

}  // namespace tally::cli
