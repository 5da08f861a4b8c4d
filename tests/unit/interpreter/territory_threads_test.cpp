// Territory resolution on two threads (interpreter/territory_resolution.cpp,
// sets_by_key_tuple): from 2^19 rows, a lone `territories from` set numbers
// the key tuples of the later half of the rows on a second thread. What one
// thread finds is the oracle: the same territories per row, the same
// warnings for rows without one, the same errors for ties, in the same
// order, and the same rejects under --lenient.
#include <catch2/catch.hpp>
#include <string>

#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

const std::string kPlan = R"(plan "Territories" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  state: text
  amount: money
}
roster payees { id: text key, role: text }
source territories { id: int key, states: list<text> sep "|", lead: payee }

territories from territories as t
  match deal.state in t.states
  owner t.lead

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure west: money = sum(credit.amount where territory(deal) == "1")
measure east: money = sum(credit.amount where territory(deal) == "2")
measure islands: money = sum(credit.amount where territory(deal) == "3")

payout commission = 1% * west + 2% * east + 3% * islands
)";

constexpr int kDeals = (1 << 19) + 9'001;

/// kDeals deals; the states of the later half include some the first half
/// never has: "HI" (territory 3), "ZZ" and "GU" (no territory), and,
/// with `tie`, "AK", in territories 3 and 4 alike from deal 500,001 on.
DataFolder deals(const std::string& name, bool tie) {
  DataFolder data(name);
  data.write("payees.csv", "id,role\na1,AE\na2,AE\na3,AE\n");
  data.write("territories.csv",
             std::string("id,states,lead\n1,CA|OR|WA,a1\n2,NY|NJ|TX,a2\n3,HI,a3\n") +
                 (tie ? "4,AK,a1\n5,AK,a2\n" : ""));
  const char* early[] = {"CA", "OR", "WA", "NY", "NJ", "TX"};
  const char* late[] = {"CA", "HI", "TX", "ZZ", "GU", "NY", "AK"};
  std::string text = "id,close_date,owner,state,amount\n";
  text.reserve(static_cast<std::size_t>(kDeals) * 40);
  for (int i = 1; i <= kDeals; ++i) {
    const int month = 1 + (i / 7) % 12;
    std::string state = i <= kDeals / 2 ? early[i % 6] : late[i % 7];
    if (state == "AK" && (!tie || i <= 500'000)) state = "HI";
    text += std::to_string(i) + ",2026-" + (month < 10 ? "0" : "") + std::to_string(month) + "-1" +
            std::to_string(i % 9) + ",a" + std::to_string(1 + i % 3) + "," + state + "," +
            std::to_string(100 + i % 9'000) + "." + std::to_string(10 + i % 90) + "\n";
  }
  data.write("deals.csv", text);
  return data;
}

RunOptions on_threads(unsigned threads, bool lenient = false) {
  RunOptions options;
  options.threads = threads;
  options.lenient = lenient;
  return options;
}

}  // namespace

TEST_CASE("territories resolved on two threads are those of one", "[territories][threads]") {
  const DataFolder data = deals("territory_threads", false);
  const RunResult one = run_plan(kPlan, data, on_threads(1));
  const RunResult two = run_plan(kPlan, data, on_threads(2));
  INFO(all_messages(one.messages) + all_messages(two.messages));
  REQUIRE(one.ok);
  REQUIRE(two.ok);
  CHECK(two.measures.rows == one.measures.rows);
  CHECK(two.payouts.rows == one.payouts.rows);
  CHECK(all_messages(two.messages) == all_messages(one.messages));
  // By hand: the later half's "ZZ" and "GU" states (2 of every 7 of its
  // rows) have no territory; "HI" rows are islands, met only there.
  const std::string messages = all_messages(two.messages);
  CHECK(messages.find("match no territory") != std::string::npos);
  CHECK(measure(two, "a1", "2026-Q1", "islands") != "0");
}

TEST_CASE("ties met in the later half are reported as one thread reports them",
          "[territories][threads]") {
  const DataFolder data = deals("territory_threads_tie", true);
  const RunResult one = run_plan(kPlan, data, on_threads(1));
  const RunResult two = run_plan(kPlan, data, on_threads(2));
  REQUIRE_FALSE(one.ok);
  REQUIRE_FALSE(two.ok);
  CHECK(all_messages(two.messages) == all_messages(one.messages));
  // The first tie is the first "AK" deal after 500,000: 500,002 (i % 7 == 6).
  CHECK(all_messages(two.messages).find("transaction \"500002\" matches territories 4 and 5") !=
        std::string::npos);
  const RunResult lenient_one = run_plan(kPlan, data, on_threads(1, true));
  const RunResult lenient_two = run_plan(kPlan, data, on_threads(2, true));
  REQUIRE(lenient_one.ok);
  REQUIRE(lenient_two.ok);
  CHECK(lenient_two.rejects.rows == lenient_one.rejects.rows);
  CHECK(lenient_two.measures.rows == lenient_one.measures.rows);
  CHECK_FALSE(lenient_two.rejects.rows.empty());
}
