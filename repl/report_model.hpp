// What `tally report` shows, worked out from one run of a plan: pay per
// payee, role, team, component and period (exact, from the run's payouts),
// attainment and its distribution, pay against attainment, cost of sales,
// territory balance and a forecast per payee (estimates, in doubles). The
// model is built from plain inputs (report_gather.hpp reads them from the
// engine) so that it can be tested without running a plan; the HTML and
// JSON writers only print it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "repl/cross_sell.hpp"
#include "repl/pipeline_data.hpp"
#include "repl/statement_amount.hpp"
#include "stdlib/distribution.hpp"
#include "stdlib/forecasting.hpp"
#include "tally/tally.hpp"

namespace tally::cli {

/// A figure per payee and period, keyed `payee` then `period`.
using PayeePeriodValues = std::map<std::string, std::map<std::string, std::string>>;

/// Transactions and bookings of one territory (from the territories code).
struct TerritoryFigures {
  std::string name;
  std::size_t transactions = 0;
  Amount bookings;
  bool outside = false;  ///< the rows in no territory: shown, not in the balance
};

/// A payout of the plan that pays by tiers on the attainment scale (an
/// `apply(RATES, X, base: QUOTA)` whose bounds are percents), read from
/// its explanation: what the report draws as the plan's payout curve.
struct TierCurve {
  std::string payout;
  bool marginal = false;
  struct Tier {
    double lower = 0;             ///< percent of the base
    std::optional<double> upper;  ///< none: the open top tier
    double rate = 0;              ///< 0.08 for 8%
  };
  std::vector<Tier> tiers;
  std::vector<double> bases;               ///< the base of each payee-period explained
  std::optional<double> cap;               ///< a fixed per-period cap of the payout
  std::vector<std::string> other_payouts;  ///< the plan's payouts the curve leaves out
};

/// The curve's pay at attainment `percent` for `base`: marginal tiers pay
/// each slice at its rate; otherwise the tier reached pays all of it.
double tier_curve_pay(const TierCurve& curve, double base, double percent);

/// Everything the report is computed from.
struct ReportInput {
  std::string plan_name;
  std::string currency;
  /// The run's payouts, measures and roster tables and its summary (the
  /// exact totals the report must equal).
  ResultTable payouts;
  ResultTable measures;
  ResultTable roster;
  RunSummary summary;
  /// The periods of the run, in calendar order (empty: those of the payouts).
  std::vector<std::string> periods;
  /// The attainment: its name (empty: the plan has none), and its value per
  /// payee and period as the engine prints it (`118.5%`, `1.185`).
  std::string attainment_name;
  PayeePeriodValues attainment;
  /// Why some attainment values are missing (an explanation that failed).
  std::vector<std::string> attainment_notes;
  /// Hint printed when the plan has no attainment (the names it could use).
  std::string attainment_hint;
  /// The plan's payout curve, when a payout pays by tiers on attainment.
  std::optional<TierCurve> curve;
  /// The revenue measure's name (empty: none), its values come from `measures`.
  std::string revenue_name;
  std::string revenue_hint;
  /// Territory names the plan declares; the figures when they could be read.
  std::vector<std::string> territories;
  std::optional<std::vector<TerritoryFigures>> territory_figures;
  std::string territory_note;  ///< why the figures are missing, when they are
  /// The pipeline source's opportunities, when the plan has one.
  std::optional<PipelineData> pipeline;
  std::string pipeline_note;
  /// Accounts buying fewer product lines than their peers (cross_sell.hpp),
  /// when the pipeline names accounts and products and an accounts table is there.
  std::optional<CrossSellResult> cross_sell;
  std::string cross_sell_note;  ///< why there is none
};

/// One payee in one period.
struct PayeePeriod {
  std::string payee;
  std::string period;
  Amount paid;
  std::optional<double> attainment;  ///< percent: 100 = quota
  std::string attainment_text;       ///< as the engine printed it
  std::optional<Amount> revenue;
};

struct PayeeRow {
  std::string id;
  std::string name;
  std::string role;
  std::string team;  ///< the roster's manager, or empty
  Amount paid;
  std::optional<Amount> revenue;
  /// The mean of the payee's attainment over the periods that have one.
  std::optional<double> attainment;
  int attainment_periods = 0;
};

/// An exact amount under a label (a role, a team, a component, a period).
struct LabelledAmount {
  std::string label;
  Amount amount;
};

struct Distribution {
  std::size_t count = 0;
  double minimum = 0, first_quartile = 0, median = 0, third_quartile = 0, maximum = 0;
  std::vector<analytics::Bin> bins;
};

struct PeriodRow {
  std::string period;
  Amount paid;
  std::optional<Amount> revenue;
  std::optional<double> median_attainment;
  std::optional<double> cost_of_sales;  ///< percent of revenue
  bool has_data = false;                ///< any payout or measure row
};

/// A point of the pay-versus-performance scatter.
struct PayPoint {
  std::string payee;
  std::string period;
  double attainment = 0;  ///< percent
  double paid = 0;        ///< for drawing
  Amount paid_exact;      ///< for printing
  bool outlier = false;
};

struct TerritoryRow {
  std::string name;
  std::size_t transactions = 0;
  Amount bookings;
  double share = 0;  ///< percent of all territories' bookings
  bool outside = false;
};

struct ForecastRow {
  std::string payee;
  std::vector<double> history;  ///< the revenue per period, oldest first
  analytics::Forecast linear;
  analytics::Forecast holt;
  /// The open pipeline's expected value (forecast_pipeline.hpp: each open
  /// deal's value times its stage's win rate) and its interval.
  std::optional<double> pipeline;
  std::optional<double> pipeline_low;
  std::optional<double> pipeline_high;
  std::size_t open_deals = 0;
  std::optional<double> win_rate;  ///< percent, learned from closed deals
  std::string pipeline_note;
};

struct ReportModel {
  std::string plan_name;
  std::string currency;
  std::vector<std::string> periods;
  std::string total_paid;  ///< exact, from the run's summary
  std::vector<PayeeRow> payees;
  std::vector<PayeePeriod> cells;  ///< payee-major, periods in order
  std::vector<LabelledAmount> by_role, by_team, by_component;
  std::vector<PeriodRow> by_period;
  std::vector<std::string> notes;  ///< page-wide (periods without data, ...)

