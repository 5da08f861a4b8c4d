// Territory resolution, run end to end: priorities, the hierarchy, ties and
// gaps, territories from a map source (through the index), named lists and
// `in` over list-valued fields. Expected amounts are worked out by hand in
// the comments, or by a plain loop written in the test (the index's oracle).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

/// A plan whose only credit line besides the owner's is the territory
/// owner's 50% overlay; `territories` is appended.
std::string plan_with(const std::string& territories, const std::string& extra_fields = "") {
  return R"(plan "Territories" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: text key
  close_date: date
  owner: payee
  account: text
  account_state: text
  segment: text
  amount: money
)" + extra_fields +
         R"(}
roster payees { id: text key, name: text, role: text }

credit won from deals on deal.close_date {
  deal.owner             gets 100%
  owner(territory(deal)) gets 50% overlay
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)" + territories;
}

const std::string kPayees =
    "id,name,role\nann,Ann,AE\nse1,S1,SE\nse2,S2,SE\nse3,S3,SE\nse4,S4,SE\nse9,S9,SE\n";

std::string deals(const std::string& rows) {
  return "id,close_date,owner,account,account_state,segment,amount\n" + rows;
}

RunOptions q1() {
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  return options;
}

}  // namespace

TEST_CASE("the territory of highest priority wins; a child beats its parent") {
  DataFolder data("territory_priority");
  data.write("payees.csv", kPayees);
  // d1 CA Acme 10_000: West, West.CA, Named(1) -> Named: se9 overlay 5_000
  // d2 CA Beta 20_000: West, West.CA -> West.CA (child): se3 overlay 10_000
  // d3 OR Beta 30_000: West -> se1 overlay 15_000
  // d4 NV Beta 40_000: West, West.NV (no owner: West's) -> se1 overlay 20_000
  data.write("deals.csv", deals("d1,2026-01-05,ann,Acme,CA,ENT,10000\n"
                                "d2,2026-01-06,ann,Beta,CA,ENT,20000\n"
                                "d3,2026-01-07,ann,Beta,OR,ENT,30000\n"
                                "d4,2026-01-08,ann,Beta,NV,ENT,40000\n"));
  const auto result = run_plan(plan_with(R"(
territory West = deal.account_state in {"CA", "OR", "NV"} owner "se1"
territory West.CA = deal.account_state == "CA" owner "se3"
territory West.NV = deal.account_state == "NV"
territory Named = deal.account == "Acme" priority 1 owner "se9"
)"),
                               data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "10000.00");  // 100_000 direct
  CHECK(payout(result, "se9", "2026-Q1", "commission") == "500.00");    // 5_000
  CHECK(payout(result, "se3", "2026-Q1", "commission") == "1000.00");   // 10_000
  CHECK(payout(result, "se1", "2026-Q1", "commission") == "3500.00");   // 15_000 + 20_000
}

TEST_CASE("a child matches only where its parent matches") {
  DataFolder data("territory_child_needs_parent");
  data.write("payees.csv", kPayees);
  // d1 NY 60_000: West.Big's own test holds, but West does not -> East (se2): 30_000
  // d2 CA 60_000: West and West.Big -> West.Big (se4): 30_000
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,NY,ENT,60000\n"
                                "d2,2026-01-06,ann,B,CA,ENT,60000\n"));
  const auto result = run_plan(plan_with(R"(
territory West = deal.account_state == "CA" owner "se1"
territory West.Big = deal.amount >= 50_000 USD owner "se4"
territory East = deal.account_state == "NY" owner "se2"
)"),
                               data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "se2", "2026-Q1", "commission") == "3000.00");
  CHECK(payout(result, "se4", "2026-Q1", "commission") == "3000.00");
  CHECK(payout(result, "se1", "2026-Q1", "commission") == "0.00");
}

