// Multi-currency runs (docs/semantics/currencies.md): per-row deal
// currencies, convert(...) in each stage, payees paid in their own currency,
// and the errors of missing or bad rates. Amounts are worked out by hand in
// the comments; a rate is USD per 1 unit of the currency.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::Engine;
using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

const std::string kHeader = R"(plan "FX" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source fx_rates { date: date, currency: text, rate: decimal }
)";

const std::string kRowCurrencyPlan = kHeader + R"(
source deals {
  id: text key
  close_date: date
  owner: payee
  currency: text
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";

const std::string kPayees = "id,name,role\nann,Ann,AE\nbob,Bob,AE\n";

const std::string kRates =
    "date,currency,rate\n"
    "2026-01-01,EUR,1.10\n"
    "2026-02-01,EUR,1.20\n"
    "2026-01-01,GBP,1.25\n";

std::string credit_amount(const tally::RunResult& result, const std::string& transaction) {
  for (const auto& row : result.credits.rows)
    if (row[1] == transaction) return row.back();
  return "";
}

RunOptions first_quarter() {
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  return options;
}

}  // namespace

TEST_CASE("fx: a row's currency is converted to the plan's at the credit date", "[fx]") {
  DataFolder data("fx_row_currency");
  data.write("payees.csv", kPayees);
  data.write("fx_rates.csv", kRates);
  // d1: 1_000 EUR on 01-31 at 1.10 = 1_100; d2: 1_000 EUR on 02-01 at 1.20 = 1_200;
  // d3: 100 USD = 100; d4: 80 GBP at 1.25 = 100.
  data.write("deals.csv",
             "id,close_date,owner,currency,amount\n"
             "d1,2026-01-31,ann,EUR,1000\n"
             "d2,2026-02-01,ann,EUR,1000\n"
             "d3,2026-03-01,bob,USD,100\n"
             "d4,2026-03-02,bob,GBP,80\n");
  auto result = run_plan(kRowCurrencyPlan, data, first_quarter());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(credit_amount(result, "d1") == "1100.00");
  CHECK(credit_amount(result, "d2") == "1200.00");
  CHECK(credit_amount(result, "d3") == "100.00");
  CHECK(credit_amount(result, "d4") == "100.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "230.00");  // 10% of 2_300
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "20.00");   // 10% of 200
}

TEST_CASE("fx: a missing rate names the currency, the day and the transaction", "[fx]") {
  DataFolder data("fx_missing_row_rate");
  data.write("payees.csv", kPayees);
  data.write("fx_rates.csv", kRates);
  data.write("deals.csv",
             "id,close_date,owner,currency,amount\n"
             "d1,2026-01-31,ann,EUR,1000\n"
             "d9,2025-12-31,bob,EUR,500\n");
  auto result = run_plan(kRowCurrencyPlan, data);
  const std::string text = all_messages(result.messages);
  INFO(text);
  REQUIRE_FALSE(result.ok);
  CHECK(text.find("no exchange rate for EUR on or before 2025-12-31") != std::string::npos);
  CHECK(text.find("the first rate for EUR in the FX source `fx_rates` is on 2026-01-01") !=
        std::string::npos);
  CHECK(text.find("transaction d9") != std::string::npos);
  CHECK(text.find("deals.csv row 3") != std::string::npos);
  CHECK(result.payouts.rows.empty());
}

TEST_CASE("fx: a currency without any rate is an error", "[fx]") {
  DataFolder data("fx_unknown_currency");
  data.write("payees.csv", kPayees);
  data.write("fx_rates.csv", kRates);
  data.write("deals.csv", "id,close_date,owner,currency,amount\nd1,2026-01-31,ann,CHF,1000\n");
  auto result = run_plan(kRowCurrencyPlan, data);
  const std::string text = all_messages(result.messages);
  INFO(text);
  REQUIRE_FALSE(result.ok);
  CHECK(text.find("no exchange rate for CHF on or before 2026-01-31: the FX source `fx_rates` "
                  "has no rate for CHF") != std::string::npos);
}

TEST_CASE("fx: money fields of a row-currency source are read only as the credited amount",
          "[fx]") {
  const std::string plan = kHeader + R"(
source deals {
  id: text key
  close_date: date
  owner: payee
  currency: text
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit big from deals where deal.amount > 1_000 USD on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("fx_refused_read");
  data.write("payees.csv", kPayees);
  data.write("fx_rates.csv", kRates);
  data.write("deals.csv", "id,close_date,owner,currency,amount\nd1,2026-01-31,ann,EUR,1000\n");
  auto result = run_plan(plan, data);
  const std::string text = all_messages(result.messages);
  INFO(text);
  REQUIRE_FALSE(result.ok);
  CHECK(text.find("a read of the money field `amount` of `deals`, whose rows carry their own "
                  "currency") != std::string::npos);
}

TEST_CASE("fx: a row-currency source needs an FX source", "[fx]") {
  const std::string plan = R"(plan "FX" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  close_date: date
  owner: payee
  currency: text
  amount: money
}
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("fx_no_source");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", "id,close_date,owner,currency,amount\nd1,2026-01-31,ann,USD,1000\n");
  auto result = run_plan(plan, data);
  const std::string text = all_messages(result.messages);
  INFO(text);
  REQUIRE_FALSE(result.ok);
  CHECK(text.find("the plan converts currencies, but has no FX source") != std::string::npos);
}

