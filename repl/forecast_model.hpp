// The figures of `tally forecast`: a measure's series per payee and period
// from a run, each payee's forecast for one period by every method, and the
// back-test that predicts each period of the run from the ones before it
// (docs/analytics.md). Estimates in doubles; `tally report` can show the
// same Outlook.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "repl/pipeline_data.hpp"
#include "stdlib/forecasting.hpp"

namespace tally::cli {

/// One measure per payee and period of a run, periods in calendar order.
struct MeasureSeries {
  std::string measure;
  std::vector<Period> periods;
  std::vector<std::string> labels;          ///< of `periods`
  std::vector<std::string> payees;          ///< roster order
  std::vector<std::vector<double>> values;  ///< [payee][period]; 0 where the run has no row
};

/// The series of `measure` in the run's measures table; nullopt when the
/// table has no row of it.
std::optional<MeasureSeries> measure_series(const RunResult& run, const std::string& measure,
                                            const Calendar& calendar);

/// The methods, in the order they are shown: pipeline, linear, holt.
inline constexpr int kMethods = 3;
const char* forecast_method_name(int method);

struct MethodForecast {
  analytics::Forecast forecast;
  int deals = -1;  ///< pipeline: open deals counted; -1 for trend methods
};

struct PayeeOutlook {
  std::string payee;
  std::optional<double> actual;  ///< the measure in the period so far; nullopt: not in the run
  MethodForecast methods[kMethods];
  /// The payee's quota in the period, when the plan has one (forecast_quota.hpp):
  /// a forecast's expected attainment is its value / quota.
  std::optional<double> quota;
};

struct Outlook {
  std::string measure;
  std::string period;
  int as_of = 0;          ///< days: what the forecasts know stops the day before
  bool complete = false;  ///< the data covers the whole period (as_of moved to its start)
  std::vector<std::string> history;  ///< the periods the trends learn from
  int horizon = 1;
  std::vector<PayeeOutlook> payees;
  PayeeOutlook team;  ///< the sums (intervals added in quadrature)
  std::vector<std::string> notes;
};

/// The forecast of every payee for `target` from what is known on `as_of`
/// (the day after the last date of the data, for a live forecast).
/// `pipeline` may be null (no pipeline method, noted).
Outlook forecast_outlook(const MeasureSeries& series, const PipelineData* pipeline,
                         const Calendar& calendar, const Period& target, int as_of);

/// The last date of the pipeline data (opened or closed), or nullopt.
std::optional<int> last_pipeline_day(const PipelineData& pipeline);

struct BacktestPoint {
  std::string payee;  ///< "" for the team total
  std::string period;
  double actual = 0;
  std::optional<double> predicted[kMethods];
};

struct MethodScore {
  double mape = 0;  ///< percent; 0 with points = 0 when nothing could be scored
  int points = 0;
  double team_mape = 0;
  int team_points = 0;
  std::vector<std::string> periods;  ///< where the method forecast at least one payee
};

struct Backtest {
  std::string measure;
  std::vector<BacktestPoint> points;  ///< payee-periods, then the team totals
  MethodScore scores[kMethods];
  int zero_actuals = 0;  ///< payee-periods left out of the MAPE (actual 0)
  std::vector<std::string> notes;
};

/// Predicts each period of the series from the periods before it: trends
/// from the earlier values, the pipeline from the deals open at the period's
/// start with rates and sizes learned from deals closed before it. The team
/// total of a period is scored for a method only when it forecast every payee.
Backtest run_backtest(const MeasureSeries& series, const PipelineData* pipeline,
                      const Calendar& calendar);

}  // namespace tally::cli
