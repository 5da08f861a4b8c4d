// The last gaps of the engine (issue 4): missing exchange rates in measures
// and payouts under --lenient, bad records of JSON sources under --lenient,
// clawbacks and territories in plans whose rules read several sources,
// owner() of any territory value, and period-keyed tables looked up in credit
// rules. Amounts are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include "interpreter/territory_data.hpp"
#include "interpreter/vm_territories.hpp"
#include "plan_fixture.hpp"

using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::measure;
using tally::testing::payout;
using tally::testing::run_plan;

namespace {

RunOptions lenient_q1() {
  RunOptions options;
  options.lenient = true;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  return options;
}

RunOptions q1() {
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q1";
  return options;
}

/// The rejects rows of one kind.
std::vector<std::vector<std::string>> rejects_of(const tally::RunResult& result,
                                                 const std::string& kind) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : result.rejects.rows)
    if (!row.empty() && row[0] == kind) out.push_back(row);
  return out;
}

// ---- 1. missing exchange rates under --lenient

const std::string kFxMeasurePlan = R"(plan "FX measure" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money<EUR> }
source fx_rates { date: date, currency: text, rate: decimal }
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure deals_won: int = count(credit)
measure bookings: money = sum(convert(credit.amount, to: USD, on: credit.date))
measure biggest: money<EUR> = max(credit.amount)

payout commission = 10% * bookings
payout per_deal = 10 USD * deals_won
)";

void write_fx_measure_data(const DataFolder& data) {
  data.write("deals.csv",
             "id,close_date,owner,amount\n"
             "D1,2026-01-15,ann,1000\n"
             "D2,2026-01-05,ann,2000\n"  // before the first EUR rate
             "D3,2026-02-20,bob,500\n"
             "D4,2026-01-02,bob,700\n");  // before the first EUR rate
  data.write("fx_rates.csv", "date,currency,rate\n2026-01-10,EUR,1.05\n2026-02-01,EUR,1.10\n");
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\n");
}

}  // namespace

TEST_CASE("gaps: a missing rate in a measure rejects the credit under --lenient", "[gaps][fx]") {
  DataFolder data("gaps_fx_measure");
  write_fx_measure_data(data);
  const auto result = run_plan(kFxMeasurePlan, data, lenient_q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann: D1 1000 × 1.05 = 1050 -> 105.00; D2 rejected, not counted: 1 deal.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "105.00");
  CHECK(payout(result, "ann", "2026-Q1", "per_deal") == "10.00");
  // The rejected credit is out of every measure, even one declared before
  // the measure that converts (count) and one that does not convert (max).
  CHECK(measure(result, "ann", "2026-Q1", "deals_won") == "1");
  CHECK(measure(result, "ann", "2026-Q1", "biggest") == "1000.00");
  // bob: D3 500 × 1.10 = 550 -> 55.00; D4 rejected.
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "55.00");
  CHECK(measure(result, "bob", "2026-Q1", "biggest") == "500.00");
  const auto rejects = rejects_of(result, "missing_fx_rate");
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0][1] == "deals.csv");
  CHECK(rejects[0][2] == "3");
  CHECK(rejects[0][3] == "D2");
  CHECK(rejects[0][4].find("no exchange rate for EUR on or before 2026-01-05") !=
        std::string::npos);
  CHECK(rejects[0][4].find("measure `bookings`") != std::string::npos);
  CHECK(rejects[1][3] == "D4");
  CHECK(rejects[1][2] == "5");
  // The credits table leaves them out too.
  CHECK(result.credits.rows.size() == 2);
}

TEST_CASE("gaps: a missing rate in a measure stays an error without --lenient", "[gaps][fx]") {
  DataFolder data("gaps_fx_measure_error");
  write_fx_measure_data(data);
  const auto result = run_plan(kFxMeasurePlan, data, q1());
  CHECK_FALSE(result.ok);
  const std::string messages = all_messages(result.messages);
  CHECK(messages.find("no exchange rate for EUR on or before 2026-01-05") != std::string::npos);
  CHECK(messages.find("transaction \"D2\"") != std::string::npos);
}

