#include "repl/report_html.hpp"

#include <algorithm>
#include <cmath>

#include "repl/svg_chart.hpp"

namespace tally::cli {

namespace {

// System fonts, tabular figures, and a print layout that keeps each chart
// and short table whole; nothing is hidden on screen or on paper.
constexpr const char* kStyle = R"(
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee4; --soft: #f5f7fa; --accent: #3e6fa8;
  --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1000px; margin: 24px auto; background: #fff; padding: 32px 40px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }
header { border-bottom: 2px solid var(--ink); padding-bottom: 12px; margin-bottom: 20px; }
.plan { font-size: 13px; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
h1 { font-size: 24px; margin: 4px 0 10px; font-weight: 600; }
h2 { font-size: 16px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line);
  font-weight: 600; }
h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 600; }
.summary { display: flex; gap: 28px; align-items: baseline; flex-wrap: wrap; background: var(--soft);
  border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: 14px 18px; }
.summary .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; display: block; }
.summary .total { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.summary .fact { font-size: 15px; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px;
  border-bottom: 1px solid var(--ink); padding: 4px 8px; }
td { padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { border-top: 1px solid var(--ink); border-bottom: 0; font-weight: 600; }
td.neg { color: var(--bad); }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0; }
.range { color: var(--muted); font-size: 11px; }
td.note-cell { color: var(--muted); font-size: 12px; }
.note::before { content: "Note: "; font-weight: 600; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 28px; }
svg.chart { width: 100%; max-width: 680px; height: auto; display: block; margin: 6px 0; }
svg .tick { font-size: 11px; fill: #616e7c; }
svg .mark { font-size: 11px; fill: #1f2933; font-weight: 600; }
svg .figure { font-size: 11px; fill: #1f2933; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted);
  font-size: 12px; }
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  section, svg.chart, .summary, table { break-inside: avoid; }
  table.long { break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  .cols { grid-template-columns: 1fr 1fr; }
}
)";

std::string e(const std::string& text) {
  return escape_markup(text);
}

std::string amount_cell(const Amount& amount, const std::string& css = "") {
  return "<td class=\"num" + std::string(amount.negative() ? " neg" : "") +
         (css.empty() ? "" : " " + css) + "\">" + e(amount.grouped(2)) + "</td>";
}

std::string text_cell(const std::string& text, const std::string& css = "") {
  return "<td" + (css.empty() ? std::string() : " class=\"" + css + "\"") + ">" + e(text) + "</td>";
}

std::string num_cell(const std::string& text, const std::string& css = "") {
  return "<td class=\"num" + (css.empty() ? std::string() : " " + css) + "\">" + e(text) + "</td>";
}

std::string notes(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& note : list) out += "<p class=\"note\">" + e(note) + "</p>\n";
  return out;
}

std::string head_row(const std::vector<std::pair<std::string, bool>>& columns) {
  std::string out = "<thead><tr>";
  for (const auto& [name, numeric] : columns)
    out += std::string(numeric ? "<th class=\"num\">" : "<th>") + e(name) + "</th>";
  return out + "</tr></thead>";
}

std::string payee_label(const ReportModel& m, const std::string& id) {
  for (const auto& p : m.payees)
    if (p.id == id) return p.name.empty() ? id : p.name + " (" + id + ")";
  return id;
}

std::string maybe_percent(const std::optional<double>& value, int decimals = 1) {
  return value ? percent_figure(*value, decimals) : "—";
}

std::string amounts_section(const std::string& id, const std::string& title,
                            const std::string& label, const std::vector<LabelledAmount>& list,
                            const std::string& empty_note) {
  std::string out = "<section id=\"" + id + "\"><h3>" + e(title) + "</h3>\n";
  if (list.empty()) return out + notes({empty_note}) + "</section>\n";
  std::vector<ChartBar> bars;
  for (const auto& entry : list)
    bars.push_back({entry.label, entry.amount.to_double(), entry.amount.grouped(2)});
  out += bar_chart(bars, title) + "\n<table class=\"amounts\">" +
         head_row({{label, false}, {"Paid", true}}) + "<tbody>";
  for (const auto& entry : list)
    out += "<tr data-label=\"" + e(entry.label) + "\">" + text_cell(entry.label) +
           amount_cell(entry.amount) + "</tr>";
  return out + "</tbody></table></section>\n";
}

std::string attainment_section(const ReportModel& m) {
  std::string out = "<section id=\"attainment\"><h2>Attainment distribution</h2>\n";
  if (!m.attainment) {
    out += notes(m.attainment_notes);
    return out + "</section>\n";
  }
  const Distribution& d = *m.attainment;
  out += "<p>" + e(m.attainment_name) + " over " + std::to_string(d.count) +
         " payee-periods: median <b>" + percent_figure(d.median) + "</b>, quartiles " +
         percent_figure(d.first_quartile) + " and " + percent_figure(d.third_quartile) +
         ", range " + percent_figure(d.minimum) + " to " + percent_figure(d.maximum) + ".</p>\n";
  std::vector<ChartBar> bars;
  for (const auto& bin : d.bins)
    bars.push_back(
        {percent_figure(bin.low, 0), static_cast<double>(bin.count), std::to_string(bin.count)});
  out += column_chart(bars, "Payee-periods per attainment band of 25 points (band starts shown)");
  out += "<table class=\"quartiles\">" +
         head_row({{"Minimum", true},
                   {"First quartile", true},
                   {"Median", true},
                   {"Third quartile", true},
                   {"Maximum", true}}) +
         "<tbody><tr>" + num_cell(percent_figure(d.minimum)) +
         num_cell(percent_figure(d.first_quartile)) + num_cell(percent_figure(d.median)) +
         num_cell(percent_figure(d.third_quartile)) + num_cell(percent_figure(d.maximum)) +
         "</tr></tbody></table>\n";
  return out + notes(m.attainment_notes) + "</section>\n";
}

std::string pay_section(const ReportModel& m) {
  std::string out = "<section id=\"pay-performance\"><h2>Pay versus performance</h2>\n";
  if (m.pay_points.empty()) {
    out += notes(m.pay_notes);
    if (!m.attainment_name.empty() || !m.attainment_notes.empty())
      out += notes(
          {m.attainment_name.empty() ? m.attainment_notes.front() : "See the attainment section."});
    return out + "</section>\n";
  }
  std::vector<ScatterPoint> points;
  double low = 0, high = 0;
  for (const auto& p : m.pay_points) {
    points.push_back({p.attainment, p.paid, payee_label(m, p.payee) + " " + p.period, p.outlier});
    low = std::min(low, p.attainment);
    high = std::max(high, p.attainment);
  }
  std::vector<std::pair<double, double>> fitted;
  if (m.fit)
    for (const double x : {low, high}) fitted.emplace_back(x, m.fit->first + m.fit->second * x);
  out += "<p>Each point is one payee in one period: " + e(m.attainment_name) + " across, pay (" +
         e(m.currency) + ") up. ";
  if (!m.plan_curve.empty())
    out += "The solid line is the plan's payout curve: what <code>" + e(m.plan_curve_payout) +
           "</code> pays at each attainment for a payee with the median base (quota) of " +
           e(money_estimate(m.plan_curve_base)) + " " + e(m.currency) +
           ", from its tiers and cap. The dashed line is the least-squares fit of pay on "
           "attainment. ";
  else
    out +=
        "The dashed line is the least-squares fit of pay on attainment (the plan has no "
        "single payout curve). ";
  out += "Outliers, more than two standard deviations from the fitted line, are named.</p>\n";
  out += scatter_chart(points, m.plan_curve, fitted, m.attainment_name + " (%)",
                       "Pay (" + m.currency + ")", "Pay against attainment per payee and period");
  if (m.fit)
    out += "<p class=\"fit\">Fitted: pay ≈ " + money_estimate(m.fit->first) + " + " +
           money_estimate(m.fit->second) + " per point of attainment.</p>\n";
  std::vector<const PayPoint*> outliers;
  for (const auto& p : m.pay_points)
    if (p.outlier) outliers.push_back(&p);
  if (outliers.empty()) {
    out += "<p>No outliers.</p>\n";
  } else {
    out += "<h3>Outliers</h3><table class=\"outliers\">" +
           head_row({{"Payee", false}, {"Period", false}, {"Attainment", true}, {"Paid", true}}) +
           "<tbody>";
    for (const PayPoint* p : outliers)
      out += "<tr>" + text_cell(payee_label(m, p->payee)) + text_cell(p->period) +
             num_cell(percent_figure(p->attainment)) + amount_cell(p->paid_exact) + "</tr>";
    out += "</tbody></table>\n";
  }
  return out + notes(m.pay_notes) + "</section>\n";
}

std::string payouts_section(const ReportModel& m) {
  std::string out = "<section id=\"payouts\"><h2>Payouts</h2>\n<div class=\"cols\">";
  out += amounts_section("by-role", "By role", "Role", m.by_role, "No payouts.");
  out += amounts_section("by-team", "By team (the roster's manager)", "Team", m.by_team,
                         "No payouts.");
  out += "</div>";
  out +=
      amounts_section("by-component", "By component", "Component", m.by_component, "No payouts.");
  out += "<h3>By payee</h3><table id=\"payees\" class=\"long\">" +
         head_row({{"Payee", false},
                   {"Role", false},
                   {"Team", false},
                   {"Attainment (mean)", true},
                   {m.revenue_name.empty() ? "Revenue" : m.revenue_name, true},
                   {"Paid", true}}) +
         "<tbody>";
  for (const auto& p : m.payees)
    out += "<tr data-payee=\"" + e(p.id) + "\">" + text_cell(payee_label(m, p.id)) +
           text_cell(p.role) + text_cell(p.team) + num_cell(maybe_percent(p.attainment)) +
           num_cell(p.revenue ? p.revenue->grouped(2) : "—") + amount_cell(p.paid, "paid") +
           "</tr>";
  out += "<tr class=\"total\"><td colspan=\"5\">Total</td>" +
         amount_cell(Amount::parse(m.total_paid).value_or(Amount{}), "total-paid") + "</tr>";
  return out + "</tbody></table></section>\n";
}

std::string trends_section(const ReportModel& m) {
  std::string out = "<section id=\"trends\"><h2>Trends per period</h2>\n";
  if (m.by_period.empty()) return out + notes({"The run has no periods."}) + "</section>\n";
  std::vector<ChartBar> bars;
  for (const auto& row : m.by_period)
    bars.push_back({row.period, row.paid.to_double(), row.paid.grouped(2)});
  out += column_chart(bars, "Paid per period (" + m.currency + ")");
  out += "<table id=\"periods\">" +
         head_row({{"Period", false},
                   {"Paid", true},
                   {m.revenue_name.empty() ? "Revenue" : m.revenue_name, true},
                   {"Cost of sales", true},
                   {"Median attainment", true}}) +
         "<tbody>";
  for (const auto& row : m.by_period)
    out += "<tr data-period=\"" + e(row.period) + "\">" + text_cell(row.period) +
           amount_cell(row.paid) + num_cell(row.revenue ? row.revenue->grouped(2) : "—") +
           num_cell(maybe_percent(row.cost_of_sales, 2)) +
           num_cell(row.has_data ? maybe_percent(row.median_attainment) : "no data") + "</tr>";
  return out + "</tbody></table>\n" + notes(m.notes) + "</section>\n";
}

std::string performers_section(const ReportModel& m) {
  std::string out = "<section id=\"performers\"><h2>Top and bottom performers</h2>\n";
  if (m.top.empty()) return out + notes({"No payee to rank."}) + "</section>\n";
  out += "<p>Ranked by " +
         e(m.ranked_by == "attainment" ? "mean " + m.attainment_name : m.ranked_by) +
         ".</p>\n<div class=\"cols\">";
  auto table = [&](const std::string& title, const std::string& css,
                   const std::vector<std::size_t>& list) {
    std::string t = "<div><h3>" + e(title) + "</h3><table class=\"" + css + "\">" +
                    head_row({{"Payee", false}, {"Score", true}, {"Paid", true}}) + "<tbody>";
    for (const std::size_t i : list) {
      const PayeeRow& p = m.payees[i];
      const std::string score = m.ranked_by == "attainment" ? maybe_percent(p.attainment)
                                : m.ranked_by == "revenue"
                                    ? (p.revenue ? p.revenue->grouped(2) : "—")
                                    : p.paid.grouped(2);
      t += "<tr>" + text_cell(payee_label(m, p.id)) + num_cell(score) + amount_cell(p.paid) +
           "</tr>";
    }
    return t + "</tbody></table></div>";
  };
  out += table("Top", "top", m.top);
  out += m.bottom.empty()
             ? "<div>" + notes({"Too few payees for a separate bottom list."}) + "</div>"
             : table("Bottom", "bottom", m.bottom);
  return out + "</div></section>\n";
}

std::string cost_section(const ReportModel& m) {
  std::string out = "<section id=\"cost-of-sales\"><h2>Cost of sales</h2>\n";
  if (m.cost_of_sales && m.revenue) {
    out +=
        "<div class=\"summary\"><div><span class=\"label\">Incentive cost</span><span "
        "class=\"fact\">" +
        e(Amount::parse(m.total_paid).value_or(Amount{}).grouped(2)) + " " + e(m.currency) +
        "</span></div><div><span class=\"label\">Revenue (" + e(m.revenue_name) +
        ")</span><span class=\"fact\">" + e(m.revenue->grouped(2)) + " " + e(m.currency) +
        "</span></div><div><span class=\"label\">Cost of sales</span><span class=\"total\" "
        "id=\"cost-ratio\">" +
        percent_figure(*m.cost_of_sales, 2) + "</span></div></div>\n";
  }
  return out + notes(m.cost_notes) + "</section>\n";
}

std::string territory_section(const ReportModel& m) {
  std::string out = "<section id=\"territories\"><h2>Territory balance</h2>\n";
  if (!m.territories.empty()) {
    std::vector<ChartBar> bars;
    for (const auto& t : m.territories)
      if (!t.outside) bars.push_back({t.name, t.bookings.to_double(), t.bookings.grouped(2)});
    out += bar_chart(bars, "Bookings per territory (" + m.currency + ")");
    out +=
        "<table id=\"territory-table\">" +
        head_row(
            {{"Territory", false}, {"Transactions", true}, {"Bookings", true}, {"Share", true}}) +
        "<tbody>";
    for (const auto& t : m.territories)
      out += "<tr>" + text_cell(t.name) + num_cell(std::to_string(t.transactions)) +
             amount_cell(t.bookings) + num_cell(t.outside ? "—" : percent_figure(t.share)) +
             "</tr>";
    out += "</tbody></table>\n<p>Gini coefficient: <b>" +
           (m.territory_gini ? decimal_figure(*m.territory_gini, 3) : "—") +
           "</b> (0 = equal); max/min: <b>" +
           (m.territory_ratio ? decimal_figure(*m.territory_ratio, 2) : "—") + "</b>.</p>\n";
  }
  return out + notes(m.territory_notes) + "</section>\n";
}

/// An estimate with its interval on a second, smaller line (narrow columns).
std::string estimate_cell(double value, double low, double high) {
  return "<td class=\"num\">" + e(money_estimate(value)) + "<br><span class=\"range\">" +
         e(money_estimate(low)) + " … " + e(money_estimate(high)) + "</span></td>";
}

std::string forecast_cell(const analytics::Forecast& f) {
  if (!f.ok)
    return "<td class=\"note-cell\">" + e(f.note.empty() ? "no forecast" : f.note) + "</td>";
  return estimate_cell(f.value, f.low, f.high);
}

std::string forecast_section(const ReportModel& m) {
  std::string out = "<section id=\"forecast\"><h2>Forecast</h2>\n";
  if (m.forecasts.empty()) return out + notes(m.forecast_notes) + "</section>\n";
  const bool trend = !m.forecast_of.empty();
  const bool pipeline = std::any_of(m.forecasts.begin(), m.forecasts.end(),
                                    [](const ForecastRow& r) { return r.pipeline.has_value(); });
  out +=
      "<p>Expected " + e(trend ? m.forecast_of : std::string("value")) + " of each payee in " +
      e(m.next_period) +
      (trend ? ": by linear trend and by Holt's smoothing over the periods of the run, each with "
               "an 80% interval"
             : std::string()) +
      (pipeline ? std::string(trend ? "; and " : ": ") + "by the open pipeline as of " +
                      m.pipeline_as_of +
                      ", each open deal's value times its stage's win rate learned from the "
                      "deals closed before"
                : std::string()) +
      ". Estimates, rounded to whole " + e(m.currency) + ".</p>\n";
  if (trend) {
    // the whole team's series and its forecasts, as one chart
    std::vector<SeriesPoint> history;
    for (std::size_t q = 0; q < m.periods.size(); ++q) {
      double sum = 0;
      for (const auto& row : m.forecasts) sum += q < row.history.size() ? row.history[q] : 0;
      history.push_back({m.periods[q], sum, std::nullopt, std::nullopt});
    }
    std::vector<double> sums;
    for (const auto& point : history) sums.push_back(point.value);
    std::vector<SeriesPoint> ahead;
    for (const auto method : {analytics::ForecastMethod::linear, analytics::ForecastMethod::holt}) {
      const auto f = analytics::forecast(sums, method, 1);
      if (f.ok)
        ahead.push_back(
            {m.next_period + " " + analytics::method_name(method), f.value, f.low, f.high});
    }
    out += series_chart(
        history, ahead,
        "Team " + m.forecast_of + " per period and its forecasts for " + m.next_period);
    if (ahead.empty())
      out += notes({"No team forecast: the history of " + std::to_string(sums.size()) +
                    " period(s) is too short."});
  }
  const bool pipeline_notes =
      pipeline && std::any_of(m.forecasts.begin(), m.forecasts.end(),
                              [](const ForecastRow& r) { return !r.pipeline_note.empty(); });
  std::vector<std::pair<std::string, bool>> head = {{"Payee", false}};
  if (trend) {
    head.push_back({"Last period", true});
    head.push_back({"Linear trend", true});
    head.push_back({"Holt", true});
  }
  if (pipeline) {
    head.push_back({"Open deals", true});
    head.push_back({"Pipeline", true});
    if (pipeline_notes) head.push_back({"Pipeline notes", false});
  }
  out += "<table id=\"forecast-table\" class=\"long\">" + head_row(head) + "<tbody>";
  for (const auto& row : m.forecasts) {
    out += "<tr>" + text_cell(payee_label(m, row.payee));
    if (trend) {
      out += num_cell(row.history.empty() ? "—" : money_estimate(row.history.back()));
      out += forecast_cell(row.linear) + forecast_cell(row.holt);
    }
    if (pipeline) {
      out += num_cell(std::to_string(row.open_deals));
      out += row.pipeline ? estimate_cell(*row.pipeline, row.pipeline_low.value_or(0),
                                          row.pipeline_high.value_or(0))
                          : num_cell("—");
      if (pipeline_notes) out += text_cell(row.pipeline_note, "note-cell");
    }
    out += "</tr>";
  }
  return out + "</tbody></table>\n" + notes(m.forecast_notes) + "</section>\n";
}

std::string cross_sell_section(const ReportModel& m) {
  std::string out = "<section id=\"cross-sell\"><h2>Cross-sell and up-sell</h2>\n";
  if (m.cross_sell && !m.cross_sell->gaps.empty()) {
    const CrossSellResult& c = *m.cross_sell;
    out += "<p>" + std::to_string(c.gaps.size()) + " of " + std::to_string(c.accounts) +
           " accounts (in " + std::to_string(c.groups) +
           " groups of the same sector and employee band) buy fewer product lines than the "
           "median of their peers; the lines listed are those their peers buy most.</p>\n";
    out += "<table id=\"cross-sell-table\" class=\"long\">" +
           head_row({{"Account", false},
                     {"Sector", false},
                     {"Size band", false},
                     {"Lines", true},
                     {"Peers", true},
                     {"Peer median", true},
                     {"Lines to offer (peers buying)", false}}) +
           "<tbody>";
    for (const auto& gap : c.gaps) {
      std::string missing;
      for (const auto& [line, peers] : gap.missing)
        missing += (missing.empty() ? "" : ", ") + line + " (" + std::to_string(peers) + ")";
      out += "<tr>" + text_cell(gap.account) + text_cell(gap.sector) + text_cell(gap.band) +
             num_cell(std::to_string(gap.lines)) + num_cell(std::to_string(gap.peers)) +
             num_cell(decimal_figure(gap.peer_median, 1)) + text_cell(missing) + "</tr>";
    }
    out += "</tbody></table>\n";
  }
  return out + notes(m.cross_sell_notes) + "</section>\n";
}

}  // namespace

