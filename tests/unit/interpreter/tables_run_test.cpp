// Runs of tables and goals (any keys, `= EXPR`, allocate, rollup,
// proration), months_employed, prorate, lookup, tier_of and apply over rate
// tables whose rates are expressions. Expected amounts are worked out by
// hand in the comments.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kHeader = R"(plan "Tables" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  segment: text
  amount: money
}
roster payees { id: text key, role: text, manager: payee?, hire_date: date, end_date: date? }
credit won from deals on deal.close_date {
  deal.owner gets 100%
}
measure bookings: money = sum(credit.amount)
)";

// mgr manages ann and bo; bo was hired mid-Q1 and leaves at the end of May.
const char* kPayees =
    "id,role,manager,hire_date,end_date\n"
    "mgr,MGR,,2019-01-01,\n"
    "ann,AE,mgr,2026-01-15,\n"
    "bo,AE,mgr,2026-02-15,2026-05-31\n";

const char* kDeals =
    "id,close_date,owner,segment,amount\n"
    "d1,2026-02-10,ann,ENT,60000\n"
    "d2,2026-05-10,bo,MID,30000\n"
    "d3,2026-11-10,ann,SMB,1000\n";

std::string first_message(const tally::RunResult& result) {
  return result.messages.empty() ? std::string() : result.messages.front().text;
}

}  // namespace

TEST_CASE("tables: keyed by payee, by period, by a field, read with other keys", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
source seasons { quarter: period, factor: decimal }
source role_rates { role: text, rate: percent }
table quota(payee, period): money from quotas(rep, quarter, amount)
table season(period): decimal from seasons(quarter, factor)
table role_rate(role): percent from role_rates(role, rate)
goal flat(payee): money = 7 USD
payout q1_quota for role == "AE" = quota(payee, Q1)
payout anns_quota for role == "MGR" = quota("ann", period)
payout seasonal = season(period) * 100 USD
payout by_role = role_rate(role) * 1_000 USD + flat(payee)
)";
  DataFolder data("tables_keys");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("quotas.csv",
             "rep,quarter,amount\nann,2026-Q1,10\nann,2026-Q2,20\nann,2026-Q3,30\n"
             "ann,2026-Q4,40\nbo,2026-Q1,5\n");
  data.write("seasons.csv", "quarter,factor\n2026-Q1,1\n2026-Q2,1.5\n2026-Q3,2\n2026-Q4,0.5\n");
  data.write("role_rates.csv", "role,rate\nAE,10%\nMGR,1%\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // quota(payee, Q1): the Q1 of the plan year being paid, in every quarter.
  CHECK(payout(result, "ann", "2026-Q3", "q1_quota") == "10.00");
  CHECK(payout(result, "bo", "2026-Q4", "q1_quota") == "5.00");
  // Another payee's value: ann's quota of the quarter.
  CHECK(payout(result, "mgr", "2026-Q2", "anns_quota") == "20.00");
  // A table keyed by period only: 1.5 x 100 = 150.
  CHECK(payout(result, "ann", "2026-Q2", "seasonal") == "150.00");
  // Keyed by a field: AE 10% x 1,000 + 7 = 107; MGR 1% x 1,000 + 7 = 17.
  CHECK(payout(result, "bo", "2026-Q1", "by_role") == "107.00");
  CHECK(payout(result, "mgr", "2026-Q1", "by_role") == "17.00");
}

TEST_CASE("tables: a missing value is an error naming the table, payee and period", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)
payout commission for role == "AE" = 1% * quota(payee, period)
)";
  DataFolder data("tables_missing");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  // bo has no Q2 quota; mgr has none at all, but no payout of mgr reads it.
  data.write("quotas.csv",
             "rep,quarter,amount\nann,2026-Q1,1\nann,2026-Q2,1\nann,2026-Q3,1\nann,2026-Q4,1\n"
             "bo,2026-Q1,1\n");
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  CHECK(first_message(result) ==
        "`quota` has no value for this payee and period (payee \"bo\", period 2026-Q2)");
}