TEST_CASE("gaps: a missing rate in a payout or a let leaves that payout out under --lenient",
          "[gaps][fx]") {
  const std::string plan = R"(plan "FX payout" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
source fx_rates { date: date, currency: text, rate: decimal }
roster payees { id: text key, role: text, bonus_date: date }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
let kicker_usd = convert(100 EUR, to: USD, on: payee.bonus_date)

payout commission = 10% * bookings
payout spiff = convert(500 EUR, to: USD, on: payee.bonus_date)
payout kicker = kicker_usd
payout double_kicker = 2 * kicker_usd
draw guarantee = 1_000 USD
)";
  DataFolder data("gaps_fx_payout");
  data.write("deals.csv",
             "id,close_date,owner,amount\nD1,2026-01-15,ann,1000\nD2,2026-02-20,bob,2000\n");
  data.write("fx_rates.csv", "date,currency,rate\n2026-01-10,EUR,1.05\n2026-02-01,EUR,1.10\n");
  data.write("payees.csv", "id,role,bonus_date\nann,AE,2026-02-15\nbob,AE,2026-01-05\n");
  const auto result = run_plan(plan, data, lenient_q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann (rate 1.10): 100 + 550 + 110 + 220 = 980, the draw tops up 20.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "100.00");
  CHECK(payout(result, "ann", "2026-Q1", "spiff") == "550.00");
  CHECK(payout(result, "ann", "2026-Q1", "kicker") == "110.00");
  CHECK(payout(result, "ann", "2026-Q1", "double_kicker") == "220.00");
  CHECK(payout(result, "ann", "2026-Q1", "guarantee") == "20.00");
  // bob (no rate on 2026-01-05): only the commission 200.00 is paid; the
  // draw tops up what is left out: 1000 - 200 = 800.
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "200.00");
  CHECK(payout(result, "bob", "2026-Q1", "spiff").empty());
  CHECK(payout(result, "bob", "2026-Q1", "kicker").empty());
  CHECK(payout(result, "bob", "2026-Q1", "double_kicker").empty());
  CHECK(payout(result, "bob", "2026-Q1", "guarantee") == "800.00");
  const auto rejects = rejects_of(result, "missing_fx_rate");
  REQUIRE(rejects.size() == 3);
  const std::string names[] = {"spiff", "kicker", "double_kicker"};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(rejects[i][4]);
    CHECK(rejects[i][1].empty());
    CHECK(rejects[i][4].find("no exchange rate for EUR on or before 2026-01-05") !=
          std::string::npos);
    CHECK(rejects[i][4].find("payee \"bob\", period 2026-Q1") != std::string::npos);
    CHECK(rejects[i][4].find("the payout `" + names[i] + "`") != std::string::npos);
  }
  // Without --lenient it stops the run, naming the payee and period.
  const auto strict = run_plan(plan, data, q1());
  CHECK_FALSE(strict.ok);
  CHECK(all_messages(strict.messages).find("payee \"bob\", period 2026-Q1") != std::string::npos);
}

// ---- 2. JSON sources under --lenient

TEST_CASE("gaps: a bad record of a JSON source is a rejected row under --lenient", "[gaps][json]") {
  const std::string plan = R"(plan "JSON" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("gaps_json_lenient");
  data.write("deals.json",
             "[\n"
             "  {\"id\": \"D1\", \"close_date\": \"2026-01-15\", \"owner\": \"ann\", "
             "\"amount\": 1000},\n"
             "  {\"id\": \"D2\", \"close_date\": \"2026-02-30\", \"owner\": \"ann\", "
             "\"amount\": 2000},\n"
             "  {\"id\": \"D3\", \"close_date\": \"2026-02-01\", \"owner\": \"bob\", "
             "\"amount\": [1]},\n"
             "  {\"id\": \"D4\", \"close_date\": \"2026-02-01\", \"owner\": \"bob\", "
             "\"amount\": null},\n"
             "  42,\n"
             "  {\"id\": \"D5\", \"owner\": \"bob\", \"amount\": 500},\n"
             "  {\"id\": \"D6\", \"close_date\": \"2026-03-01\", \"owner\": \"bob\", "
             "\"amount\": 400}\n"
             "]\n");
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\n");
  const auto result = run_plan(plan, data, lenient_q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // Kept: D1 (ann 1000) and D6 (bob 400): 100.00 and 40.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "100.00");
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "40.00");
  const auto rejects = rejects_of(result, "bad_row");
  REQUIRE(rejects.size() == 5);
  // The row of each is the line of its record (the `[` is line 1).
  const std::string rows[] = {"3", "4", "5", "6", "7"};
  const std::string says[] = {"found \"2026-02-30\"", "expected a single value, found an array",
                              "a value is required, found null", "item 5 of the array is a number",
                              "no key \"close_date\""};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO(rejects[i][4]);
    CHECK(rejects[i][1] == "deals.json");
    CHECK(rejects[i][2] == rows[i]);
    CHECK(rejects[i][4].find(says[i]) != std::string::npos);
  }
  CHECK(result.credits.rows.size() == 2);

  // Without --lenient: errors naming the lines, and no result.
  const auto strict = run_plan(plan, data, q1());
  CHECK_FALSE(strict.ok);
  const std::string messages = all_messages(strict.messages);
  CHECK(messages.find("deals.json:3:") != std::string::npos);
  CHECK(messages.find("item 5 of the array is a number") != std::string::npos);
}

