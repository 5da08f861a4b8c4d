// The run's result as the `tally run` command shows and writes it: totals per
// component in plan order, the choice of payees, progress reports, and the
// json/sqlite writers' exact amounts. Amounts are worked out by hand below.
#include <catch2/catch.hpp>

#include <filesystem>

#include "interpreter/output_formats.hpp"
#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::RunProgress;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::run_plan;

namespace {

// se_bonus is declared first but the roster's first payee is an AE, so the
// rows meet ae_commission first: plan order is not the order of appearance.
const std::string kPlan = R"(plan "Output" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  se: payee
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
  deal.se gets 50% overlay
}

measure bookings: money = sum(credit.amount)

payout se_bonus for role == "SE" = 20% * bookings
payout ae_commission for role == "AE" = 5% * bookings
)";

// ann 1,000 and bob 2,000 in Q1; sam gets 50% overlay on both (1,500).
// ae_commission = 5% * 3,000 = 150.00; se_bonus = 20% * 1,500 = 300.00.
DataFolder demo_data(const std::string& name) {
  DataFolder data(name);
  data.write("deals.csv",
             "id,close_date,owner,se,amount\n"
             "d1,2026-01-10,ann,sam,1000\n"
             "d2,2026-02-10,bob,sam,2000\n");
  data.write("payees.csv",
             "id,name,role\n"
             "ann,Ann Lee,AE\n"
             "sam,Sam Ortiz,SE\n"
             "bob,Bob Stone,AE\n");
  return data;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("the summary totals each component, in plan order", "[run][output]") {
  const auto data = demo_data("components");
  const auto result = run_plan(kPlan, data);
  REQUIRE(result.ok);
  CHECK(result.summary.paid_by_component ==
        Pairs{{"se_bonus", "300.00"}, {"ae_commission", "150.00"}});
  CHECK(result.summary.total_paid == "450.00");
  CHECK(result.summary.payees == 3);
  CHECK(result.summary.credits == 4);
}

TEST_CASE("the summary lists payees by pay, equal pay in id order, and periods in order",
          "[run][output]") {
  // zed and ann each earn 5% of 2,000 = 100.00 (zed in Q2), bob 5% of 3,000
  // = 150.00; sam 20% of 50% of 7,000 = 700.00 (Q1: 500.00, Q2: 200.00).
  // Q1 pays 150 + 100 + 500 = 750.00, Q2 100 + 200 = 300.00.
  DataFolder data("summary_order");
  data.write("deals.csv",
             "id,close_date,owner,se,amount\n"
             "d1,2026-04-10,zed,sam,2000\n"
             "d2,2026-02-10,bob,sam,3000\n"
             "d3,2026-01-10,ann,sam,2000\n");
  data.write("payees.csv", "id,name,role\nzed,Zed,AE\nsam,Sam,SE\nbob,Bob,AE\nann,Ann,AE\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  const auto result = run_plan(kPlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.summary.paid_by_payee ==
        Pairs{{"sam", "700.00"}, {"bob", "150.00"}, {"ann", "100.00"}, {"zed", "100.00"}});
  CHECK(result.summary.paid_by_period == Pairs{{"2026-Q1", "750.00"}, {"2026-Q2", "300.00"}});
  CHECK(result.summary.paid_by_component ==
        Pairs{{"se_bonus", "700.00"}, {"ae_commission", "350.00"}});
  CHECK(result.summary.total_paid == "1050.00");
}

TEST_CASE("RunOptions::payees keeps the chosen payees' rows and totals", "[run][output]") {
  const auto data = demo_data("payees");
  RunOptions options;
  options.payees = {"sam", "sam"};  // a repeat counts once
  const auto result = run_plan(kPlan, data, options);
  REQUIRE(result.ok);
  REQUIRE_FALSE(result.payouts.rows.empty());
  for (const auto& row : result.payouts.rows) CHECK(row[0] == "sam");
  for (const auto& row : result.measures.rows) CHECK(row[0] == "sam");
  REQUIRE(result.credits.rows.size() == 2);  // sam's overlays on d1 and d2
  for (const auto& row : result.credits.rows) CHECK(row[3] == "sam");
  CHECK(result.summary.payees == 1);
  CHECK(result.summary.credits == 2);
  CHECK(result.summary.total_paid == "300.00");
  CHECK(result.summary.paid_by_component == Pairs{{"se_bonus", "300.00"}});
  CHECK(result.summary.paid_by_payee == Pairs{{"sam", "300.00"}});
  CHECK(result.payees.rows.size() == 3);  // the roster stays whole
}

TEST_CASE("an unknown payee in RunOptions::payees names the nearest ids", "[run][output]") {
  const auto data = demo_data("unknown_payee");
  RunOptions options;
  options.payees = {"ann", "bbo"};
  const auto result = run_plan(kPlan, data, options);
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text == "--payee names \"bbo\", who is not in the roster");
  // bob is 2 edits from bbo; ann and sam 3 each (roster order breaks the tie)
  CHECK(result.messages[0].hint ==
        "did you mean \"bob\"? the nearest roster ids are bob, ann, sam");
}

TEST_CASE("RunOptions::progress hears each stage in order", "[run][output]") {
  const auto data = demo_data("progress");
  std::vector<RunProgress> heard;
  RunOptions options;
  options.progress = [&](const RunProgress& p) { heard.push_back(p); };
  const auto result = run_plan(kPlan, data, options);
  REQUIRE(result.ok);
  REQUIRE(heard.size() == result.summary.stages.size());
  for (std::size_t i = 0; i < heard.size(); ++i) {
    CHECK(heard[i].stage == result.summary.stages[i].name);
    CHECK(heard[i].step == static_cast<int>(i) + 1);
    CHECK(heard[i].steps == static_cast<int>(heard.size()));
  }
  CHECK(heard.front().stage == "load");
  CHECK(heard.back().stage == "payouts");
}

TEST_CASE("amount_cents only when the amount is a whole number of cents", "[output]") {
  CHECK(tally::exact_cents("1234.50") == 123450);
  CHECK(tally::exact_cents("-0.07") == -7);
  CHECK(tally::exact_cents("12") == 1200);
  CHECK(tally::exact_cents("3.1") == 310);
  CHECK(tally::exact_cents("0.1250") == std::nullopt);  // an eighth of a dollar: not whole cents
  CHECK(tally::exact_cents("5.000") == 500);
  CHECK(tally::exact_cents("12345678901234567.00") == std::nullopt);  // could overflow
  CHECK(tally::exact_cents("1e3") == std::nullopt);
  CHECK(tally::exact_cents("") == std::nullopt);
}

TEST_CASE("write_outputs in json and sqlite: a plan that cannot be hashed leaves nothing",
          "[output]") {
  const auto data = demo_data("unhashable");
  const auto result = run_plan(kPlan, data);
  REQUIRE(result.ok);
  tally::RunRecord record;
  record.plan_path = data.path() + "/no_such_plan.tally";
  for (auto format : {tally::OutputFormat::json, tally::OutputFormat::sqlite}) {
    const std::string out = data.path() + "/out";
    const auto messages = tally::write_outputs(result, out, format, record);
    REQUIRE(tally::has_errors(messages));
    CHECK(messages[0].text.find("no_such_plan.tally") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
  // the staging folder is gone too: only the two data files remain
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(data.path()))
    ++files;
  CHECK(files == 2);
}