TEST_CASE("tables: two rows for one key and rows for strangers are data errors", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)
payout commission = 1% * quota(payee, period)
)";
  DataFolder data("tables_duplicates");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("quotas.csv", "rep,quarter,amount\nann,2026-Q1,1\nann,2026-Q1,2\nzed,2026-Q1,3\n");
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  const std::string messages = all_messages(result.messages);
  CHECK(messages.find("`quota` has two rows for payee \"ann\" in 2026-Q1: rows 2 and 3") !=
        std::string::npos);
  CHECK(messages.find("`quota` has a row for \"zed\", who is not in the roster") !=
        std::string::npos);
}

TEST_CASE("goals: allocate evenly, the last period taking the rest of the rounding", "[tables]") {
  std::string plan = kHeader + R"(
source annuals { rep: payee, amount: money }
goal annual(payee): money from annuals(rep, amount)
goal quota(payee, period): money = allocate(annual(payee), even)
payout shown for role == "AE" = quota(payee, period)
)";
  DataFolder data("tables_even");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  // 100.01 / 4 = 25.0025 -> 25.00 in Q1..Q3; Q4 = 100.01 - 75.00 = 25.01.
  data.write("annuals.csv", "rep,amount\nann,100.01\nbo,1\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "shown") == "25.00");
  CHECK(payout(result, "ann", "2026-Q3", "shown") == "25.00");
  CHECK(payout(result, "ann", "2026-Q4", "shown") == "25.01");
  // 1 / 4 = 0.25 exactly.
  CHECK(payout(result, "bo", "2026-Q4", "shown") == "0.25");
}

TEST_CASE("goals: weights that are not written out are checked to add up to 100%", "[tables]") {
  const std::string plan = kHeader + R"(
let heavy: percent = 45%
goal quota(payee, period): money = allocate(1_000 USD, weights: {Q1: 20%, Q2: 20%, Q3: 20%, Q4: heavy})
payout shown = quota(payee, period)
)";
  DataFolder data("tables_weights");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  // 20 + 20 + 20 + 45 = 105.
  CHECK(first_message(result).find("the weights of allocate(...) add up to 105%, not 100%") !=
        std::string::npos);
}

TEST_CASE("goals: rollup sums everyone below, not the payee's own", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
goal quota(payee, period): money from quotas(rep, quarter, amount)
goal team(payee, period): money = rollup(quota)
payout shown for role == "MGR" = team(payee, period)
)";
  DataFolder data("tables_rollup");
  data.write("payees.csv", std::string(kPayees) + "cy,AE,bo,2020-01-01,\n");
  data.write("deals.csv", kDeals);
  data.write("quotas.csv",
             "rep,quarter,amount\nmgr,2026-Q1,1000\nann,2026-Q1,10\nbo,2026-Q1,20\n"
             "cy,2026-Q1,30\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  const auto result = run_plan(plan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann 10 + bo 20 + cy 30 (below bo) = 60; mgr's own 1,000 is not included.
  CHECK(payout(result, "mgr", "2026-Q1", "shown") == "60.00");
}