TEST_CASE("gaps: a record left out under --lenient keeps later messages on its lines",
          "[gaps][json]") {
  // An unknown payee after a bad record is named by its own line.
  const std::string plan = R"(plan "JSON" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("gaps_json_lines");
  data.write("deals.json",
             "[{\"id\": \"D1\", \"close_date\": \"x\", \"owner\": \"ann\", \"amount\": 1},\n"
             " {\"id\": \"D2\", \"close_date\": \"2026-01-02\", \"owner\": \"zed\", "
             "\"amount\": 1},\n"
             " {\"id\": \"D3\", \"close_date\": \"2026-01-02\", \"owner\": \"ann\", "
             "\"amount\": 250}]\n");
  data.write("payees.csv", "id,role\nann,AE\n");
  const auto result = run_plan(plan, data, lenient_q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "25.00");
  const auto bad = rejects_of(result, "bad_row");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0][2] == "1");
  const auto unknown = rejects_of(result, "unknown_payee");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0][2] == "2");
  CHECK(unknown[0][3] == "D2");
}

// ---- 3. clawbacks and territories over several credited sources

TEST_CASE("gaps: territories resolve over the source they name in a multi-source plan",
          "[gaps][territories]") {
  const std::string plan = R"(plan "Two sources" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, state: text, amount: money }
source renewals { id: text key, day: date, rep: payee, amount: money }
roster payees { id: text key, role: text }

territory West = deal.state in {"CA", "OR"} owner "se1"
territory East = deal.state == "NY" owner "se2"

credit won from deals on deal.close_date {
  deal.owner gets 100%
  owner(territory(deal)) gets 100% overlay
}

credit renewed from renewals as r on r.day {
  r.rep gets 100%
}

measure bookings: money = sum(credit.amount where credit.kind == direct)
measure west: money = sum(credit.amount where credit.kind == direct and territory(deal) == "West")
measure overlay_total: money = sum(credit.amount where credit.kind == overlay)

payout commission for role == "AE" = 10% * bookings
payout west_bonus for role == "AE" = 1% * west
payout se_pay for role == "SE" = 2% * overlay_total
)";
  DataFolder data("gaps_two_sources_territories");
  // The renewals' rows 0 and 1 are not deals' rows 0 and 1: R1 must not
  // take D1's territory (CA) nor R2 D2's.
  data.write("deals.csv",
             "id,close_date,owner,state,amount\n"
             "D1,2026-01-10,ann,CA,1000\nD2,2026-02-10,bob,NY,2000\n");
  data.write("renewals.csv", "id,day,rep,amount\nR1,2026-01-15,ann,300\nR2,2026-02-15,bob,700\n");
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\nse1,SE\nse2,SE\n");
  const auto result = run_plan(plan, data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann: 1000 + 300 = 1300 -> 130.00; west: D1 only -> 1% of 1000 = 10.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "130.00");
  CHECK(payout(result, "ann", "2026-Q1", "west_bonus") == "10.00");
  // bob: 2000 + 700 = 2700 -> 270.00; no West deal -> 0.00.
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "270.00");
  CHECK(payout(result, "bob", "2026-Q1", "west_bonus") == "0.00");
  // se1: D1 1000 -> 20.00; se2: D2 2000 -> 40.00.
  CHECK(payout(result, "se1", "2026-Q1", "se_pay") == "20.00");
  CHECK(payout(result, "se2", "2026-Q1", "se_pay") == "40.00");
}