TEST_CASE("two territories of equal priority are an error naming the transaction") {
  DataFolder data("territory_tie");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,OR,ENT,10000\n"
                                "d2,2026-01-06,ann,B,CA,ENT,60000\n"));
  const std::string plan = plan_with(R"(
territory West = deal.account_state in {"CA", "OR"} owner "se1"
territory Big = deal.amount >= 50_000 USD owner "se2"
)");
  const auto result = run_plan(plan, data, q1());
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  CHECK_FALSE(result.ok);
  CHECK(messages.find("deals.csv:3") != std::string::npos);  // d2 is on row 3
  CHECK(messages.find("transaction \"d2\" matches territories Big and West, both of priority 0") !=
        std::string::npos);
  CHECK(messages.find("\"d1\"") == std::string::npos);

  SECTION("--lenient rejects the transaction and pays the others") {
    RunOptions options = q1();
    options.lenient = true;
    const auto lenient = run_plan(plan, data, options);
    INFO(all_messages(lenient.messages));
    REQUIRE(lenient.ok);
    CHECK(payout(lenient, "ann", "2026-Q1", "commission") == "1000.00");  // d1 only
    CHECK(payout(lenient, "se1", "2026-Q1", "commission") == "500.00");
    REQUIRE(lenient.rejects.rows.size() == 1);
    CHECK(lenient.rejects.rows[0][0] == "ambiguous_territory");
    CHECK(lenient.rejects.rows[0][3] == "d2");
  }
}

TEST_CASE("crediting the owner of a transaction in no territory is an error") {
  DataFolder data("territory_gap");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,CA,ENT,10000\n"
                                "d7,2026-01-06,ann,B,TX,ENT,60000\n"));
  const auto result = run_plan(plan_with(R"(
territory West = deal.account_state == "CA" owner "se1"
)"),
                               data, q1());
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  CHECK_FALSE(result.ok);
  CHECK(messages.find("transaction \"d7\" matches no territory") != std::string::npos);
  CHECK(messages.find("deals.csv row 3") != std::string::npos);
}

TEST_CASE("a territory without an owner credits nobody: owner(...) of it is an error") {
  DataFolder data("territory_no_owner");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,CA,ENT,10000\n"));
  const auto result = run_plan(plan_with(R"(
territory West = deal.account_state == "CA"
)"),
                               data, q1());
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  CHECK_FALSE(result.ok);
  CHECK(messages.find("territory `West` of transaction \"d1\" has no owner") != std::string::npos);
}

TEST_CASE("transactions in no territory are counted in a warning when nothing needs an owner") {
  DataFolder data("territory_gap_warning");
  data.write("payees.csv", "id,name,role\nann,Ann,AE\n");
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,CA,ENT,10000\n"
                                "d2,2026-01-06,ann,B,TX,ENT,20000\n"
                                "d3,2026-01-07,ann,C,NM,ENT,40000\n"));
  const auto result = run_plan(R"(plan "Gaps" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01
source deals { id: text key, close_date: date, owner: payee, account: text,
               account_state: text, segment: text, amount: money }
roster payees { id: text key, name: text, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
territory West = deal.account_state == "CA" owner "ann"
measure west: money = sum(credit.amount where territory(deal) == "West")
measure elsewhere: money = sum(credit.amount where territory(deal) != "West")
payout west_pay = 10% * west
payout other_pay = 1% * elsewhere
)",
                               data, q1());
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "west_pay") == "1000.00");  // 10% of 10_000
  CHECK(payout(result, "ann", "2026-Q1", "other_pay") == "600.00");  // 1% of 60_000
  CHECK(messages.find("2 credited transactions of `deals` match no territory") !=
        std::string::npos);
  CHECK(messages.find("\"d2\"") != std::string::npos);
}

TEST_CASE("territories from a map source agree with testing every map row") {
  // 300 map rows: region r (0..99) x segment (ENT, MID, SMB); row (r, s) covers
  // the states "S<r>" and "X<r>" and is owned by se<1 + (r + s) % 4>. A deal
  // in state S<k> or X<k> of a segment falls in exactly one row; deals in
  // state "ZZ" in none, and go to the catch-all territory Rest (se9).
  std::string map = "id,states,segment,se\n";
  const char* segments[] = {"ENT", "MID", "SMB"};
  for (int r = 0; r < 100; ++r)
    for (int s = 0; s < 3; ++s)
      map += "T" + std::to_string(r) + "-" + segments[s] + ",S" + std::to_string(r) + "|X" +
             std::to_string(r) + "," + segments[s] + ",se" + std::to_string(1 + (r + s) % 4) + "\n";
  std::string rows;
  std::map<std::string, long> overlay;  // the oracle: overlay per SE, by a plain loop
  for (int d = 0; d < 2500; ++d) {
    const int r = (d * 7) % 100;
    const int s = d % 3;
    const bool none = d % 11 == 0;
    const std::string state = none ? "ZZ" : (d % 2 ? "S" : "X") + std::to_string(r);
    const long amount = 100 + d;
    rows += "d" + std::to_string(d) + ",2026-02-01,ann,A" + std::to_string(d) + "," + state + "," +
            segments[s] + "," + std::to_string(amount) + "\n";
    overlay[none ? "se9" : "se" + std::to_string(1 + (r + s) % 4)] += amount;  // 50% below
  }
  DataFolder data("territory_map_index");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals(rows));
  data.write("territory_map.csv", map);
  const auto result = run_plan(plan_with(R"(
source territory_map { id: text key, states: list<text> sep "|", segment: text, se: payee }
territories from territory_map as t
  match deal.account_state in t.states and deal.segment == t.segment
  owner t.se
  priority 1
territory Rest = deal.amount >= 0 USD owner "se9"
)"),
                               data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  for (const auto& [se, amount] : overlay) {
    // commission = 10% of the 50% overlay = amount / 20, exact to the cent.
    const long cents = amount * 5;  // amount / 20 in cents
    const std::string expected = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
                                 std::to_string(cents % 100);
    CHECK(payout(result, se, "2026-Q1", "commission") == expected);
  }
}