TEST_CASE("goals: prorated, months_employed and prorate(x) by the roster's dates", "[tables]") {
  const std::string plan = kHeader + R"(
goal quota(payee, period): money = 900 USD prorated
payout shown = quota(payee, period)
payout months = months_employed(payee) * 1 USD
payout part = prorate(900 USD, from: 2026-03-02)
)";
  DataFolder data("tables_prorated");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // Q1 has 90 days. ann from Jan 15: 17 + 28 + 31 = 76 days: 900 x 76/90 = 760.
  CHECK(payout(result, "ann", "2026-Q1", "shown") == "760.00");
  // bo from Feb 15: 14 + 31 = 45 days: 450. Q2 (91 days) until May 31:
  // 30 + 31 = 61 days: 900 x 61/91 = 603.296... -> 603.30. Q3: 0.
  CHECK(payout(result, "bo", "2026-Q1", "shown") == "450.00");
  CHECK(payout(result, "bo", "2026-Q2", "shown") == "603.30");
  CHECK(payout(result, "bo", "2026-Q3", "shown") == "0.00");
  // ann hired 2026-01-15: at Mar 31, Jan 15 -> Mar 15 = 2 whole months; at
  // Jun 30, 5. bo left May 31: Feb 15 -> May 15 = 3, and 3 ever after.
  CHECK(payout(result, "ann", "2026-Q1", "months") == "2.00");
  CHECK(payout(result, "ann", "2026-Q2", "months") == "5.00");
  CHECK(payout(result, "bo", "2026-Q4", "months") == "3.00");
  // from: Mar 2 (to: the end date, or the quarter's end): mgr Mar 2-31 = 30
  // days: 900 x 30/90 = 300. bo in Q2: from: is before Q2; until May 31: 61
  // days as above.
  CHECK(payout(result, "mgr", "2026-Q1", "part") == "300.00");
  CHECK(payout(result, "bo", "2026-Q2", "part") == "603.30");
}

TEST_CASE("rates: lookup and tier_of run in payouts and credits", "[tables]") {
  const std::string plan = kHeader + R"(
rates seg_rate by deal.segment { "ENT" : 6%, "MID" : 4%, else : 1% }
rates level on bookings retroactive { 50_000 USD .. 100_000 USD : 1%, 100_000 USD .. : 2% }
rates by_role by role { "AE" : 100 USD, "MGR" : 5 USD }
measure weighted: money = sum(credit.amount * lookup(seg_rate, deal.segment))
payout commission = weighted
payout tier = tier_of(level, bookings) * 1 USD
payout role_bonus = lookup(by_role, role)
)";
  DataFolder data("tables_lookup_run");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ENT 60,000 x 6% = 3,600; MID 30,000 x 4% = 1,200; SMB (else) 1,000 x 1% = 10.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "3600.00");
  CHECK(payout(result, "bo", "2026-Q2", "commission") == "1200.00");
  CHECK(payout(result, "ann", "2026-Q4", "commission") == "10.00");
  // 60,000 is in the first tier; 30,000 and 0 are below it: 0.
  CHECK(payout(result, "ann", "2026-Q1", "tier") == "1.00");
  CHECK(payout(result, "bo", "2026-Q2", "tier") == "0.00");
  CHECK(payout(result, "mgr", "2026-Q1", "role_bonus") == "5.00");
  CHECK(payout(result, "ann", "2026-Q1", "role_bonus") == "100.00");
}

TEST_CASE("rates: a lookup key with no entry and no else is an error naming the key", "[tables]") {
  const std::string plan = kHeader + R"(
rates by_role by role { "AE" : 100 USD }
payout role_bonus = lookup(by_role, role)
)";
  DataFolder data("tables_lookup_missing");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  CHECK(first_message(result) ==
        "`by_role` has no entry for \"MGR\" and no `else` row (payee \"mgr\", period 2026-Q1)");
}

TEST_CASE("rates: rates that are expressions, and tiers that pay amounts", "[tables]") {
  const std::string plan = kHeader + R"(
let base_rate: percent = 4%
rates accel on bookings marginal { 0 USD .. 50_000 USD : base_rate, 50_000 USD .. : base_rate * 2 }
rates steps on bookings retroactive { 10_000 USD .. 50_000 USD : 100 USD, 50_000 USD .. : 500 USD }
payout commission = apply(accel, bookings)
payout step = apply(steps, bookings)
)";
  DataFolder data("tables_rate_expressions");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann Q1 60,000: 4% x 50,000 + 8% x 10,000 = 2,800; the step reached pays 500.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "2800.00");
  CHECK(payout(result, "ann", "2026-Q1", "step") == "500.00");
  // bo Q2 30,000: 4% x 30,000 = 1,200; step 100. ann Q4 1,000: below: 0.
  CHECK(payout(result, "bo", "2026-Q2", "commission") == "1200.00");
  CHECK(payout(result, "bo", "2026-Q2", "step") == "100.00");
  CHECK(payout(result, "ann", "2026-Q4", "step") == "0.00");
}