TEST_CASE("gaps: territory(row) of a source the territories do not read is a check error",
          "[gaps][territories]") {
  const std::string plan = R"(plan "Two sources" version 1
  currency USD
  periods quarter

source deals { id: text key, close_date: date, owner: payee, state: text, amount: money }
source renewals { id: text key, day: date, rep: payee, amount: money }
roster payees { id: text key, role: text }

territory West = deal.state in {"CA", "OR"} owner "se1"

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

credit renewed from renewals as r on r.day {
  owner(territory(r)) gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  const std::string messages = all_messages(tally::testing::compile_messages(plan));
  CHECK(messages.find("territory(r) asks for the territory of a row of `renewals`, but the "
                      "territories are resolved over the rows of `deals`") != std::string::npos);
}

TEST_CASE("gaps: a clawback in a multi-source plan weighs each aggregate over its own credits",
          "[gaps][clawbacks]") {
  // The rule over renewals comes first: the clawback still reads deals, the
  // source its condition names.
  const std::string plan = R"(plan "Two sources" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, kind: text, amount: money, cancelled_on: date? }
source renewals { id: text key, day: date, rep: payee, amount: money }
roster payees { id: text key, role: text }

credit renewed from renewals as r on r.day {
  r.rep gets 100%
}

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure new_logo: money = sum(credit.amount where deal.kind == "new")
measure bookings: money = sum(credit.amount)

payout logo_bonus = 10% * new_logo
payout commission = 10% * bookings

clawback logo_bonus when deal.cancelled_on within 90 days of deal.close_date and credit
clawback commission when deal.cancelled_on within 90 days of deal.close_date
)";
  DataFolder data("gaps_two_sources_clawback");
  data.write("deals.csv",
             "id,close_date,owner,kind,amount,cancelled_on\n"
             "D1,2026-01-10,ann,new,1000,2026-02-01\n"
             "D2,2026-01-20,ann,new,3000,\n");
  // R1 is row 0 of renewals, as D1 is of deals.
  data.write("renewals.csv", "id,day,rep,amount\nR1,2026-01-15,ann,4000\n");
  data.write("payees.csv", "id,role\nann,AE\n");
  const auto result = run_plan(plan, data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // `and credit` reverses D1 in Q1 itself (cancelled 2026-02-01, same
  // quarter): new_logo = 1000 + 3000 - 1000 = 3000 -> logo_bonus 300.00;
  // bookings = 1000 + 3000 + 4000 - 1000 (the reversal) = 7000 -> 700.00.
  CHECK(payout(result, "ann", "2026-Q1", "logo_bonus") == "300.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "700.00");
  // Clawbacks, weighed over the rules' credits (before the reversal):
  // logo_bonus: 300 x 1000 / (1000 + 3000) = 75 -> -75.00 (R1 is not in
  // new_logo: with the deals' rows read for it, it would count as D1);
  // commission: 700 x 1000 / 8000 = 87.5 -> -87.50.
  CHECK(payout(result, "ann", "2026-Q1", "logo_bonus_clawback") == "-75.00");
  CHECK(payout(result, "ann", "2026-Q1", "commission_clawback") == "-87.50");
}

// ---- 4. owner(t) of any territory value

TEST_CASE("gaps: owner(t) of a fn parameter and of a gap row", "[gaps][territories]") {
  const std::string plan = R"(plan "Owner" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, state: text, se: payee, amount: money }
roster payees { id: text key, role: text }

territory West = deal.state in {"CA", "OR"} owner "se1"
territory West.CA = deal.state == "CA" priority 1
territory East = deal.state == "NY" owner deal.se

fn se_of(t: territory): payee = owner(t)
fn is_se1(t: territory): bool = owner(t) == "se1"

credit won from deals on deal.close_date {
  deal.owner gets 100%
  se_of(territory(deal)) gets 100% overlay
}

measure overlay_total: money = sum(credit.amount where credit.kind == overlay)
measure se1_direct: money = sum(credit.amount where credit.kind == direct and is_se1(territory(deal)))

payout se_pay for role == "SE" = 2% * overlay_total
payout ae_west for role == "AE" = 1% * se1_direct
)";
  DataFolder data("gaps_owner_fn");
  data.write("deals.csv",
             "id,close_date,owner,state,se,amount\n"
             "D1,2026-01-10,ann,CA,se2,1000\n"   // West.CA: West's owner se1
             "D2,2026-02-10,ann,NY,se2,2000\n"   // East: the row's se2
             "D3,2026-03-10,ann,NY,se3,500\n");  // East: the row's se3
  data.write("payees.csv", "id,role\nann,AE\nse1,SE\nse2,SE\nse3,SE\n");
  const auto result = run_plan(plan, data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "se1", "2026-Q1", "se_pay") == "20.00");  // 2% of 1000
  CHECK(payout(result, "se2", "2026-Q1", "se_pay") == "40.00");  // 2% of 2000
  CHECK(payout(result, "se3", "2026-Q1", "se_pay") == "10.00");  // 2% of 500
  // In an aggregate: only D1's territory is owned by se1: 1% of 1000.
  CHECK(payout(result, "ann", "2026-Q1", "ae_west") == "10.00");

  // A deal in no territory: the owner of its (absent) territory is an error
  // naming the transaction.
  data.write("deals.csv", "id,close_date,owner,state,se,amount\nD1,2026-01-10,ann,TX,se2,1000\n");
  const auto gap = run_plan(plan, data, q1());
  CHECK_FALSE(gap.ok);
  const std::string messages = all_messages(gap.messages);
  INFO(messages);
  CHECK(messages.find("transaction \"D1\" matches no territory, so owner(...) names no payee") !=
        std::string::npos);
  CHECK(messages.find("D1") != std::string::npos);
}

