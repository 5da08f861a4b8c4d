#include "repl/report_model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>

#include "interpreter/runtime/calendar.hpp"
#include "repl/forecast_model.hpp"
#include "repl/forecast_pipeline.hpp"
#include "repl/statement_tree.hpp"

namespace tally::cli {

namespace {

std::size_t column_of(const ResultTable& table, const std::string& name) {
  const auto it = std::find(table.columns.begin(), table.columns.end(), name);
  return it == table.columns.end() ? table.columns.size() : it - table.columns.begin();
}

std::string cell(const std::vector<std::string>& row, std::size_t column) {
  return column < row.size() ? row[column] : std::string();
}

/// The label after `label` in its calendar when it can be read (`2026-Q4`
/// → `2027-Q1`, `2026-12` → `2027-01`, `2026` → `2027`), else "after LABEL".
std::string next_label(const std::string& label) {
  int year = 0, part = 0;
  char buffer[32];
  if (std::sscanf(label.c_str(), "%4d-Q%1d", &year, &part) == 2 && label.size() == 7) {
    std::snprintf(buffer, sizeof buffer, "%04d-Q%d", part == 4 ? year + 1 : year,
                  part == 4 ? 1 : part + 1);
    return buffer;
  }
  if (std::sscanf(label.c_str(), "%4d-H%1d", &year, &part) == 2 && label.size() == 7) {
    std::snprintf(buffer, sizeof buffer, "%04d-H%d", part == 2 ? year + 1 : year,
                  part == 2 ? 1 : 2);
    return buffer;
  }
  if (label.size() == 7 && std::sscanf(label.c_str(), "%4d-%2d", &year, &part) == 2) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", part == 12 ? year + 1 : year,
                  part == 12 ? 1 : part + 1);
    return buffer;
  }
  if (label.size() == 4 && std::sscanf(label.c_str(), "%4d", &year) == 1) {
    std::snprintf(buffer, sizeof buffer, "%04d", year + 1);
    return buffer;
  }
  return "after " + label;
}

/// Sums per label, in the order the labels first appear.
void add_to(std::vector<LabelledAmount>& list, const std::string& label, const Amount& amount) {
  for (auto& entry : list)
    if (entry.label == label) {
      entry.amount += amount;
      return;
    }
  list.push_back({label, amount});
}

void sort_largest_first(std::vector<LabelledAmount>& list) {
  std::stable_sort(list.begin(), list.end(), [](const LabelledAmount& a, const LabelledAmount& b) {
    return b.amount < a.amount;
  });
}

std::optional<Distribution> distribution_of(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  Distribution d;
  d.count = values.size();
  d.minimum = *std::min_element(values.begin(), values.end());
  d.maximum = *std::max_element(values.begin(), values.end());
  d.first_quartile = analytics::quantile(values, 0.25).value_or(0);
  d.median = analytics::quantile(values, 0.5).value_or(0);
  d.third_quartile = analytics::quantile(values, 0.75).value_or(0);
  // Bins of 25 points of attainment from 0 (or below, for negative
  // attainment) to past the maximum: readable steps around the 100% mark.
  constexpr double kWidth = 25;
  const double low = std::min(0.0, std::floor(d.minimum / kWidth) * kWidth);
  const double high = std::max(low + kWidth, (std::floor(d.maximum / kWidth) + 1) * kWidth);
  std::vector<double> edges;
  for (double edge = low; edge <= high + 1e-9; edge += kWidth) edges.push_back(edge);
  if (edges.size() < 2) edges.push_back(low + kWidth);
  d.bins = analytics::histogram(values, edges);
  return d;
}

/// The open pipeline of each payee as the forecast command weighs it
/// (forecast_pipeline.hpp): learned from the deals closed up to the last
/// date of the data, each open deal at its stage's win rate.
void add_pipeline(const PipelineData& pipeline, std::vector<ForecastRow>& rows, std::string& as_of,
                  std::vector<std::string>& notes) {
  const auto last = last_pipeline_day(pipeline);
  if (!last) {
    notes.push_back(
        "The pipeline has no dates: no deal can be placed in time, so there is no "
        "pipeline forecast.");
    return;
  }
  const int cutoff = *last + 1;
  as_of = format_date(Date{cutoff});
  const PipelineHistory history = learn_pipeline(pipeline.opportunities, cutoff);
  const auto estimates = estimate_pipeline(pipeline.opportunities, history, true);
  if (history.win_rate)
    notes.push_back("Pipeline: win rate " + percent_figure(*history.win_rate * 100) +
                    " learned from " + std::to_string(history.won) + " won and " +
                    std::to_string(history.lost) + " lost deals closed before " + as_of + ".");
  for (auto& row : rows) {
    const auto it = estimates.find(row.payee);
    const PipelineEstimate estimate = it != estimates.end() ? it->second : empty_pipeline(history);
    row.open_deals = static_cast<std::size_t>(estimate.deals);
    if (history.win_rate) row.win_rate = *history.win_rate * 100;
    row.pipeline_note = estimate.note;
    if (!estimate.ok) continue;
    row.pipeline = estimate.value;
    row.pipeline_low = estimate.low;
    row.pipeline_high = estimate.high;
  }
}

}  // namespace

