// A credit rule over more than 131,072 rows runs on two threads (crediting.cpp):
// the credits, their order and every message must be those of one pass. The
// expected figures come from a plain loop over the generated rows.
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>

#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

const char* kPlan = R"(plan "Many rows" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: int key, close_date: date, owner: payee, stage: text, amount: money }
roster payees { id: text key, role: text, manager: payee? }

credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner                      gets 100%
  managers(deal.owner, levels: 2) gets 50% rollup
}

measure bookings: money = sum(credit.amount)
payout pay = 1% * bookings
)";

const char* kPayees =
    "id,role,manager\nann,AE,mia\nbo,AE,mia\ncy,AE,max\nmia,MGR,dee\nmax,MGR,dee\ndee,DIR,\n";

constexpr int kRows = 300'000;

/// The deals, with `unknown_at` (if any) owned by "zed", who is nobody; and
/// the bookings they give each payee in Q1 and Q2, in cents.
std::string deals(int unknown_at, std::map<std::string, std::int64_t>& cents) {
  const char* owners[] = {"ann", "bo", "cy"};
  const char* manager[] = {"mia", "mia", "max"};
  std::string text = "id,close_date,owner,stage,amount\n";
  for (int i = 1; i <= kRows; ++i) {
    const int o = (i * 5) % 3;
    const bool won = i % 4 != 0;
    const std::int64_t amount = 100 + (i * 37) % 100'000;  // cents
    const std::string quarter = i % 2 ? "Q1" : "Q2";
    const std::string owner = i == unknown_at ? "zed" : owners[o];
    text += std::to_string(i) + (i % 2 ? ",2026-02-10," : ",2026-05-10,") + owner +
            (won ? ",Won," : ",Lost,") + std::to_string(amount / 100) + "." +
            std::to_string(100 + amount % 100).substr(1) + "\n";
    if (!won || i == unknown_at) continue;
    cents[owner + quarter] += 2 * amount;  // in half cents: 50% rollups stay whole
    cents[std::string(manager[o]) + quarter] += amount;
    cents["dee" + quarter] += amount;
  }
  return text;
}

/// Half cents as Tally writes 1% of them, rounded half even to cents.
std::string one_percent(std::int64_t half_cents) {
  // 1% of h/200 dollars = h/20000 dollars = h/200 cents, half even.
  std::int64_t q = half_cents / 200;
  const std::int64_t r = half_cents % 200;
  if (r > 100 || (r == 100 && q % 2 == 1)) ++q;
  return std::to_string(q / 100) + "." + std::to_string(100 + q % 100).substr(1);
}

}  // namespace

TEST_CASE("a rule over many rows credits as one pass does", "[crediting][parallel]") {
  DataFolder data("parallel_crediting");
  std::map<std::string, std::int64_t> cents;
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals(0, cents));
  RunOptions options;
  const auto result = run_plan(kPlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  for (const char* payee : {"ann", "bo", "cy", "mia", "max", "dee"})
    for (const char* q : {"Q1", "Q2"}) {
      INFO(payee << " " << q);
      CHECK(payout(result, payee, std::string("2026-") + q, "pay") ==
            one_percent(cents[std::string(payee) + q]));
    }
  // Credits in row order: the rows of the credits table never go back.
  std::int64_t last = 0;
  bool ordered = true;
  for (const auto& row : result.credits.rows) {
    const std::int64_t id = std::stoll(row[1]);
    ordered = ordered && id >= last;
    last = id;
  }
  CHECK(ordered);
  CHECK(result.credits.rows.size() == std::size_t{kRows} / 4 * 3 * 3);
}

TEST_CASE("an unknown payee in the second half is reported as one pass reports it",
          "[crediting][parallel]") {
  DataFolder data("parallel_crediting_error");
  std::map<std::string, std::int64_t> cents;
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals(250'001, cents));
  const auto strict = run_plan(kPlan, data);
  INFO(all_messages(strict.messages));
  REQUIRE_FALSE(strict.ok);
  REQUIRE(strict.messages.size() == 1);
  CHECK(strict.messages[0].line == 250'002);
  CHECK(strict.messages[0].text ==
        "credit rule `won` credits payee \"zed\" for deal \"250001\", who is not in the roster "
        "`payees`");

  RunOptions lenient;
  lenient.lenient = true;
  const auto result = run_plan(kPlan, data, lenient);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  REQUIRE(result.rejects.rows.size() == 1);
  CHECK(result.rejects.rows[0][2] == "250002");
  for (const char* payee : {"ann", "bo", "cy", "mia", "max", "dee"})
    for (const char* q : {"Q1", "Q2"})
      CHECK(payout(result, payee, std::string("2026-") + q, "pay") ==
            one_percent(cents[std::string(payee) + q]));
}