TEST_CASE("goals: a goal keyed by another value is computed where it is looked up", "[tables]") {
  const std::string plan = kHeader + R"(
goal rate_for(kind): percent = 10% unless kind == "MGR" then 1%
payout commission = rate_for(role) * bookings
)";
  DataFolder data("tables_inline");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann (AE) 10% x 60,000 = 6,000.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "6000.00");
  CHECK(payout(result, "mgr", "2026-Q1", "commission") == "0.00");
}

TEST_CASE("tables: credit rules look up tables without a period key", "[tables]") {
  const std::string plan = kHeader + R"(
source segment_rates { segment: text, rate: percent }
source rep_factors { rep: payee, factor: decimal }
table segment_rate(segment): percent from segment_rates(segment, rate)
table rep_factor(payee): decimal from rep_factors(rep, factor)
goal doubled(payee): decimal = rep_factor(payee) * 2
credit weighted from deals as deal
  amount deal.amount * segment_rate(deal.segment) * doubled(deal.owner)
  on deal.close_date {
  deal.owner gets 100% overlay
}
measure weighted_credit: money = sum(credit.amount where credit.kind == overlay)
payout commission = 1% * weighted_credit
)";
  DataFolder data("tables_in_credits");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("segment_rates.csv", "segment,rate\nENT,50%\nMID,100%\nSMB,200%\n");
  data.write("rep_factors.csv", "rep,factor\nann,1\nbo,1.5\nmgr,1\n");
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // d1 ann ENT: 60,000 x 50% x (1 x 2) = 60,000; 1% = 600.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "600.00");
  // d2 bo MID: 30,000 x 100% x (1.5 x 2) = 90,000; 1% = 900.00.
  CHECK(payout(result, "bo", "2026-Q2", "commission") == "900.00");
  // d3 ann SMB: 1,000 x 200% x 2 = 4,000; 1% = 40.00.
  CHECK(payout(result, "ann", "2026-Q4", "commission") == "40.00");
}

TEST_CASE("tables: a period table in a credit rule without the period's value names the row",
          "[tables]") {
  // Period tables read in a credit rule are filled before crediting
  // (docs/semantics/tables.md); here the table has no 2026-Q1 row.
  const std::string plan = kHeader + R"(
source seasons { quarter: period, factor: decimal }
table season(period): decimal from seasons(quarter, factor)
credit seasonal from deals as deal amount deal.amount * season(2026-Q1) on deal.close_date {
  deal.owner gets 100% overlay
}
payout commission = 1% * bookings
)";
  DataFolder data("tables_period_in_credits");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  data.write("seasons.csv", "quarter,factor\n2026-Q2,1\n");
  const auto result = run_plan(plan, data);
  REQUIRE_FALSE(result.ok);
  const std::string message = first_message(result);
  INFO(message);
  CHECK(message.find("`season` has no value in 2026-Q1") != std::string::npos);
  CHECK(message.find("credit rule `seasonal`") != std::string::npos);
  CHECK(message.find("deals.csv row 2") != std::string::npos);
}

TEST_CASE("tables: a lookup failing in an aggregate names the credit's transaction", "[tables]") {
  const std::string plan = kHeader + R"(
source segment_rates { segment: text, rate: percent }
table segment_rate(segment): percent from segment_rates(segment, rate)
measure weighted: money = sum(credit.amount * segment_rate(deal.segment))
payout commission = weighted
)";
  DataFolder data("tables_in_aggregates");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  SECTION("every segment has a rate") {
    data.write("segment_rates.csv", "segment,rate\nENT,1%\nMID,2%\nSMB,10%\n");
    const auto result = run_plan(plan, data);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "commission") == "600.00");  // 60,000 x 1%
    CHECK(payout(result, "bo", "2026-Q2", "commission") == "600.00");   // 30,000 x 2%
    CHECK(payout(result, "ann", "2026-Q4", "commission") == "100.00");  // 1,000 x 10%
  }
  SECTION("MID has none") {
    data.write("segment_rates.csv", "segment,rate\nENT,1%\nSMB,10%\n");
    const auto result = run_plan(plan, data);
    REQUIRE_FALSE(result.ok);
    const std::string message = first_message(result);
    CHECK(message.rfind("`segment_rate` has no value for segment \"MID\" (", 0) == 0);
    CHECK(message.find("deals.csv row 3, transaction \"d2\")") != std::string::npos);
  }
}