TEST_CASE("fx: bad rate rows are errors naming the row", "[fx]") {
  DataFolder data("fx_bad_rows");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", "id,close_date,owner,currency,amount\nd1,2026-01-31,ann,USD,1000\n");
  SECTION("a rate of zero") {
    data.write("fx_rates.csv", "date,currency,rate\n2026-01-01,EUR,1.1\n2026-01-02,EUR,0\n");
    auto result = run_plan(kRowCurrencyPlan, data);
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("fx_rates.csv row 3: the rate of EUR is 0.0; a rate must be more than zero") !=
          std::string::npos);
  }
  SECTION("a currency that is not a code") {
    data.write("fx_rates.csv", "date,currency,rate\n2026-01-01,eur,1.1\n");
    auto result = run_plan(kRowCurrencyPlan, data);
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("the currency must be a three-letter code such as EUR, found \"eur\"") !=
          std::string::npos);
  }
  SECTION("the plan's own currency at a rate other than 1") {
    data.write("fx_rates.csv", "date,currency,rate\n2026-01-01,USD,1\n2026-02-01,USD,0.99\n");
    auto result = run_plan(kRowCurrencyPlan, data);
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("row 3: USD is the plan's currency, so its rate is 1, found 0.99") !=
          std::string::npos);
    CHECK(text.find("row 2:") == std::string::npos);  // a rate of 1 for USD is allowed
  }
}

TEST_CASE("fx: an FX source without date, currency and rate fields cannot be used", "[fx]") {
  const std::string plan = R"(plan "FX" version 1
  currency USD
  periods quarter

source fx_table { day: date, code: text, rate: decimal }
source deals { id: text key, close_date: date, owner: payee, amount: money<EUR> }
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(convert(credit.amount, to: USD, on: credit.date))
payout commission = 10% * bookings
)";
  DataFolder data("fx_bad_schema");
  data.write("payees.csv", kPayees);
  data.write("fx_table.csv", "day,code,rate\n2026-01-01,EUR,1.1\n");
  data.write("deals.csv", "id,close_date,owner,amount\nd1,2026-01-31,ann,1000\n");
  auto result = run_plan(plan, data);
  const std::string text = all_messages(result.messages);
  INFO(text);
  REQUIRE_FALSE(result.ok);
  CHECK(text.find("the FX source `fx_table` needs the fields `date: date`, `currency: text` and "
                  "`rate: decimal`") != std::string::npos);
}

TEST_CASE("fx: convert(...) in a measure runs per credit and names the credit it misses", "[fx]") {
  const std::string plan = kHeader + R"(
source deals { id: text key, close_date: date, owner: payee, amount: money<GBP> }
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(convert(credit.amount, to: USD, on: credit.date))
measure in_eur: money<EUR> = sum(convert(credit.amount, to: EUR, on: credit.date))
payout commission = 10% * bookings
)";
  DataFolder data("fx_measure");
  data.write("payees.csv", kPayees);
  data.write("fx_rates.csv", kRates);
  SECTION("converted") {
    // 100 GBP on 02-10: to USD 100 * 1.25 = 125; to EUR 125 / 1.20 = 104.1666...
    data.write("deals.csv", "id,close_date,owner,amount\nd1,2026-02-10,ann,100\n");
    auto result = run_plan(plan, data, first_quarter());
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "commission") == "12.50");
    const std::string eur = tally::testing::measure(result, "ann", "2026-Q1", "in_eur");
    CHECK(eur.rfind("104.16666666666666666666666", 0) == 0);  // 28 significant digits
  }
  SECTION("missing") {
    data.write("deals.csv",
               "id,close_date,owner,amount\nd1,2026-02-10,ann,100\n"
               "d7,2025-11-30,bob,50\n");
    auto result = run_plan(plan, data);
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("no exchange rate for GBP on or before 2025-11-30") != std::string::npos);
    CHECK(text.find("the credit of transaction d7 (") != std::string::npos);
  }
}