std::string report_html(const ReportModel& m, const std::string& generated) {
  const std::string title = (m.plan_name.empty() ? std::string("Plan") : m.plan_name) + " — report";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      e(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<div class=\"page\">\n";
  out +=
      "<header><div class=\"plan\">" + e(m.plan_name) + "</div><h1>Sales performance report</h1>";
  out +=
      "<div class=\"summary\"><div><span class=\"label\">Total paid</span><span class=\"total\" "
      "id=\"total-paid\">" +
      e(Amount::parse(m.total_paid).value_or(Amount{}).grouped(2)) + "</span> " + e(m.currency) +
      "</div><div><span class=\"label\">Payees</span><span class=\"fact\">" +
      std::to_string(m.payees.size()) +
      "</span></div><div><span class=\"label\">Periods</span><span class=\"fact\">" +
      e(m.periods.empty() ? std::string("none")
                          : m.periods.front() +
                                (m.periods.size() > 1 ? " – " + m.periods.back() : std::string())) +
      "</span></div><div><span class=\"label\">Generated</span><span class=\"fact\">" +
      e(generated) + "</span></div></div></header>\n";
  out += attainment_section(m);
  out += pay_section(m);
  out += payouts_section(m);
  out += trends_section(m);
  out += performers_section(m);
  out += cost_section(m);
  out += territory_section(m);
  out += forecast_section(m);
  out += cross_sell_section(m);
  out +=
      "<footer>Pay figures are exact, as `tally run` computes them. Attainment shares, "
      "ratios, Gini coefficients and forecasts are estimates (see docs/report.md).</footer>\n";
  return out + "</div>\n</body>\n</html>\n";
}

}  // namespace tally::cli