TEST_CASE("a map source alone: each key tuple's choice, ties included, holds for all its rows") {
  // Only a `territories from` set: resolution decides once per (state,
  // segment) tuple. CA/ENT matches W1 and W2, both of priority 1: a tie for
  // d1 and d5 alike. OR/ENT matches W1 (1) and W3 (2): W3 wins. NY/SMB: W4.
  DataFolder data("territory_map_alone");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,CA,ENT,10000\n"
                                "d2,2026-01-06,ann,B,OR,ENT,20000\n"
                                "d3,2026-01-07,ann,C,NY,SMB,30000\n"
                                "d4,2026-01-08,ann,D,OR,ENT,1000\n"
                                "d5,2026-01-09,ann,E,CA,ENT,50000\n"));
  data.write("territory_map.csv",
             "id,states,segment,se,prio\nW1,CA|OR,ENT,se1,1\nW2,CA,ENT,se2,1\n"
             "W3,OR,ENT,se3,2\nW4,NY,SMB,se4,1\n");
  const std::string plan = plan_with(R"(
source territory_map { id: text key, states: list<text> sep "|", segment: text, se: payee, prio: int }
territories from territory_map as t
  match deal.account_state in t.states and deal.segment == t.segment
  owner t.se
  priority t.prio
)");
  const auto result = run_plan(plan, data, q1());
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  CHECK_FALSE(result.ok);
  CHECK(messages.find("transaction \"d1\" matches territories W1 and W2, both of priority 1") !=
        std::string::npos);
  CHECK(messages.find("transaction \"d5\" matches territories W1 and W2, both of priority 1") !=
        std::string::npos);
  CHECK(messages.find("\"d2\"") == std::string::npos);

  RunOptions options = q1();
  options.lenient = true;
  const auto lenient = run_plan(plan, data, options);
  INFO(all_messages(lenient.messages));
  REQUIRE(lenient.ok);
  CHECK(lenient.rejects.rows.size() == 2);
  // ann: 10% of d2 + d3 + d4 = 5,100; se3: 10% of 50% of d2 + d4 = 1,050; se4:
  // 10% of 50% of d3; se1 and se2 get nothing.
  CHECK(payout(lenient, "ann", "2026-Q1", "commission") == "5100.00");
  CHECK(payout(lenient, "se3", "2026-Q1", "commission") == "1050.00");
  CHECK(payout(lenient, "se4", "2026-Q1", "commission") == "1500.00");
  CHECK(payout(lenient, "se1", "2026-Q1", "commission") == "0.00");
}