std::string percent_figure(double percent, int decimals) {
  if (!std::isfinite(percent)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f%%", decimals, percent);
  std::string text = buffer;
  return text == "-0.0%" ? "0.0%" : text;
}

std::string decimal_figure(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string money_estimate(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  std::string text = buffer;
  if (text == "-0") text = "0";
  return group_thousands(text);
}

double tier_curve_pay(const TierCurve& curve, double base, double percent) {
  double pay = 0;
  for (const auto& tier : curve.tiers) {
    const double upper = tier.upper.value_or(std::max(percent, tier.lower));
    if (curve.marginal) {
      pay += tier.rate * std::max(0.0, std::min(percent, upper) - tier.lower);
    } else if (percent >= tier.lower && (!tier.upper || percent < *tier.upper)) {
      pay = tier.rate * percent;
    }
  }
  pay = pay * base / 100;
  if (curve.cap) pay = std::min(pay, *curve.cap);
  return pay;
}

std::optional<double> attainment_percent(const std::string& text) {
  const auto number = parse_number(text);
  if (!number || !std::isfinite(number->number)) return std::nullopt;
  if (number->unit == "%") return number->number;
  if (!number->unit.empty()) return std::nullopt;
  return number->number * 100;
}

ReportModel build_report(const ReportInput& input) {
  ReportModel m;
  m.plan_name = input.plan_name;
  m.currency = input.currency;
  m.total_paid = input.summary.total_paid;
  m.attainment_name = input.attainment_name;
  m.revenue_name = input.revenue_name;

  // ---- periods and payees
  const std::size_t p_payee = column_of(input.payouts, "payee");
  const std::size_t p_period = column_of(input.payouts, "period");
  const std::size_t p_component = column_of(input.payouts, "component");
  const std::size_t p_amount = column_of(input.payouts, "amount");
  m.periods = input.periods;
  if (m.periods.empty())
    for (const auto& [label, amount] : input.summary.paid_by_period) m.periods.push_back(label);
  std::set<std::string> known_periods(m.periods.begin(), m.periods.end());
  for (const auto& row : input.payouts.rows)
    if (known_periods.insert(cell(row, p_period)).second) m.periods.push_back(cell(row, p_period));

  // the key column is `payee`; the first one when a host names it otherwise
  std::size_t r_id = column_of(input.roster, "payee");
  if (r_id == input.roster.columns.size()) r_id = 0;
  const std::size_t r_name = column_of(input.roster, "name");
  const std::size_t r_role = column_of(input.roster, "role");
  const std::size_t r_manager = column_of(input.roster, "manager");
  std::map<std::string, std::size_t> payee_index;
  std::map<std::string, std::string> names;
  for (const auto& row : input.roster.rows) names[cell(row, r_id)] = cell(row, r_name);
  auto add_payee = [&](const std::string& id) {
    if (payee_index.count(id)) return;
    payee_index[id] = m.payees.size();
    PayeeRow p;
    p.id = id;
    m.payees.push_back(p);
  };
  // payees of the run only: the payouts table is restricted by --payee
  for (const auto& row : input.payouts.rows) add_payee(cell(row, p_payee));
  for (const auto& row : input.roster.rows) {
    const auto it = payee_index.find(cell(row, r_id));
    if (it == payee_index.end()) continue;
    PayeeRow& p = m.payees[it->second];
    p.name = cell(row, r_name);
    p.role = cell(row, r_role);
    const std::string manager = cell(row, r_manager);
    const auto named = names.find(manager);
    p.team = named != names.end() && !named->second.empty() ? named->second : manager;
  }

  std::map<std::pair<std::string, std::string>, std::size_t> cell_index;
  for (const auto& payee : m.payees)
    for (const auto& period : m.periods) {
      cell_index[{payee.id, period}] = m.cells.size();
      m.cells.push_back({payee.id, period, Amount{}, std::nullopt, {}, std::nullopt});
    }
  std::map<std::string, bool> period_has_data;
  for (const auto& row : input.payouts.rows) {
    const Amount amount = Amount::parse(cell(row, p_amount)).value_or(Amount{});
    const std::string payee = cell(row, p_payee);
    const std::string period = cell(row, p_period);
    m.cells[cell_index[{payee, period}]].paid += amount;
    m.payees[payee_index[payee]].paid += amount;
    add_to(m.by_component, cell(row, p_component), amount);
    if (!amount.zero()) period_has_data[period] = true;
  }
  // the run's own component order and totals when it gives them
  if (!input.summary.paid_by_component.empty()) {
    m.by_component.clear();
    for (const auto& [label, amount] : input.summary.paid_by_component)
      m.by_component.push_back({label, Amount::parse(amount).value_or(Amount{})});
  }

  // ---- revenue (a measure)
  const std::size_t m_payee = column_of(input.measures, "payee");
  const std::size_t m_period = column_of(input.measures, "period");
  const std::size_t m_measure = column_of(input.measures, "measure");
  const std::size_t m_value = column_of(input.measures, "value");
  for (const auto& row : input.measures.rows) {
    const std::string period = cell(row, m_period);
    // the run writes every measure of every period, 0 when nothing counted
    if (const auto value = Amount::parse(cell(row, m_value)); value && !value->zero())
      period_has_data[period] = true;
    if (input.revenue_name.empty() || cell(row, m_measure) != input.revenue_name) continue;
    const auto it = cell_index.find({cell(row, m_payee), period});
    const auto value = Amount::parse(cell(row, m_value));
    if (it == cell_index.end() || !value) continue;
    PayeePeriod& c = m.cells[it->second];
    c.revenue = c.revenue.value_or(Amount{}) + *value;
  }

  // ---- attainment
  m.attainment_notes = input.attainment_notes;
  std::vector<double> all_attainment;
  int not_numbers = 0;
  for (auto& c : m.cells) {
    const auto payee = input.attainment.find(c.payee);
    if (payee == input.attainment.end()) continue;
    const auto value = payee->second.find(c.period);
    if (value == payee->second.end()) continue;
    c.attainment_text = value->second;
    c.attainment = attainment_percent(value->second);
    if (!c.attainment && ++not_numbers <= 5)
      m.attainment_notes.push_back(input.attainment_name + " of " + c.payee + " in " + c.period +
                                   " is not a number (" + value->second + ")");
  }
  if (not_numbers > 5)
    m.attainment_notes.push_back("... and " + std::to_string(not_numbers - 5) +
                                 " more values that are not numbers.");
  for (auto& p : m.payees) {
    double sum = 0;
    for (const auto& period : m.periods) {
      const PayeePeriod& c = m.cells[cell_index[{p.id, period}]];
      if (c.revenue) p.revenue = p.revenue.value_or(Amount{}) + *c.revenue;
      if (!c.attainment) continue;
      sum += *c.attainment;
      ++p.attainment_periods;
      all_attainment.push_back(*c.attainment);
    }
    if (p.attainment_periods > 0) p.attainment = sum / p.attainment_periods;
  }
  if (input.attainment_name.empty()) {
    m.attainment_notes.insert(m.attainment_notes.begin(),
                              "The plan declares no attainment. " + input.attainment_hint);
  } else if (all_attainment.empty()) {
    m.attainment_notes.push_back("No payee has a value of " + input.attainment_name +
                                 " in the periods of the run.");
  }
  m.attainment = distribution_of(all_attainment);

  // ---- pay versus performance
  std::vector<double> xs, ys;
  for (const auto& c : m.cells) {
    if (!c.attainment) continue;
    m.pay_points.push_back({c.payee, c.period, *c.attainment, c.paid.to_double(), c.paid, false});
    xs.push_back(*c.attainment);
    ys.push_back(c.paid.to_double());
  }
  if (m.pay_points.empty()) {
    m.pay_notes.push_back(
        "No pay-versus-performance chart: it needs an attainment value per "
        "payee and period.");
  } else {
    for (const std::size_t i : analytics::outliers(xs, ys)) m.pay_points[i].outlier = true;
    const double n = static_cast<double>(xs.size());
    const double mx = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
    const double my = std::accumulate(ys.begin(), ys.end(), 0.0) / n;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      sxx += (xs[i] - mx) * (xs[i] - mx);
      sxy += (xs[i] - mx) * (ys[i] - my);
    }
    if (xs.size() >= 2 && sxx > 0) {
      m.fit = std::make_pair(my - sxy / sxx * mx, sxy / sxx);
    } else {
      m.pay_notes.push_back("No fitted line: every point has the same attainment.");
    }
    if (input.curve && !input.curve->bases.empty() && !input.curve->tiers.empty()) {
      const TierCurve& curve = *input.curve;
      m.plan_curve_payout = curve.payout;
      m.plan_curve_base = analytics::quantile(curve.bases, 0.5).value_or(0);
      const double low = std::min(0.0, *std::min_element(xs.begin(), xs.end()));
      const double high = std::max(100.0, *std::max_element(xs.begin(), xs.end()));
      constexpr int kSteps = 120;
      for (int i = 0; i <= kSteps; ++i) {
        const double x = low + (high - low) * i / kSteps;
        m.plan_curve.emplace_back(x, tier_curve_pay(curve, m.plan_curve_base, x));
      }
      std::string others;
      for (const auto& name : curve.other_payouts) others += (others.empty() ? "" : ", ") + name;
      if (!others.empty())
        m.pay_notes.push_back("The plan's curve is " + curve.payout +
                              " alone; the points also include " + others + ".");
    } else {
      m.pay_notes.push_back(
          "The plan has no payout paid by tiers on attainment (an apply with a quota base), so "
          "no single payout curve can be drawn: the line is the fitted relation.");
    }
    if (xs.size() < 3)
      m.pay_notes.push_back("Outliers need at least 3 points; there are " +
                            std::to_string(xs.size()) + ".");
  }

  // ---- by role, team, period
  for (const auto& p : m.payees) {
    add_to(m.by_role, p.role.empty() ? "(no role)" : p.role, p.paid);
    add_to(m.by_team, p.team.empty() ? "(no manager)" : p.team, p.paid);
  }
  sort_largest_first(m.by_role);
  sort_largest_first(m.by_team);
  for (const auto& period : m.periods) {
    PeriodRow row;
    row.period = period;
    row.has_data = period_has_data.count(period) > 0;
    std::vector<double> values;
    for (const auto& p : m.payees) {
      const PayeePeriod& c = m.cells[cell_index[{p.id, period}]];
      row.paid += c.paid;
      if (c.revenue) row.revenue = row.revenue.value_or(Amount{}) + *c.revenue;
      if (c.attainment) values.push_back(*c.attainment);
    }
    row.median_attainment = analytics::quantile(values, 0.5);
    if (row.revenue && !row.revenue->zero() && !row.revenue->negative())
      row.cost_of_sales = row.paid.to_double() / row.revenue->to_double() * 100;
    if (!row.has_data)
      m.notes.push_back("Period " + period +
                        " has no data: every payout and every measure in it is 0.");
    m.by_period.push_back(std::move(row));
  }

  // ---- top and bottom performers
  std::vector<std::size_t> order(m.payees.size());
  std::iota(order.begin(), order.end(), 0);
  const bool by_attainment =
      std::any_of(m.payees.begin(), m.payees.end(), [](const PayeeRow& p) { return p.attainment; });
  const bool by_revenue =
      std::any_of(m.payees.begin(), m.payees.end(), [](const PayeeRow& p) { return p.revenue; });
  m.ranked_by = by_attainment ? "attainment" : by_revenue ? "revenue" : "pay";
  auto score = [&](const PayeeRow& p) -> std::optional<double> {
    if (by_attainment) return p.attainment;
    if (by_revenue) return p.revenue ? std::optional<double>(p.revenue->to_double()) : std::nullopt;
    return p.paid.to_double();
  };
  std::vector<std::size_t> ranked;
  for (const std::size_t i : order)
    if (score(m.payees[i])) ranked.push_back(i);
  std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
    const double sa = *score(m.payees[a]), sb = *score(m.payees[b]);
    return sa != sb ? sa > sb : m.payees[a].id < m.payees[b].id;
  });
  const std::size_t shown = std::min<std::size_t>(5, ranked.size() / 2 + ranked.size() % 2);
  m.top.assign(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(shown));
  const std::size_t bottom = std::min<std::size_t>(5, ranked.size() - shown);
  m.bottom.assign(ranked.end() - static_cast<std::ptrdiff_t>(bottom), ranked.end());
  std::reverse(m.bottom.begin(), m.bottom.end());

  // ---- cost of sales
  if (input.revenue_name.empty()) {
    m.cost_notes.push_back("No cost of sales: the plan has no revenue measure. " +
                           input.revenue_hint);
  } else {
    Amount revenue;
    bool any = false;
    for (const auto& p : m.payees)
      if (p.revenue) {
        revenue += *p.revenue;
        any = true;
      }
    m.revenue = revenue;
    if (!any || revenue.zero()) {
      m.cost_notes.push_back("No cost of sales: the revenue (" + input.revenue_name +
                             ") is 0 over the run.");
    } else if (revenue.negative()) {
      m.cost_notes.push_back("No cost of sales: the revenue (" + input.revenue_name +
                             ") is negative over the run.");
    } else {
      const Amount total = Amount::parse(m.total_paid).value_or(Amount{});
      m.cost_of_sales = total.to_double() / revenue.to_double() * 100;
    }
    for (const auto& row : m.by_period)
      if (row.has_data && !row.cost_of_sales)
        m.cost_notes.push_back("No cost of sales in " + row.period + ": its revenue is " +
                               (row.revenue ? row.revenue->plain(2) : std::string("0")) + ".");
  }

  // ---- territories
  if (input.territories.empty()) {
    m.territory_notes.push_back("The plan declares no territories: there is no territory balance.");
  } else if (!input.territory_figures) {
    m.territory_notes.push_back(input.territory_note.empty()
                                    ? "The territories' figures could not be read."
                                    : input.territory_note);
  } else {
    Amount all;
    for (const auto& t : *input.territory_figures)
      if (!t.outside) all += t.bookings;
    std::vector<double> bookings;
    for (const auto& t : *input.territory_figures) {
      TerritoryRow row{t.name, t.transactions, t.bookings, 0, t.outside};
      if (!t.outside && !all.zero() && !all.negative())
        row.share = t.bookings.to_double() / all.to_double() * 100;
      if (t.outside)
        m.territory_notes.push_back(std::to_string(t.transactions) +
                                    " transactions fall in no territory; they are listed but not "
                                    "part of the balance.");
      else if (t.transactions == 0)
        m.territory_notes.push_back("Territory " + t.name +
                                    " has no transactions: its bookings are 0.");
      if (!t.outside) bookings.push_back(t.bookings.to_double());
      m.territories.push_back(std::move(row));
    }
    m.territory_gini = analytics::gini(bookings);
    m.territory_ratio = analytics::max_min_ratio(bookings);
    if (!m.territory_gini)
      m.territory_notes.push_back(
          "No Gini coefficient: it needs bookings that are not negative and not all 0.");
    if (!m.territory_ratio)
      m.territory_notes.push_back(
          "No max/min ratio: the smallest territory's bookings are 0 or less.");
  }

  // ---- forecast
  if (input.revenue_name.empty()) {
    m.forecast_notes.push_back("No trend forecast: the plan has no revenue measure to forecast. " +
                               input.revenue_hint);
  }
  if (!m.periods.empty() && (!input.revenue_name.empty() || input.pipeline)) {
    m.forecast_of = input.revenue_name;
    m.next_period = next_label(m.periods.back());
    for (const auto& p : m.payees) {
      ForecastRow row;
      row.payee = p.id;
      for (const auto& period : m.periods) {
        const PayeePeriod& c = m.cells[cell_index[{p.id, period}]];
        row.history.push_back(c.revenue ? c.revenue->to_double() : 0.0);
      }
      if (!input.revenue_name.empty()) {
        row.linear = analytics::forecast(row.history, analytics::ForecastMethod::linear, 1);
        row.holt = analytics::forecast(row.history, analytics::ForecastMethod::holt, 1);
      }
      m.forecasts.push_back(std::move(row));
    }
    if (!input.revenue_name.empty() &&
        static_cast<int>(m.periods.size()) <
            analytics::minimum_history(analytics::ForecastMethod::holt))
      m.forecast_notes.push_back(
          "The history is too short for some forecasts: " + std::to_string(m.periods.size()) +
          " period(s); the linear trend needs " +
          std::to_string(analytics::minimum_history(analytics::ForecastMethod::linear)) +
          " and Holt's smoothing " +
          std::to_string(analytics::minimum_history(analytics::ForecastMethod::holt)) + ".");
  }
  if (input.pipeline) {
    add_pipeline(*input.pipeline, m.forecasts, m.pipeline_as_of, m.forecast_notes);
    for (const auto& note : input.pipeline->notes) m.forecast_notes.push_back(note);
  } else if (!input.pipeline_note.empty()) {
    m.forecast_notes.push_back(input.pipeline_note);
  }

  // ---- cross-sell
  m.cross_sell = input.cross_sell;
  if (m.cross_sell) {
    m.cross_sell_notes = m.cross_sell->notes;
    if (m.cross_sell->gaps.empty())
      m.cross_sell_notes.push_back("No account buys fewer product lines than its peers.");
  } else {
    m.cross_sell_notes.push_back(input.cross_sell_note.empty() ? "No cross-sell analysis."
                                                               : input.cross_sell_note);
  }
  return m;
}

}  // namespace tally::cli