TEST_CASE("gaps: owner(t) of a territory that is not the row's own is the owner of its name",
          "[gaps][territories]") {
  // LOAD_TERRITORY k = 2 over lanes whose territory value is not the row's
  // territory: the owner known for the name; an error for a name whose rows
  // found different owners, or none.
  tally::SymbolTable symbols;
  tally::TerritoryData data;
  data.names = &symbols;
  data.no_territory = symbols.intern("");
  const auto west = symbols.intern("West");
  const auto east = symbols.intern("East");
  const auto north = symbols.intern("North");
  data.owner_by_name[west] = symbols.intern("se1");
  data.owner_by_name[east] = tally::TerritoryData::kAmbiguousOwner;
  tally::VmEnv env;
  env.territories = &data;  // no rows: a payee-period lane
  std::vector<tally::Register> regs(2);
  regs[0].type = tally::RegType::symbol;
  regs[1].type = tally::RegType::symbol;
  regs[0].symbols = {west, east, north};
  regs[1].symbols.assign(3, 0);
  const tally::Instr owner{tally::OpCode::LOAD_TERRITORY, 1, 0, 0, 2};

  CHECK_FALSE(tally::run_territory_instruction(owner, regs, {0}, env));
  CHECK(symbols.text(regs[1].symbols[0]) == "se1");

  const auto ambiguous = tally::run_territory_instruction(owner, regs, {1}, env);
  REQUIRE(ambiguous);
  CHECK(ambiguous->lane == 1);
  CHECK(ambiguous->message.find("territory `East` has different owners") != std::string::npos);

  const auto unknown = tally::run_territory_instruction(owner, regs, {2}, env);
  REQUIRE(unknown);
  CHECK(unknown->message.find("territory `North` has no owner known to this run") !=
        std::string::npos);
}

// ---- 5. period-keyed tables looked up in credit rules

namespace {

const std::string kPeriodTablePlan = R"(plan "Period table in a rule" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
source shares { rep_id: payee, quarter: period, rate: percent }
source quotas { rep_id: payee, quarter: period, amount: money }
roster payees { id: text key, role: text }

table share_rate(payee, period): percent from shares(rep_id, quarter, rate)
table quota(payee, period): money from quotas(rep_id, quarter, amount)

credit won from deals
  where quota(deal.owner, period_of(deal.close_date)) > 0 USD
  on deal.close_date {
  deal.owner gets share_rate(deal.owner, period_of(deal.close_date))
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
payout quota_bonus when bookings > 0 USD = 1% * quota(payee, period)
)";

}  // namespace

TEST_CASE("gaps: a period table looked up in a credit rule", "[gaps][tables]") {
  DataFolder data("gaps_period_table_rule");
  data.write("deals.csv",
             "id,close_date,owner,amount\n"
             "D1,2026-01-15,ann,1000\nD2,2026-05-10,ann,2000\nD3,2026-02-01,bob,500\n");
  data.write("shares.csv",
             "rep_id,quarter,rate\nann,2026-Q1,100%\nann,2026-Q2,50%\nbob,2026-Q1,80%\n");
  data.write("quotas.csv",
             "rep_id,quarter,amount\nann,2026-Q1,10000\nann,2026-Q2,20000\nbob,2026-Q1,0\n");
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\n");
  RunOptions options;
  options.first_period = "2026-Q1";
  options.last_period = "2026-Q2";
  const auto result = run_plan(kPeriodTablePlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // ann Q1: 1000 x 100% -> 100.00, quota bonus 1% of 10000 = 100.00;
  // ann Q2: 2000 x 50% = 1000 -> 100.00, quota bonus 1% of 20000 = 200.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "100.00");
  CHECK(payout(result, "ann", "2026-Q2", "commission") == "100.00");
  CHECK(payout(result, "ann", "2026-Q1", "quota_bonus") == "100.00");
  CHECK(payout(result, "ann", "2026-Q2", "quota_bonus") == "200.00");
  // bob: quota 0 in Q1, D3 is left out by `where`.
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "0.00");
  CHECK(result.credits.rows.size() == 2);
}