TEST_CASE("fx: convert(...) in a payout names the payee and period it misses", "[fx]") {
  const std::string plan = kHeader + R"(
source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text, start: date }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout welcome = convert(100 EUR, to: USD, on: payee.start)
)";
  DataFolder data("fx_payout");
  data.write("fx_rates.csv", kRates);
  data.write("deals.csv", "id,close_date,owner,amount\nd1,2026-02-10,ann,100\n");
  SECTION("converted at each payee's own date") {
    // ann 01-15: 100 * 1.10 = 110; bob 02-15: 100 * 1.20 = 120.
    data.write("payees.csv", "id,name,role,start\nann,Ann,AE,2026-01-15\nbob,Bob,AE,2026-02-15\n");
    auto result = run_plan(plan, data, first_quarter());
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "ann", "2026-Q1", "welcome") == "110.00");
    CHECK(payout(result, "bob", "2026-Q1", "welcome") == "120.00");
  }
  SECTION("missing") {
    data.write("payees.csv", "id,name,role,start\nann,Ann,AE,2026-01-15\nbob,Bob,AE,2025-06-01\n");
    auto result = run_plan(plan, data, first_quarter());
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("no exchange rate for EUR on or before 2025-06-01") != std::string::npos);
    CHECK(text.find("payee \"bob\", period 2026-Q1") != std::string::npos);
  }
}

TEST_CASE("fx: payees paid in their own currency get a converted column", "[fx]") {
  const std::string plan = R"(plan "FX" version 1
  currency USD
  periods quarter
  rounding half_up to 0.01

source fx_rates { date: date, currency: text, rate: decimal }
source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text, currency: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("fx_payee_currency");
  data.write("payees.csv", "id,name,role,currency\nann,Ann,AE,USD\nbob,Bob,AE,GBP\n");
  // Q1 ends 2026-03-31: GBP rate of 2026-01-01 (1.25) applies, not the April one.
  data.write("fx_rates.csv", "date,currency,rate\n2026-01-01,GBP,1.25\n2026-04-01,GBP,2\n");
  // bob: 10% of 1_000.05 = 100.005 -> 100.01 (half_up) USD -> / 1.25 = 80.008 -> 80.01 GBP.
  data.write("deals.csv",
             "id,close_date,owner,amount\nd1,2026-02-10,ann,500\n"
             "d2,2026-03-31,bob,1000.05\n");
  auto result = run_plan(plan, data, first_quarter());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  REQUIRE(result.payouts.columns == std::vector<std::string>{"payee", "period", "component",
                                                             "amount", "currency", "payee_amount"});
  for (const auto& row : result.payouts.rows) {
    REQUIRE(row.size() == 6);
    if (row[0] == "ann") CHECK((row[3] == "50.00" && row[4] == "USD" && row[5] == "50.00"));
    if (row[0] == "bob") CHECK((row[3] == "100.01" && row[4] == "GBP" && row[5] == "80.01"));
  }
  CHECK(result.summary.total_paid == "150.01");  // totals stay in the plan's currency
}

TEST_CASE("fx: a payee in a foreign currency without an FX source is an error", "[fx]") {
  const std::string plan = R"(plan "FX" version 1
  currency USD
  periods quarter

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text, currency: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("fx_payee_no_source");
  data.write("deals.csv", "id,close_date,owner,amount\nd1,2026-02-10,ann,500\n");
  SECTION("everyone in the plan's currency runs") {
    data.write("payees.csv", "id,name,role,currency\nann,Ann,AE,USD\n");
    auto result = run_plan(plan, data, first_quarter());
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(result.payouts.rows.at(0).at(5) == "50.00");
  }
  SECTION("a payee in EUR stops the run") {
    data.write("payees.csv", "id,name,role,currency\nann,Ann,AE,EUR\n");
    auto result = run_plan(plan, data, first_quarter());
    const std::string text = all_messages(result.messages);
    INFO(text);
    REQUIRE_FALSE(result.ok);
    CHECK(text.find("no exchange rate for EUR on or before 2026-03-31: the plan has no FX source "
                    "loaded") != std::string::npos);
    CHECK(text.find("payee \"ann\"") != std::string::npos);
  }
}

TEST_CASE("fx: convert(...) outside a run", "[fx]") {
  Engine engine;
  // Same currency: no rate is needed.
  auto same = engine.evaluate("convert(12.50 EUR, to: EUR, on: 2026-01-01)");
  INFO(all_messages(same.messages));
  // The checker may refuse convert(...) without a plan's FX source; a run is
  // where conversions happen, so either outcome is fine as long as nothing
  // crashes and a value, when given, is the amount unchanged.
  if (same.ok) CHECK(same.value == "12.50 EUR");
  auto other = engine.evaluate("convert(12.50 EUR, to: USD, on: 2026-01-01)");
  CHECK_FALSE(other.ok);
}
