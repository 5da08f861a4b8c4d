// The report model (`tally report`): exact pay per payee, role, team and
// component; attainment read from its printed value, its distribution; cost
// of sales; territory balance; the pipeline forecast; and a note for every
// bad input instead of a division by zero. Inputs are built by hand here
// (no plan is run), and every expected value is worked out in a comment.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "repl/report_html.hpp"
#include "repl/report_json.hpp"
#include "repl/report_model.hpp"

using namespace tally::cli;
using tally::ResultTable;

namespace {

bool has_note(const std::vector<std::string>& notes, const std::string& fragment) {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.find(fragment) != std::string::npos; });
}

/// Two AEs under a manager `mo` (named Mo Diaz) and an SE without one,
/// over two quarters. Pay in cents that a double would not add exactly.
tally::cli::ReportInput two_quarters() {
  ReportInput in;
  in.plan_name = "Test plan";
  in.currency = "USD";
  in.periods = {"2026-Q1", "2026-Q2"};
  in.payouts.columns = {"payee", "period", "component", "amount"};
  in.payouts.rows = {
      {"ann", "2026-Q1", "commission", "0.10"},   {"ann", "2026-Q2", "commission", "0.20"},
      {"bob", "2026-Q1", "commission", "100.00"}, {"bob", "2026-Q2", "commission", "-20.00"},
      {"sam", "2026-Q1", "se_bonus", "50.05"},    {"sam", "2026-Q2", "se_bonus", "0.00"}};
  in.roster.columns = {"payee", "name", "role", "manager"};
  in.roster.rows = {{"ann", "Ann Lee", "AE", "mo"},
                    {"bob", "Bob Roy", "AE", "mo"},
                    {"sam", "Sam Hu", "SE", ""},
                    {"mo", "Mo Diaz", "MGR", ""}};
  in.measures.columns = {"payee", "period", "measure", "value"};
  in.measures.rows = {
      {"ann", "2026-Q1", "bookings", "1.0000"},  {"ann", "2026-Q2", "bookings", "2.00"},
      {"bob", "2026-Q1", "bookings", "1000.00"}, {"bob", "2026-Q2", "bookings", "0.00"},
      {"sam", "2026-Q1", "bookings", "0"},       {"sam", "2026-Q2", "bookings", "0"}};
  in.revenue_name = "bookings";
  in.summary.total_paid = "130.35";  // 0.10 + 0.20 + 100 - 20 + 50.05
  in.summary.paid_by_component = {{"commission", "80.30"}, {"se_bonus", "50.05"}};
  in.attainment_name = "attainment";
  in.attainment = {{"ann", {{"2026-Q1", "50%"}, {"2026-Q2", "1.5"}}},
                   {"bob", {{"2026-Q1", "100%"}, {"2026-Q2", "0%"}}}};
  return in;
}

const PayeeRow& payee(const ReportModel& m, const std::string& id) {
  const auto it =
      std::find_if(m.payees.begin(), m.payees.end(), [&](const PayeeRow& p) { return p.id == id; });
  REQUIRE(it != m.payees.end());
  return *it;
}

}  // namespace

TEST_CASE("attainment is read from its printed value", "[report]") {
  CHECK(*attainment_percent("118.5%") == Approx(118.5));
  CHECK(*attainment_percent("1.185") == Approx(118.5));  // a ratio: 1 is 100%
  CHECK(*attainment_percent("0%") == Approx(0));
  CHECK_FALSE(attainment_percent("1200.00 USD"));
  CHECK_FALSE(attainment_percent("high"));
  CHECK_FALSE(attainment_percent(""));
}

TEST_CASE("pay per payee, role, team and component is exact", "[report]") {
  const ReportModel m = build_report(two_quarters());
  REQUIRE(m.payees.size() == 3);  // mo is paid nothing: not a payee of the run
  CHECK(payee(m, "ann").paid.plain(2) == "0.30");
  CHECK(payee(m, "bob").paid.plain(2) == "80.00");
  CHECK(payee(m, "sam").paid.plain(2) == "50.05");
  CHECK(payee(m, "ann").team == "Mo Diaz");  // the manager's id named from the roster
  REQUIRE(m.by_role.size() == 2);
  CHECK(m.by_role[0].label == "AE");  // 80.30 before 50.05
  CHECK(m.by_role[0].amount.plain(2) == "80.30");
  REQUIRE(m.by_team.size() == 2);
  CHECK(m.by_team[0].label == "Mo Diaz");
  CHECK(m.by_team[1].label == "(no manager)");
  REQUIRE(m.by_component.size() == 2);
  CHECK(m.by_component[1].amount.plain(2) == "50.05");
  REQUIRE(m.by_period.size() == 2);
  CHECK(m.by_period[0].paid.plain(2) == "150.15");  // 0.10 + 100 + 50.05
  CHECK(m.by_period[1].paid.plain(2) == "-19.80");  // 0.20 - 20
  CHECK(payee(m, "ann").revenue->plain(2) == "3.00");
}

