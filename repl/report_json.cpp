#include "repl/report_json.hpp"

#include <nlohmann/json.hpp>

namespace tally::cli {

namespace {

using nlohmann::json;

/// Exact amounts keep their digits; two decimals at least, as payouts.csv.
json amount(const Amount& a) {
  return a.plain(2);
}

json optional_amount(const std::optional<Amount>& a) {
  return a ? amount(*a) : json(nullptr);
}

/// Percent estimates: a string with 4 decimals (no % sign), or null.
json percent(const std::optional<double>& value) {
  return value ? json(decimal_figure(*value, 4)) : json(nullptr);
}

json estimate(const std::optional<double>& value) {
  return value ? json(decimal_figure(*value, 2)) : json(nullptr);
}

json labelled(const std::vector<LabelledAmount>& list) {
  json out = json::array();
  for (const auto& entry : list)
    out.push_back({{"label", entry.label}, {"paid", amount(entry.amount)}});
  return out;
}

json forecast(const analytics::Forecast& f) {
  if (!f.ok) return {{"value", nullptr}, {"low", nullptr}, {"high", nullptr}, {"note", f.note}};
  return {{"value", decimal_figure(f.value, 2)},
          {"low", decimal_figure(f.low, 2)},
          {"high", decimal_figure(f.high, 2)},
          {"note", f.note}};
}

}  // namespace

std::string report_json(const ReportModel& m, const std::string& generated) {
  json doc;
  doc["schema"] = "tally-report/1";
  doc["plan"] = m.plan_name;
  doc["generated"] = generated;
  doc["currency"] = m.currency;
  doc["periods"] = m.periods;
  doc["total_paid"] = m.total_paid;
  doc["notes"] = m.notes;

  json payees = json::array();
  for (const auto& p : m.payees)
    payees.push_back({{"payee", p.id},
                      {"name", p.name},
                      {"role", p.role},
                      {"team", p.team},
                      {"paid", amount(p.paid)},
                      {"revenue", optional_amount(p.revenue)},
                      {"attainment_mean", percent(p.attainment)},
                      {"attainment_periods", p.attainment_periods}});
  doc["payees"] = payees;
  json cells = json::array();
  for (const auto& c : m.cells)
    cells.push_back({{"payee", c.payee},
                     {"period", c.period},
                     {"paid", amount(c.paid)},
                     {"revenue", optional_amount(c.revenue)},
                     {"attainment", percent(c.attainment)},
                     {"attainment_text", c.attainment_text}});
  doc["payee_periods"] = cells;
  doc["by_role"] = labelled(m.by_role);
  doc["by_team"] = labelled(m.by_team);
  doc["by_component"] = labelled(m.by_component);
  json periods = json::array();
  for (const auto& row : m.by_period)
    periods.push_back({{"period", row.period},
                       {"paid", amount(row.paid)},
                       {"revenue", optional_amount(row.revenue)},
                       {"cost_of_sales", percent(row.cost_of_sales)},
                       {"median_attainment", percent(row.median_attainment)},
                       {"has_data", row.has_data}});
  doc["by_period"] = periods;

  json attainment = {{"name", m.attainment_name}, {"notes", m.attainment_notes}};
  if (m.attainment) {
    const Distribution& d = *m.attainment;
    json bins = json::array();
    for (const auto& bin : d.bins)
      bins.push_back({{"low", decimal_figure(bin.low, 4)},
                      {"high", decimal_figure(bin.high, 4)},
                      {"count", bin.count}});
    attainment["count"] = d.count;
    attainment["minimum"] = decimal_figure(d.minimum, 4);
    attainment["first_quartile"] = decimal_figure(d.first_quartile, 4);
    attainment["median"] = decimal_figure(d.median, 4);
    attainment["third_quartile"] = decimal_figure(d.third_quartile, 4);
    attainment["maximum"] = decimal_figure(d.maximum, 4);
    attainment["bins"] = bins;
  } else {
    attainment["count"] = 0;
  }
  doc["attainment"] = attainment;

  json points = json::array();
  for (const auto& p : m.pay_points)
    points.push_back({{"payee", p.payee},
                      {"period", p.period},
                      {"attainment", decimal_figure(p.attainment, 4)},
                      {"paid", amount(p.paid_exact)},
                      {"outlier", p.outlier}});
  doc["pay_versus_performance"] = {
      {"points", points},
      {"fit", m.fit ? json({{"intercept", decimal_figure(m.fit->first, 4)},
                            {"slope", decimal_figure(m.fit->second, 4)}})
                    : json(nullptr)},
      {"plan_curve", m.plan_curve.empty()
                         ? json(nullptr)
                         : json({{"payout", m.plan_curve_payout},
                                 {"base", decimal_figure(m.plan_curve_base, 2)},
                                 {"points",
                                  [&] {
                                    json list = json::array();
                                    for (const auto& [x, y] : m.plan_curve)
                                      list.push_back({{"attainment", decimal_figure(x, 4)},
                                                      {"paid", decimal_figure(y, 2)}});
                                    return list;
                                  }()}})},
      {"notes", m.pay_notes}};

  auto ids = [&](const std::vector<std::size_t>& list) {
    json out = json::array();
    for (const std::size_t i : list) out.push_back(m.payees[i].id);
    return out;
  };
  doc["performers"] = {{"ranked_by", m.ranked_by}, {"top", ids(m.top)}, {"bottom", ids(m.bottom)}};
  doc["cost_of_sales"] = {{"revenue_measure", m.revenue_name},
                          {"incentive_cost", m.total_paid},
                          {"revenue", optional_amount(m.revenue)},
                          {"percent", percent(m.cost_of_sales)},
                          {"notes", m.cost_notes}};

  json territories = json::array();
  for (const auto& t : m.territories)
    territories.push_back({{"territory", t.name},
                           {"transactions", t.transactions},
                           {"bookings", amount(t.bookings)},
                           {"share", t.outside ? json(nullptr) : json(decimal_figure(t.share, 4))},
                           {"in_balance", !t.outside}});
  doc["territory_balance"] = {
      {"territories", territories},
      {"gini", m.territory_gini ? json(decimal_figure(*m.territory_gini, 4)) : json(nullptr)},
      {"max_min_ratio",
       m.territory_ratio ? json(decimal_figure(*m.territory_ratio, 4)) : json(nullptr)},
      {"notes", m.territory_notes}};

  json forecasts = json::array();
  for (const auto& row : m.forecasts) {
    json history = json::array();
    for (const double v : row.history) history.push_back(decimal_figure(v, 2));
    forecasts.push_back(
        {{"payee", row.payee},
         {"history", history},
         {"linear", forecast(row.linear)},
         {"holt", forecast(row.holt)},
         {"pipeline", row.pipeline ? json({{"value", decimal_figure(*row.pipeline, 2)},
                                           {"low", estimate(row.pipeline_low)},
                                           {"high", estimate(row.pipeline_high)}})
                                   : json(nullptr)},
         {"open_deals", row.open_deals},
         {"win_rate", percent(row.win_rate)},
         {"pipeline_note", row.pipeline_note}});
  }
  doc["forecast"] = {{"of", m.forecast_of},
                     {"period", m.next_period},
                     {"pipeline_as_of", m.pipeline_as_of},
                     {"payees", forecasts},
                     {"notes", m.forecast_notes}};
  json gaps = json::array();
  if (m.cross_sell)
    for (const auto& gap : m.cross_sell->gaps) {
      json missing = json::array();
      for (const auto& [line, peers] : gap.missing)
        missing.push_back({{"line", line}, {"peers", peers}});
      gaps.push_back({{"account", gap.account},
                      {"sector", gap.sector},
                      {"band", gap.band},
                      {"lines", gap.lines},
                      {"peers", gap.peers},
                      {"peer_median", decimal_figure(gap.peer_median, 1)},
                      {"missing", missing}});
    }
  doc["cross_sell"] = {{"accounts", m.cross_sell ? json(m.cross_sell->accounts) : json(nullptr)},
                       {"gaps", gaps},
                       {"notes", m.cross_sell_notes}};
  // text from the data may not be valid UTF-8: replaced, never thrown
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace tally::cli
