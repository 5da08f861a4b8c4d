// RunOptions::threads (`tally run --threads N`): results are byte-identical
// whatever the number of threads. The data is large enough for the stages
// that work on two threads to do so (crediting past 131,072 rows,
// aggregation past 65,536 credits), so one thread against two compares the
// parallel paths with the sequential ones on every table. (The loader's
// parts need a file of 16 MiB; tests/unit/io compares them with one pass.)
#include <catch2/catch.hpp>
#include <string>

#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

TEST_CASE("one thread and two give the same tables", "[threads][parallel]") {
  const std::string plan = R"(plan "Threads" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  se: payee
  amount: money
}
roster payees { id: text key, role: text, manager: payee? }

credit won from deals on deal.close_date {
  deal.owner gets 100%
  deal.se gets 50% overlay
  managers(deal.owner, levels: 1) gets 100% rollup
}

measure bookings: money = sum(credit.amount)
measure deals_won: int = count(credit)
measure largest: money = max(credit.amount)

payout commission for role == "AE" = 3% * bookings
payout se_pay for role == "SE" = 1% * bookings
payout override for role == "MGR" = 0.5% * bookings
)";
  DataFolder data("threads");
  data.write(
      "payees.csv",
      "id,role,manager\nmia,MGR,\nann,AE,mia\nbo,AE,mia\ncy,AE,mia\nsam,SE,mia\nsal,SE,mia\n");
  const char* owners[] = {"ann", "bo", "cy"};
  std::string deals = "id,close_date,owner,se,amount\n";
  for (int i = 1; i <= 140'000; ++i) {
    const int month = 1 + i % 12;
    deals += std::to_string(i) + ",2026-" + (month < 10 ? "0" : "") + std::to_string(month) + "-1" +
             std::to_string(i % 9) + "," + owners[(i * 7) % 3] + "," +
             (i % 4 == 0 ? "sam" : "sal") + "," + std::to_string((i * 7919) % 90'000) + "." +
             std::to_string(10 + i % 90) + "\n";
  }
  data.write("deals.csv", deals);

  RunOptions one;
  one.threads = 1;
  RunOptions two;
  two.threads = 2;
  const auto sequential = run_plan(plan, data, one);
  INFO(all_messages(sequential.messages));
  REQUIRE(sequential.ok);
  const auto parallel = run_plan(plan, data, two);
  INFO(all_messages(parallel.messages));
  REQUIRE(parallel.ok);
  // 140,000 deals, each credited to its owner, its SE and the owner's manager.
  CHECK(sequential.summary.credits == 3 * 140'000);
  CHECK(parallel.payouts.rows == sequential.payouts.rows);
  CHECK(parallel.credits.rows == sequential.credits.rows);
  CHECK(parallel.measures.rows == sequential.measures.rows);
  CHECK(parallel.summary.total_paid == sequential.summary.total_paid);
}
