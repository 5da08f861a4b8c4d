// Aggregates over more than 65,536 credits run in two halves on two threads
// (aggregation.cpp). Every kind must give what one pass over the credits
// gives: here the expected values come from a plain loop over the generated
// rows in integer thousandths, not from the engine.
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

/// Thousandths as Tally prints an amount: two places at least, zeros past
/// them dropped.
std::string amount_text(std::int64_t thousandths) {
  const bool negative = thousandths < 0;
  const std::uint64_t v = negative ? -static_cast<std::uint64_t>(thousandths) : thousandths;
  std::string text = std::to_string(v / 1000) + "." + std::to_string(1000 + v % 1000).substr(1);
  if (text.back() == '0') text.pop_back();
  return (negative ? "-" : "") + text;
}

/// A decimal's digits without trailing fractional zeros (measures are
/// written at the scale of their arithmetic: 899.99000 is 899.99).
std::string trimmed(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

TEST_CASE("aggregates over many credits equal one pass over them", "[aggregation][parallel]") {
  const std::string plan = R"(plan "Many credits" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  product: text
  units: int
  amount: money
}
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure total: money = sum(credit.amount)
measure smallest: money = min(credit.amount)
measure largest: money = max(credit.amount)
measure deal_count: int = count(credit)
measure big_deals: int = count(credit where credit.amount >= 500 USD)
measure products: int = count(distinct deal.product)
measure units: int = sum(deal.units)
measure fewest: int = min(deal.units)
measure average: money = avg(credit.amount)

payout pay = 1% * total
)";
  DataFolder data("parallel_aggregation");
  data.write("payees.csv", "id,role\nann,AE\nbo,AE\ncy,AE\n");
  struct Expected {
    std::int64_t total = 0, smallest = INT64_MAX, largest = INT64_MIN, deals = 0, big = 0,
                 units = 0, fewest = INT64_MAX;
    std::set<std::string> products;
  };
  std::map<std::pair<std::string, std::string>, Expected> expected;
  const char* owners[] = {"ann", "bo", "cy"};
  std::string deals = "id,close_date,owner,product,units,amount\n";
  for (int i = 1; i <= 150'000; ++i) {
    const std::string owner = owners[(i * 7) % 3];
    const int month = 1 + i % 6;  // Q1 and Q2
    // Amounts of 2 or 3 places, some negative (returns), in thousandths.
    std::int64_t thousandths = static_cast<std::int64_t>((i * 7919LL) % 900'000) + 10;
    if (i % 5 != 0) thousandths -= thousandths % 10;  // mostly cents
    if (i % 17 == 0) thousandths = -thousandths;
    const std::int64_t units = (i * 31) % 97 - 10;
    const std::string product = "P" + std::to_string(i % (owner == "cy" ? 5 : 13));
    deals += std::to_string(i) + ",2026-0" + std::to_string(month) + "-1" + std::to_string(i % 9) +
             "," + owner + "," + product + "," + std::to_string(units) + "," +
             amount_text(thousandths) + "\n";
    Expected& e = expected[{owner, month <= 3 ? "2026-Q1" : "2026-Q2"}];
    e.total += thousandths;
    e.smallest = std::min(e.smallest, thousandths);
    e.largest = std::max(e.largest, thousandths);
    ++e.deals;
    e.big += thousandths >= 500'000;
    e.units += units;
    e.fewest = std::min(e.fewest, units);
    e.products.insert(product);
  }
  data.write("deals.csv", deals);
  const auto result = run_plan(plan, data);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  REQUIRE(expected.size() == 6);
  for (const auto& [key, e] : expected) {
    const auto& [payee, period] = key;
    INFO(payee << " " << period);
    CHECK(trimmed(measure(result, payee, period, "total")) == trimmed(amount_text(e.total)));
    CHECK(trimmed(measure(result, payee, period, "smallest")) == trimmed(amount_text(e.smallest)));
    CHECK(trimmed(measure(result, payee, period, "largest")) == trimmed(amount_text(e.largest)));
    CHECK(measure(result, payee, period, "deal_count") == std::to_string(e.deals));
    CHECK(measure(result, payee, period, "big_deals") == std::to_string(e.big));
    CHECK(measure(result, payee, period, "products") == std::to_string(e.products.size()));
    CHECK(measure(result, payee, period, "units") == std::to_string(e.units));
    CHECK(measure(result, payee, period, "fewest") == std::to_string(e.fewest));
    // The mean: total / deals, to the division's 28 digits; its first places
    // are those of the integer quotient.
    const std::string average = measure(result, payee, period, "average");
    const std::int64_t whole = e.total / e.deals / 1000;
    CHECK(average.rfind(std::to_string(whole) + ".", 0) == 0);
  }
}