TEST_CASE("gaps: period tables filled before crediting are extended to the run's years",
          "[gaps][tables]") {
  // The data's plan year is 2026; the run pays 2025-Q3..2027-Q1, so the
  // tables stage extends the table filled before crediting by a year on each
  // side, and payouts still read the 2026 values at their places.
  DataFolder data("gaps_period_table_widen");
  data.write("deals.csv",
             "id,close_date,owner,amount\nD1,2026-02-01,ann,500\nD2,2026-08-01,ann,700\n");
  data.write("shares.csv",
             "rep_id,quarter,rate\nann,2026-Q1,100%\nann,2026-Q2,100%\nann,2026-Q3,100%\n");
  data.write("quotas.csv",
             "rep_id,quarter,amount\nann,2026-Q1,10000\nann,2026-Q2,20000\n"
             "ann,2026-Q3,30000\nann,2026-Q4,40000\n");
  data.write("payees.csv", "id,role\nann,AE\n");
  RunOptions options;
  options.first_period = "2025-Q3";
  options.last_period = "2027-Q1";
  const auto result = run_plan(kPeriodTablePlan, data, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // Q1: 500 -> 50.00 and 1% of 10000 = 100.00; Q3: 700 -> 70.00 and 300.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "50.00");
  CHECK(payout(result, "ann", "2026-Q1", "quota_bonus") == "100.00");
  CHECK(payout(result, "ann", "2026-Q3", "commission") == "70.00");
  CHECK(payout(result, "ann", "2026-Q3", "quota_bonus") == "300.00");
  CHECK(payout(result, "ann", "2025-Q4", "commission") == "0.00");
  CHECK(payout(result, "ann", "2027-Q1", "commission") == "0.00");
}

TEST_CASE("gaps: a period table with no value for a credit's period stops the run",
          "[gaps][tables]") {
  DataFolder data("gaps_period_table_missing");
  data.write("deals.csv", "id,close_date,owner,amount\nD1,2026-05-10,ann,1000\n");
  data.write("shares.csv", "rep_id,quarter,rate\nann,2026-Q1,100%\n");
  data.write("quotas.csv", "rep_id,quarter,amount\nann,2026-Q2,10000\n");
  data.write("payees.csv", "id,role\nann,AE\n");
  const auto result = run_plan(kPeriodTablePlan, data, q1());
  CHECK_FALSE(result.ok);
  const std::string messages = all_messages(result.messages);
  INFO(messages);
  CHECK(messages.find("`share_rate` has no value for payee \"ann\" in 2026-Q2") !=
        std::string::npos);
  CHECK(messages.find("credit rule `won`") != std::string::npos);
}

TEST_CASE("gaps: a goal keyed by period and computed is looked up in a credit rule",
          "[gaps][tables]") {
  const std::string plan = R"(plan "Goal in a rule" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals { id: text key, close_date: date, owner: payee, amount: money }
source annual { rep_id: payee, amount: money }
roster payees { id: text key, role: text }

table annual_quota(payee): money from annual(rep_id, amount)
goal target(payee, period): money = allocate(annual_quota(payee), even)

credit won from deals
  where target(deal.owner, period_of(deal.close_date)) > 1_000 USD
  on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission = 10% * bookings
)";
  DataFolder data("gaps_goal_in_rule");
  data.write("deals.csv",
             "id,close_date,owner,amount\nD1,2026-01-15,ann,1000\nD2,2026-02-15,bob,3000\n");
  // ann 40000 a year -> 10000 a quarter (> 1000); bob 2000 -> 500 (not).
  data.write("annual.csv", "rep_id,amount\nann,40000\nbob,2000\n");
  data.write("payees.csv", "id,role\nann,AE\nbob,AE\n");
  const auto result = run_plan(plan, data, q1());
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "100.00");
  CHECK(payout(result, "bob", "2026-Q1", "commission") == "0.00");
}