TEST_CASE("the attainment distribution and the ranking", "[report]") {
  const ReportModel m = build_report(two_quarters());
  REQUIRE(m.attainment);
  // 50, 150, 100, 0: sorted 0 50 100 150; type-7 quartiles 37.5, 75, 112.5
  CHECK(m.attainment->count == 4);
  CHECK(m.attainment->median == Approx(75));
  CHECK(m.attainment->first_quartile == Approx(37.5));
  CHECK(m.attainment->third_quartile == Approx(112.5));
  int counted = 0;
  for (const auto& bin : m.attainment->bins) counted += bin.count;
  CHECK(counted == 4);
  // ann's mean is 100, bob's 50; sam has none and is not ranked
  CHECK(*payee(m, "ann").attainment == Approx(100));
  CHECK(*payee(m, "bob").attainment == Approx(50));
  CHECK(m.ranked_by == "attainment");
  REQUIRE(m.top.size() == 1);
  CHECK(m.payees[m.top[0]].id == "ann");
  REQUIRE(m.bottom.size() == 1);
  CHECK(m.payees[m.bottom[0]].id == "bob");
  CHECK(m.pay_points.size() == 4);
  REQUIRE(m.fit);
  CHECK(m.attainment_notes.empty());
}

TEST_CASE("cost of sales is paid over revenue, with a note where revenue is 0", "[report]") {
  const ReportModel m = build_report(two_quarters());
  // 130.35 / 1003.00 = 12.996%
  REQUIRE(m.cost_of_sales);
  CHECK(*m.cost_of_sales == Approx(12.9960).epsilon(1e-4));
  REQUIRE(m.by_period[0].cost_of_sales);
  CHECK(*m.by_period[0].cost_of_sales == Approx(150.15 / 1001 * 100));
  // Q2's revenue is 2.00: a ratio, negative pay over it
  CHECK(*m.by_period[1].cost_of_sales == Approx(-19.80 / 2 * 100));

  ReportInput none = two_quarters();
  for (auto& row : none.measures.rows) row[3] = "0";
  const ReportModel zero = build_report(none);
  CHECK_FALSE(zero.cost_of_sales);
  CHECK(has_note(zero.cost_notes, "is 0 over the run"));

  ReportInput unnamed = two_quarters();
  unnamed.revenue_name.clear();
  unnamed.revenue_hint = "Name a measure with --revenue NAME.";
  const ReportModel without = build_report(unnamed);
  CHECK(has_note(without.cost_notes, "no revenue measure"));
  CHECK(has_note(without.forecast_notes, "no revenue measure"));
}

TEST_CASE("every bad input is a note, never a NaN", "[report]") {
  ReportInput in = two_quarters();
  in.periods = {"2026-Q1", "2026-Q2", "2026-Q3"};  // Q3: no row at all
  in.attainment_name.clear();
  in.attainment.clear();
  in.attainment_hint = "Name one with --attainment NAME.";
  in.territories = {"North", "South", "East"};
  in.territory_figures = std::vector<TerritoryFigures>{{"North", 2, *Amount::parse("1500"), false},
                                                       {"South", 2, *Amount::parse("2000"), false},
                                                       {"East", 0, Amount{}, false}};
  const ReportModel m = build_report(in);
  CHECK(has_note(m.notes, "Period 2026-Q3 has no data"));
  CHECK(has_note(m.attainment_notes, "declares no attainment"));
  CHECK(has_note(m.attainment_notes, "--attainment NAME"));
  CHECK_FALSE(m.attainment);
  CHECK(has_note(m.pay_notes, "No pay-versus-performance chart"));
  CHECK(m.ranked_by == "revenue");
  CHECK(has_note(m.territory_notes, "Territory East has no transactions"));
  // Gini of 1500, 2000, 0: sum of |xi - xj| over ordered pairs 8000, over
  // 2 n^2 mean = 2 * 9 * 3500/3 = 21000: 0.38095
  REQUIRE(m.territory_gini);
  CHECK(*m.territory_gini == Approx(8000.0 / 21000));
  CHECK_FALSE(m.territory_ratio);  // the smallest is 0
  CHECK(has_note(m.territory_notes, "No max/min ratio"));
  CHECK(m.territories[1].share == Approx(2000.0 / 3500 * 100));

  const std::string html = report_html(m, "2026-01-01");
  const std::string json = report_json(m, "2026-01-01");
  for (const std::string& text : {html, json}) {
    CHECK(text.find("nan") == std::string::npos);
    CHECK(text.find("inf\"") == std::string::npos);
  }
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("Territory East has no transactions") != std::string::npos);
  CHECK(json.find("\"total_paid\": \"130.35\"") != std::string::npos);
}

