// The pipeline method on a small hand-made pipeline. Day numbers are days
// since 1970-01-01 (day 100 is 1970-04-11). The working of every expected
// value is in the comments.
#include <catch2/catch.hpp>

#include "repl/forecast_pipeline.hpp"
#include "stdlib/forecasting.hpp"

using namespace tally::cli;

namespace {

Opportunity deal(std::string id, std::string owner, std::string stage, Outcome outcome,
                 std::string product, std::optional<double> value, std::optional<int> opened,
                 std::optional<int> closed) {
  Opportunity o;
  o.id = std::move(id);
  o.owner = std::move(owner);
  o.stage = std::move(stage);
  o.outcome = outcome;
  o.product = std::move(product);
  o.value = value;
  o.opened = opened;
  o.closed = closed;
  return o;
}

// Closed before day 100: A won 1000 (P), B lost (P), C won 3000 (Q), D lost
// (Q), E won 2000 (P): win rate 3 / 5 = 0.6; average won P 1500, Q 3000,
// overall 6000 / 3 = 2000.
std::vector<Opportunity> pipeline() {
  return {
      deal("A", "ann", "Won", Outcome::won, "P", 1000, 10, 50),
      deal("B", "ann", "Lost", Outcome::lost, "P", 0, 20, 60),
      deal("C", "bo", "Won", Outcome::won, "Q", 3000, 30, 90),
      deal("D", "bo", "Lost", Outcome::lost, "Q", std::nullopt, 40, 95),
      deal("E", "bo", "Won", Outcome::won, "P", 2000, 5, 99),
      // Open at day 100:
      deal("F", "ann", "Engaging", Outcome::open, "P", std::nullopt, 80, std::nullopt),
      deal("G", "ann", "Engaging", Outcome::open, "R", 500, 90, std::nullopt),
      deal("H", "ann", "Won", Outcome::won, "Q", 9999, 70, 120),  // its 9999 is look-ahead
      deal("I", "bo", "Prospecting", Outcome::open, "R", std::nullopt, std::nullopt, std::nullopt),
      deal("J", "bo", "Engaging", Outcome::open, "P", std::nullopt, 150, std::nullopt),  // later
      deal("K", "bo", "Lost", Outcome::lost, "P", 0, 50, 100),  // closed on the cut-off day
      deal("L", "cy", "Won", Outcome::won, "P", 700, 10, std::nullopt),        // no close date
      deal("M", "cy", "Returned", Outcome::open, "P", -50, 20, std::nullopt),  // a return
  };
}

}  // namespace

TEST_CASE("learning: win rates and deal sizes from deals closed before the cut-off",
          "[forecast_pipeline]") {
  const auto deals = pipeline();
  const PipelineHistory h = learn_pipeline(deals, 100);
  CHECK(h.won == 3);
  CHECK(h.lost == 2);
  REQUIRE(h.win_rate);
  CHECK(*h.win_rate == Approx(0.6));
  CHECK(h.stage_win_rate.size() == 3);  // the open stages: Engaging, Prospecting, Returned
  CHECK(h.stage_win_rate.at("Engaging") == Approx(0.6));
  CHECK(h.stage_win_rate.at("Prospecting") == Approx(0.6));
  CHECK(h.average_won_by_product.at("P") == Approx(1500));
  CHECK(h.average_won_by_product.at("Q") == Approx(3000));
  CHECK(h.average_won_by_product.count("R") == 0);
  REQUIRE(h.average_won);
  CHECK(*h.average_won == Approx(2000));

  // At day 55 only A has closed: rate 1, sizes from A alone.
  const PipelineHistory early = learn_pipeline(deals, 55);
  CHECK(*early.win_rate == Approx(1.0));
  CHECK(*early.average_won == Approx(1000));
}

TEST_CASE("estimating: each open deal weighted by its rate, valued without look-ahead",
          "[forecast_pipeline]") {
  const auto deals = pipeline();
  const PipelineHistory h = learn_pipeline(deals, 100);
  const auto estimates = estimate_pipeline(deals, h, false);
  // ann: F 0.6 x 1500 (P's average) + G 0.6 x 500 (its own value) + H 0.6 x
  // 3000 (Q's average, not its later 9999) = 900 + 300 + 1800 = 3000.
  // Variance 0.6 x 0.4 x (1500^2 + 500^2 + 3000^2) = 0.24 x 11_500_000 = 2_760_000,
  // sd 1661.3247; 1.2816 x sd = 2129.1538.
  const PipelineEstimate& ann = estimates.at("ann");
  CHECK(ann.ok);
  CHECK(ann.deals == 3);
  CHECK(ann.value == Approx(3000));
  CHECK(ann.unweighted == Approx(5000));
  CHECK(ann.low == Approx(3000 - 2129.1538).epsilon(1e-6));
  CHECK(ann.high == Approx(5129.1519).epsilon(1e-6));
  // bo: I has no open date (left out), J opens after, K closed on the cut-off
  // day so it was open: 0.6 x 1500 = 900. sd = sqrt(0.24) x 1500 = 734.8469;
  // 1.2816 x sd = 941.7798 > 900: low clamped to 0.
  const PipelineEstimate& bo = estimates.at("bo");
  CHECK(bo.deals == 1);
  CHECK(bo.value == Approx(900));
  CHECK(bo.low == 0);
  CHECK(bo.high == Approx(1841.7798).epsilon(1e-6));
  // cy's deals: one closed without a date, one a return (negative): no pipeline.
  CHECK(estimates.count("cy") == 0);
  const PipelineEstimate none = empty_pipeline(h);
  CHECK(none.ok);
  CHECK(none.value == 0);
  CHECK(none.note == "no open pipeline on 1970-04-11");
}

TEST_CASE("after the data, undated open deals count, at the overall average size",
          "[forecast_pipeline]") {
  const auto deals = pipeline();
  const auto estimates = estimate_pipeline(deals, learn_pipeline(deals, 100), true);
  // bo: K 900 + I 0.6 x 2000 (product R never won: the overall average) = 2100.
  CHECK(estimates.at("bo").deals == 2);
  CHECK(estimates.at("bo").value == Approx(2100));
}

TEST_CASE("nothing closed, or nothing won, before the cut-off: no estimate, said why",
          "[forecast_pipeline]") {
  const auto deals = pipeline();
  const PipelineHistory none = learn_pipeline(deals, 40);  // day 40 = 1970-02-10
  CHECK_FALSE(none.win_rate);
  CHECK(none.stage_win_rate.empty());
  const auto estimates = estimate_pipeline(deals, none, false);
  const PipelineEstimate& ann = estimates.at("ann");  // A and B were open on day 40
  CHECK_FALSE(ann.ok);
  CHECK(ann.deals == 2);
  CHECK(ann.value == 0);
  CHECK(ann.note == "no deal closed before 1970-02-10: no win rate to learn");
  CHECK_FALSE(empty_pipeline(none).ok);

  // Only losses before the cut-off: a rate (0) but no deal size.
  const std::vector<Opportunity> losses{
      deal("X", "ann", "Lost", Outcome::lost, "P", 0, 1, 5),
      deal("Y", "ann", "Engaging", Outcome::open, "P", 100, 2, std::nullopt)};
  const PipelineHistory lost_only = learn_pipeline(losses, 10);
  CHECK(*lost_only.win_rate == 0);
  CHECK_FALSE(lost_only.average_won);
  const auto e = estimate_pipeline(losses, lost_only, false);
  CHECK_FALSE(e.at("ann").ok);
  CHECK(e.at("ann").note == "no deal won before 1970-01-11: no deal size to learn");
}