  std::string attainment_name;
  std::vector<std::string> attainment_notes;
  std::optional<Distribution> attainment;

  std::vector<PayPoint> pay_points;
  /// The least-squares line of pay on attainment: pay = intercept + slope × a.
  std::optional<std::pair<double, double>> fit;  ///< (intercept, slope)
  /// The plan's curve over the chart's range, for the median base: (x, pay)
  /// points; empty when the plan has no tier payout on attainment.
  std::vector<std::pair<double, double>> plan_curve;
  std::string plan_curve_payout;
  double plan_curve_base = 0;
  std::vector<std::string> pay_notes;

  std::vector<std::size_t> top, bottom;  ///< indices into payees
  std::string ranked_by;                 ///< "attainment", "revenue" or "pay"

  std::string revenue_name;
  std::optional<Amount> revenue;
  std::optional<double> cost_of_sales;  ///< percent
  std::vector<std::string> cost_notes;

  std::vector<TerritoryRow> territories;
  std::optional<double> territory_gini;
  std::optional<double> territory_ratio;
  std::vector<std::string> territory_notes;

  std::vector<ForecastRow> forecasts;
  std::string forecast_of;     ///< what is forecast (the revenue measure's name)
  std::string next_period;     ///< the label forecast
  std::string pipeline_as_of;  ///< the pipeline's cut-off date (the day after its last date)
  std::vector<std::string> forecast_notes;

  std::optional<CrossSellResult> cross_sell;
  std::vector<std::string> cross_sell_notes;
};

/// The attainment as a percent from its printed value: `118.5%` is 118.5,
/// a number without `%` is a ratio (1.185 is 118.5). Nullopt when not a number.
std::optional<double> attainment_percent(const std::string& text);

/// Builds the report; never divides by zero, every missing figure a note.
ReportModel build_report(const ReportInput& input);

/// A percent with `decimals` decimals, `12.35%`; the report's one way of printing estimates.
std::string percent_figure(double percent, int decimals = 1);
/// A number with `decimals` decimals, `0.183`.
std::string decimal_figure(double value, int decimals);
/// An estimate of money with no decimals and thousands separators: `12,346`.
std::string money_estimate(double value);

}  // namespace tally::cli
