// The forecast figures from a run's measures table: the series, the outlook
// of one period and the back-test, on hand-made tables (no pipeline). The
// working of every expected value is in the comments.
#include <catch2/catch.hpp>

#include "repl/forecast_model.hpp"

using namespace tally::cli;

namespace {

tally::RunResult run_of(const std::vector<std::vector<std::string>>& rows) {
  tally::RunResult run;
  run.measures.columns = {"payee", "period", "measure", "value"};
  run.measures.rows = rows;
  run.payees.columns = {"payee"};
  run.payees.rows = {{"ann"}, {"bo"}};
  return run;
}

tally::Calendar quarters() {
  tally::Calendar c;
  c.grain = tally::Grain::quarter;
  return c;
}

}  // namespace

TEST_CASE("the series: periods in calendar order, roster payees, 0 where no row",
          "[forecast_model]") {
  const auto run = run_of({{"ann", "2017-Q2", "won", "200"},
                           {"ann", "2017-Q1", "won", "100"},
                           {"ann", "2017-Q1", "other", "7"},
                           {"bo", "2017-Q3", "won", "50.5"}});
  const auto series = measure_series(run, "won", quarters());
  REQUIRE(series);
  CHECK(series->labels == std::vector<std::string>{"2017-Q1", "2017-Q2", "2017-Q3"});
  CHECK(series->payees == std::vector<std::string>{"ann", "bo"});
  CHECK(series->values[0] == std::vector<double>{100, 200, 0});
  CHECK(series->values[1] == std::vector<double>{0, 0, 50.5});
  CHECK_FALSE(measure_series(run, "missing", quarters()));
}

TEST_CASE("the back-test without a pipeline: trends only, zero actuals left out",
          "[forecast_model]") {
  // ann 100, 200, 400; bo 0, 0, 0. Q3 linear from (100, 200): 300 vs 400 = 25%.
  // bo's zero actuals are left out (3), but bo's forecasts of 0 let the team
  // be scored: Q3 team 300 vs 400 = 25%.
  const auto run = run_of({{"ann", "2017-Q1", "won", "100"},
                           {"ann", "2017-Q2", "won", "200"},
                           {"ann", "2017-Q3", "won", "400"},
                           {"bo", "2017-Q1", "won", "0"}});
  const auto series = measure_series(run, "won", quarters());
  REQUIRE(series);
  const Backtest b = run_backtest(*series, nullptr, quarters());
  CHECK(b.zero_actuals == 3);
  CHECK(b.scores[0].points == 0);  // no pipeline
  CHECK(b.notes.size() == 1);
  CHECK(b.scores[1].points == 1);
  CHECK(b.scores[1].mape == Approx(25));
  CHECK(b.scores[1].team_points == 1);
  CHECK(b.scores[1].team_mape == Approx(25));
  CHECK(b.scores[1].periods == std::vector<std::string>{"2017-Q3"});
  CHECK(b.scores[2].points == 0);  // holt needs 3 earlier periods
  CHECK(b.scores[2].periods.empty());
  REQUIRE(b.points.size() == 6 + 3);  // 2 payees x 3 periods, then 3 team totals
  CHECK(b.points[6].payee.empty());
  CHECK(b.points[8].actual == 400);
  CHECK(*b.points[8].predicted[1] == Approx(300));
}

TEST_CASE("the outlook: as of a day inside, after, or before the period", "[forecast_model]") {
  const auto run = run_of({{"ann", "2017-Q1", "won", "100"},
                           {"ann", "2017-Q2", "won", "200"},
                           {"ann", "2017-Q3", "won", "300"}});
  const auto series = measure_series(run, "won", quarters());
  REQUIRE(series);
  const tally::Calendar calendar = quarters();
  // As of 2017-08-15 (day 17393) in Q3: trends over Q1, Q2 (line 100, 200: 300).
  Outlook o = forecast_outlook(*series, nullptr, calendar, tally::Period{2017, 3}, 17393);
  CHECK_FALSE(o.complete);
  CHECK(o.history == std::vector<std::string>{"2017-Q1", "2017-Q2"});
  CHECK(o.horizon == 1);
  CHECK(*o.payees[0].actual == 300);
  CHECK(o.payees[0].methods[1].forecast.value == Approx(300));
  CHECK_FALSE(o.payees[0].methods[0].forecast.ok);  // no pipeline
  // Q2 is over by then: as of its start (2017-04-01, day 17257), history Q1 only.
  o = forecast_outlook(*series, nullptr, calendar, tally::Period{2017, 2}, 17393);
  CHECK(o.complete);
  CHECK(o.as_of == 17257);
  CHECK_FALSE(o.payees[0].methods[1].forecast.ok);
  // 2018-Q1 from 2017-08-15: three periods after Q2, the last complete one: 100, 200 -> 500.
  o = forecast_outlook(*series, nullptr, calendar, tally::Period{2018, 1}, 17393);
  CHECK(o.horizon == 3);
  CHECK_FALSE(o.payees[0].actual);
  CHECK(o.payees[0].methods[1].forecast.value == Approx(500));
}