TEST_CASE("a history too short to forecast says so", "[report]") {
  ReportInput in = two_quarters();
  in.periods = {"2026-Q1"};
  in.payouts.rows.erase(std::remove_if(in.payouts.rows.begin(), in.payouts.rows.end(),
                                       [](const auto& row) { return row[1] != "2026-Q1"; }),
                        in.payouts.rows.end());
  const ReportModel m = build_report(in);
  REQUIRE_FALSE(m.forecasts.empty());
  CHECK_FALSE(m.forecasts[0].linear.ok);
  CHECK_FALSE(m.forecasts[0].holt.ok);
  CHECK(has_note(m.forecast_notes, "too short"));
  CHECK(m.next_period == "2026-Q2");
}

TEST_CASE("the pipeline forecast weighs open deals by the learned win rate", "[report]") {
  ReportInput in = two_quarters();
  PipelineData pipeline;
  // 6 won of 100 each and 4 lost, closed on days 10..19 (win rate 60%);
  // ann has two open deals, one of 50 and one without a value (counted at
  // the average won deal, 100): 0.6 × (50 + 100) = 90, the interval
  // ± 1.2816 × sqrt(0.24 × (50² + 100²)) = ± 70.19
  for (int i = 0; i < 10; ++i) {
    Opportunity o;
    o.owner = i < 5 ? "ann" : "bob";
    o.outcome = i < 6 ? Outcome::won : Outcome::lost;
    o.closed = 10 + i;
    if (i < 6) o.value = 100;
    pipeline.opportunities.push_back(o);
  }
  Opportunity open;
  open.owner = "ann";
  open.stage = "Engaging";
  open.opened = 5;
  open.value = 50;
  pipeline.opportunities.push_back(open);
  open.value.reset();
  pipeline.opportunities.push_back(open);
  in.pipeline = pipeline;
  const ReportModel m = build_report(in);
  CHECK(m.next_period == "2026-Q3");
  // the last close is day 19, 1970-01-20 (day 0 is 01-01); the cut-off is the day after
  CHECK(m.pipeline_as_of == "1970-01-21");
  const auto row = [&](const std::string& id) {
    return *std::find_if(m.forecasts.begin(), m.forecasts.end(),
                         [&](const ForecastRow& r) { return r.payee == id; });
  };
  REQUIRE(row("ann").pipeline);
  CHECK(*row("ann").pipeline == Approx(90));
  CHECK(*row("ann").pipeline_high == Approx(90 + 1.2816 * std::sqrt(0.24 * 12500)));
  CHECK(*row("ann").win_rate == Approx(60));
  CHECK(row("ann").open_deals == 2);
  // bob has no open deal: 0 with a note
  REQUIRE(row("bob").pipeline);
  CHECK(*row("bob").pipeline == Approx(0));
  CHECK(row("bob").pipeline_note.find("no open pipeline") != std::string::npos);
}

TEST_CASE("estimates print with a fixed number of decimals", "[report]") {
  CHECK(percent_figure(12.345, 2) == "12.35%");  // 12.345 is stored a hair above
  CHECK(percent_figure(-0.01, 1) == "0.0%");
  CHECK(money_estimate(1234567.4) == "1,234,567");
  CHECK(decimal_figure(0.38095, 3) == "0.381");
}

TEST_CASE("the plan's payout curve from its tiers", "[report]") {
  TierCurve curve;
  curve.payout = "commission";
  curve.marginal = true;
  curve.tiers = {{0, 50.0, 0.04}, {50, 100.0, 0.08}, {100, std::nullopt, 0.12}};
  // base 100_000 at 120%: 4% x 50_000 + 8% x 50_000 + 12% x 20_000 = 8_400
  CHECK(tier_curve_pay(curve, 100000, 120) == Approx(8400));
  CHECK(tier_curve_pay(curve, 100000, 40) == Approx(1600));  // 4% x 40_000
  CHECK(tier_curve_pay(curve, 100000, 0) == Approx(0));
  curve.cap = 5000;
  CHECK(tier_curve_pay(curve, 100000, 120) == Approx(5000));
  // retroactive: the tier reached pays all of it: 12% x 120_000
  curve.cap.reset();
  curve.marginal = false;
  CHECK(tier_curve_pay(curve, 100000, 120) == Approx(14400));
  CHECK(tier_curve_pay(curve, 100000, 50) == Approx(4000));  // 50% opens the 8% tier

  // in the model: drawn for the median base over the points' range
  ReportInput in = two_quarters();
  curve.marginal = true;
  curve.bases = {100000, 300000, 200000};
  in.curve = curve;
  const ReportModel m = build_report(in);
  CHECK(m.plan_curve_payout == "commission");
  CHECK(m.plan_curve_base == Approx(200000));
  REQUIRE_FALSE(m.plan_curve.empty());
  CHECK(m.plan_curve.front().first == Approx(0));
  CHECK(m.plan_curve.back().first == Approx(150));  // the largest attainment, ann's 150%
  // 150% of 200_000: 4% x 100_000 + 8% x 100_000 + 12% x 100_000 = 24_000
  CHECK(m.plan_curve.back().second == Approx(24000));
}