TEST_CASE("a table territory is named by its key unless `name` says otherwise") {
  DataFolder data("territory_map_names");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,A,CA,ENT,10000\n"
                                "d2,2026-01-06,ann,B,NY,ENT,20000\n"));
  data.write("territory_map.csv",
             "id,states,segment,se,label\nW1,CA,ENT,se1,Pacific\n"
             "E1,NY|NJ,ENT,se2,Atlantic\n");
  const std::string fields =
      "source territory_map { id: text key, states: list<text> sep \"|\", segment: text, se: "
      "payee, label: text }\n"
      "territories from territory_map as t\n"
      "  match deal.account_state in t.states and t.segment == deal.segment\n"
      "  owner t.se\n";
  // pay: 1% of the direct credits of deals in territory "W1" (key) or "Pacific" (name).
  const std::string by_key =
      "measure named: money = sum(credit.amount where credit.kind == direct and territory(deal) "
      "== \"W1\")\npayout named_pay = 1% * named\n";
  const std::string by_label =
      "measure named: money = sum(credit.amount where credit.kind == direct and territory(deal) "
      "== \"Pacific\")\npayout named_pay = 1% * named\n";
  const auto keyed = run_plan(plan_with(fields + by_key), data, q1());
  INFO(all_messages(keyed.messages));
  REQUIRE(keyed.ok);
  CHECK(payout(keyed, "ann", "2026-Q1", "named_pay") == "100.00");    // 1% of d1
  CHECK(payout(keyed, "se2", "2026-Q1", "commission") == "1000.00");  // 50% of d2, 10%
  const auto labelled = run_plan(plan_with(fields + "  name t.label\n" + by_label), data, q1());
  INFO(all_messages(labelled.messages));
  REQUIRE(labelled.ok);
  CHECK(payout(labelled, "ann", "2026-Q1", "named_pay") == "100.00");
}

TEST_CASE("list(NAME) reads a declared source's key column or NAME.csv") {
  DataFolder data("territory_named_list");
  data.write("payees.csv", kPayees);
  data.write("deals.csv", deals("d1,2026-01-05,ann,Acme,CA,ENT,10000\n"
                                "d2,2026-01-06,ann,Initech,CA,ENT,20000\n"));
  const std::string territories = R"(
territory West = deal.account_state == "CA" owner "se1"
territory Named = deal.account in list("key_accounts") priority 1 owner "se9"
)";
  // d1 Acme is on the list -> Named (se9): overlay 5_000 -> 500.00
  // d2 Initech is not -> West (se1): overlay 10_000 -> 1_000.00
  SECTION("a file in the data folder: a header, then one item per row") {
    data.write("key_accounts.csv", "account\nAcme\n  Globex  \n");
    const auto result = run_plan(plan_with(territories), data, q1());
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "se9", "2026-Q1", "commission") == "500.00");
    CHECK(payout(result, "se1", "2026-Q1", "commission") == "1000.00");
  }
  SECTION("a source of the plan with that name") {
    data.write("key_accounts.csv", "name,tier\nAcme,1\n");
    const auto result = run_plan(
        plan_with(territories + "source key_accounts { name: text key, tier: int }\n"), data, q1());
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    CHECK(payout(result, "se9", "2026-Q1", "commission") == "500.00");
    // list("key_accounts") uses the source: no "never used" warning.
    const std::string compiled = all_messages(tally::testing::compile_messages(
        plan_with(territories + "source key_accounts { name: text key, tier: int }\n")));
    CHECK(compiled.find("`key_accounts` is never used") == std::string::npos);
  }
  SECTION("no such list is an error naming the file looked for") {
    const auto result = run_plan(plan_with(territories), data, q1());
    const std::string messages = all_messages(result.messages);
    INFO(messages);
    CHECK_FALSE(result.ok);
    CHECK(messages.find("no data for list(\"key_accounts\")") != std::string::npos);
  }
}

TEST_CASE("`in` over a list-valued field of the row") {
  DataFolder data("territory_list_field");
  data.write("payees.csv", "id,name,role\nann,Ann,AE\n");
  data.write("deals.csv",
             "id,close_date,owner,tags,amount\n"
             "d1,2026-01-05,ann,VIP|NEW,10000\n"
             "d2,2026-01-06,ann,NEW,20000\n"
             "d3,2026-01-07,ann,,40000\n");
  const auto result = run_plan(R"(plan "Lists" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01
source deals { id: text key, close_date: date, owner: payee,
               tags: list<text> sep "|", amount: money }
roster payees { id: text key, name: text, role: text }
credit vip from deals where "VIP" in deal.tags on deal.close_date { deal.owner gets 100% }
measure vip_bookings: money = sum(credit.amount)
measure not_new: money = sum(credit.amount where "NEW" not in deal.tags)
payout vip_pay = 10% * vip_bookings
payout check_pay = 10% * not_new
)",
                               data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "vip_pay") == "1000.00");  // d1 only
  CHECK(payout(result, "ann", "2026-Q1", "check_pay") == "0.00");   // d1 has NEW
}