TEST_CASE("tables: --lenient leaves out the payee-periods missing a table value", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)
payout attainment_pay for role == "AE" = bookings / quota(payee, period) * 100 USD
)";
  DataFolder data("tables_missing_lenient");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", kDeals);
  // ann has a quota in Q1 only; bo in Q2 only.
  data.write("quotas.csv", "rep,quarter,amount\nann,2026-Q1,30000\nbo,2026-Q2,60000\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  SECTION("without --lenient the run stops") {
    const auto result = run_plan(plan, data, options);
    REQUIRE_FALSE(result.ok);
    CHECK(first_message(result).find("`quota` has no value") != std::string::npos);
  }
  SECTION("with --lenient the rows are left out and rejected") {
    options.lenient = true;
    const auto result = run_plan(plan, data, options);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "attainment_pay") == "200.00");  // 60,000 / 30,000
    CHECK(payout(result, "bo", "2026-Q2", "attainment_pay") == "50.00");    // 30,000 / 60,000
    CHECK(payout(result, "ann", "2026-Q2", "attainment_pay").empty());
    CHECK(payout(result, "bo", "2026-Q1", "attainment_pay").empty());
    // mgr is not an AE: the guarded payout never reads mgr's quota.
    CHECK(payout(result, "mgr", "2026-Q1", "attainment_pay").empty());
    REQUIRE(result.rejects.rows.size() == 2);
    CHECK(result.rejects.rows[0][0] == "missing_table_value");
    CHECK(result.rejects.rows[0][4].find("payee \"bo\", period 2026-Q1") != std::string::npos);
    CHECK(result.rejects.rows[1][4].find("payee \"ann\", period 2026-Q2") != std::string::npos);
  }
}

TEST_CASE("tables: --lenient rejects rows whose cells do not parse", "[tables]") {
  const std::string plan = kHeader + R"(
source quotas { rep: payee, quarter: period, amount: money }
table quota(payee, period): money from quotas(rep, quarter, amount)
payout commission for role == "AE" = 1% * bookings
)";
  DataFolder data("tables_bad_rows");
  data.write("payees.csv", kPayees);
  data.write("deals.csv",
             "id,close_date,owner,segment,amount\n"
             "d1,2026-02-10,ann,ENT,60000\n"
             "d2,2026-02-30,ann,ENT,1000\n"  // no February 30th
             "d3,2026-03-10,ann,ENT,abc\n"
             "d4,2026-03-11,ann,ENT,500\n");
  data.write("quotas.csv", "rep,quarter,amount\nann,2026-Q1,1\n");
  RunOptions options;
  SECTION("without --lenient the run stops") {
    const auto result = run_plan(plan, data, options);
    REQUIRE_FALSE(result.ok);
    CHECK(result.payouts.rows.empty());
  }
  SECTION("with --lenient the bad rows are left out") {
    options.lenient = true;
    const auto result = run_plan(plan, data, options);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    // d1 + d4 = 60,500; 1% = 605.00.
    CHECK(payout(result, "ann", "2026-Q1", "commission") == "605.00");
    REQUIRE(result.rejects.rows.size() == 2);
    CHECK(result.rejects.rows[0][0] == "bad_row");
    CHECK(result.rejects.rows[0][2] == "3");
    CHECK(result.rejects.rows[0][4].find("column \"close_date\"") != std::string::npos);
    CHECK(result.rejects.rows[1][2] == "4");
    CHECK(result.rejects.rows[1][4].find("found \"abc\"") != std::string::npos);
  }
}
