// Folding credits as they are made (interpreter/line_fold.cpp): a run loaded
// whole whose aggregates are all sums, means and counts (filters reading no
// credit attribute but the kind) writes no credit; each thread folds its
// rows' credits into totals of its own. The oracle is the same run keeping
// every credit (the credits table asked for), which aggregates the credit
// table: the payouts, measures and totals must be the same, scales
// included, on one thread and two, in small slices and the default ones.
#include <catch2/catch.hpp>
#include <string>

#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

const std::string kPlan = R"(plan "Lines" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  state: text
  type: text
  amount: money
}
roster payees { id: text key, role: text, manager: payee? }
source territories { id: int key, states: list<text> sep "|", se: payee }

territories from territories as t
  match deal.state in t.states
  owner t.se

credit won from deals where deal.type != "Lost" on deal.close_date {
  deal.owner                      gets 100%
  owner(territory(deal))          gets 50% overlay
  managers(deal.owner, levels: 2) gets 100% rollup
}

credit referrals from deals where deal.type == "Referral" on deal.close_date {
  deal.owner gets 12.5% overlay
}

measure bookings: money = sum(credit.amount)
measure typical: money = avg(credit.amount)
measure credits: int = count(credit)
measure new_direct: int = count(credit where credit.kind == direct and deal.type == "New")
measure not_rollup: int = count(credit where credit.kind != rollup and deal.type != "Upsell")
measure direct_or_upsell: int = count(credit where credit.kind == direct or deal.type == "Upsell")
measure overlay_deals: money = sum(deal.amount where credit.kind == overlay)
measure rollup_mean: money = avg(deal.amount * 2 where credit.kind == rollup and deal.amount > 100 USD)

payout commission for role == "AE" = 3% * bookings + 1 USD * new_direct
payout se_pay for role == "SE" = 1% * overlay_deals + 0.001 * typical
payout override for role in {"MGR", "DIR"} = 0.5% * bookings + 0.01 * rollup_mean + 1 USD * credits
)";

/// Two directors, two managers, six AEs, two SEs, and `deals` deals over a
/// year whose amounts take every form the fold treats apart: 0 to 3
/// decimals, negative, zero and negative zero, one too large for 64-bit
/// units at the sums' scale, and every 50th deal 900 billion, whose sums
/// pass 64-bit units within a payee's quarter; then a7's one deal, of
/// -0.00. Deal `unknown_owner` (when
/// not 0) is owned by "zz", who is not in the roster. With `units_only`
/// deal 7,777 is like the others and the negative zeros are zeros, so that
/// the amounts' column keeps 64-bit units.
DataFolder line_data(const std::string& name, int deals, int unknown_owner = 0,
                     bool units_only = false) {
  DataFolder data(name);
  data.write("payees.csv",
             "id,role,manager\nd1,DIR,\nd2,DIR,\nm1,MGR,d1\nm2,MGR,d2\na1,AE,m1\na2,AE,m1\n"
             "a3,AE,m1\na4,AE,m2\na5,AE,m2\na6,AE,m2\na7,AE,m2\ns1,SE,m1\ns2,SE,m2\n");
  data.write("territories.csv", "id,states,se\n1,CA|OR|WA,s1\n2,NY|NJ|TX,s2\n");
  const char* states[] = {"CA", "OR", "WA", "NY", "NJ", "TX"};
  const char* types[] = {"New", "Renewal", "Lost", "Referral", "New", "Upsell", "New"};
  std::string text = "id,close_date,owner,state,type,amount\n";
  for (int i = 1; i <= deals; ++i) {
    const int month = 1 + (i / 7) % 12;
    const std::string units = std::to_string((i * 7919) % 90'000 + 100);
    std::string amount;
    switch (i % 11) {
      case 0:
        amount = units;
        break;
      case 1:
        amount = units + "." + std::to_string(i % 10);
        break;
      case 2:
        amount = units + "." + std::to_string(100 + i % 900);
        break;
      case 3:
        amount = "-" + units + ".5";
        break;
      case 4:
        amount = i % 2 || units_only ? "0" : "-0.00";
        break;
      default:
        amount = units + "." + std::to_string(10 + i % 90);
    }
    if (i % 50 == 0) amount = "900000000000." + std::to_string(10 + i % 90);
    if (i == 7'777 && !units_only) amount = "123456789012345678.9";
    const std::string owner = i == unknown_owner ? "zz" : "a" + std::to_string(1 + (i * 7) % 6);
    text += std::to_string(i) + ",2026-" + (month < 10 ? "0" : "") + std::to_string(month) + "-1" +
            std::to_string(i % 9) + "," + owner + "," + states[(i / 3) % 6] + "," + types[i % 7] +
            "," + amount + "\n";
  }
  // a7's one deal is a negative zero (a zero with `units_only`).
  text +=
      std::to_string(deals + 1) + ",2026-05-05,a7,CA,New," + (units_only ? "0" : "-0.00") + "\n";
  data.write("deals.csv", text);
  return data;
}

/// The oracle: every credit kept and aggregated from the credit table.
RunOptions keeping_credits(unsigned threads) {
  RunOptions options;
  options.credits_table = true;
  options.stream = RunOptions::Stream::off;
  options.threads = threads;
  return options;
}

/// Loaded whole, no credit kept: folded as the credits are made, in slices
/// of `slice_rows` (0: the default).
RunOptions folding(std::size_t slice_rows, unsigned threads) {
  RunOptions options = keeping_credits(threads);
  options.credits_table = false;
  options.stream_chunk_rows = slice_rows;
  return options;
}

void require_same_results(const RunResult& expected, const RunResult& got) {
  INFO(all_messages(expected.messages) + all_messages(got.messages));
  REQUIRE(expected.ok);
  REQUIRE(got.ok);
  CHECK(got.payouts.rows == expected.payouts.rows);
  CHECK(got.measures.rows == expected.measures.rows);
  CHECK(got.summary.total_paid == expected.summary.total_paid);
  CHECK(got.summary.credits == expected.summary.credits);
}

}  // namespace

TEST_CASE("credits folded as they are made give the credit table's sums, means and counts",
          "[fold][lines]") {
  // 70,001 deals: the default slices (a twenty-fourth of the rows, from
  // 4,096: 18 of them) are folded as made, not in turns.
  const DataFolder data = line_data("line_fold", 70'001);
  // The amounts' column in 64-bit units at scale 3: the fold reads them
  // from it, and the 900-billion deals take the slots past 64-bit units.
  const DataFolder units = line_data("line_fold_units", 70'001, 0, /*units_only=*/true);
  for (const DataFolder* folder : {&data, &units}) {
    for (unsigned threads : {1u, 2u}) {
      INFO(folder->path() << ", threads " << threads);
      const RunResult expected = run_plan(kPlan, *folder, keeping_credits(threads));
      require_same_results(expected, run_plan(kPlan, *folder, folding(1'024, threads)));
      require_same_results(expected, run_plan(kPlan, *folder, folding(0, threads)));
    }
  }
  // Counting instructions, the rule's chunk runs whole (every run counts
  // alike); the results are the same.
  RunOptions counted = folding(1'024, 2);
  counted.limits.max_instructions = std::uint64_t{1} << 40;
  require_same_results(run_plan(kPlan, units, keeping_credits(2)), run_plan(kPlan, units, counted));
  // A few figures by hand, so that both paths cannot be wrong alike: deal
  // 7,777 (2026-01-14, a Referral owned by a3 in NJ, 123456789012345678.9)
  // makes a3's Q1 bookings larger than 1.23e17 and its overlay at 12.5%
  // lands on a3 too.
  const RunResult got = run_plan(kPlan, data, folding(1'024, 2));
  REQUIRE(got.ok);
  const std::string bookings = measure(got, "a3", "2026-Q1", "bookings");
  INFO(bookings);
  CHECK(bookings.size() > std::string("123456789012345678").size());
  CHECK(measure(got, "m1", "2026-Q1", "credits") != "0");
  // A sum starts at zero: 0 + -0.0000 is 0.0000 (as Python's decimal has it).
  CHECK(measure(got, "a7", "2026-Q2", "bookings") == "0.0000");
}

TEST_CASE("lines counted by at most one filter fold through a sink, as the credit table sums them",
          "[fold][lines]") {
  // The workload's shape: a sum of credit.amount and one filtered count. A
  // line that one counting filter at most counts, over amounts kept as
  // 64-bit units, folds through a LineSink (line_fold.hpp); the
  // 900-billion deals take its slots past 64-bit units.
  std::string plan = kPlan;
  const std::string first = "measure bookings: money = sum(credit.amount)\n";
  const std::size_t from = plan.find(first);
  REQUIRE(from != std::string::npos);
  plan.replace(from, std::string::npos,
               first + R"(measure new_direct: int = count(credit where credit.kind == direct and deal.type == "New")

payout commission for role == "AE" = 3% * bookings + 1 USD * new_direct
payout se_pay for role == "SE" = 1% * bookings
payout override for role in {"MGR", "DIR"} = 0.5% * bookings
)");
  const DataFolder units = line_data("line_fold_sink", 70'001, 0, /*units_only=*/true);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    const RunResult expected = run_plan(plan, units, keeping_credits(threads));
    require_same_results(expected, run_plan(plan, units, folding(1'024, threads)));
    require_same_results(expected, run_plan(plan, units, folding(0, threads)));
  }
}

TEST_CASE("a rule's computed amounts and dates, and shares and levels from fields, fold alike",
          "[fold][lines]") {
  // The outputs a lone load does not fill are read from their registers:
  // amounts of one scale as units, of several scales or too large as
  // decimals; shares per deal; levels per deal.
  const std::string plan = R"(plan "Computed" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date?
  owner: payee
  helper: payee
  kind: text
  amount: money
  share: percent
  levels: int
}
roster payees { id: text key, role: text, manager: payee? }

credit won from deals
  amount deal.amount * 2
  where deal.kind != "Lost"
  on deal.close_date ?? 2026-02-01 {
  deal.owner                                gets 100%
  deal.helper                               gets deal.share overlay
  managers(deal.owner, levels: deal.levels) gets 100% rollup
}

measure bookings: money = sum(credit.amount)
measure credits: int = count(credit)
measure new_direct: int = count(credit where credit.kind == direct and deal.kind == "New")
measure overlay_deals: money = sum(deal.amount where credit.kind == overlay)
measure early: int = count(credit where (deal.close_date ?? 2026-12-31) < 2026-07-01)

payout commission for role in {"AE", "SE"} = 3% * bookings + 1 USD * new_direct + 1 USD * early
payout override for role in {"MGR", "DIR"} = 0.5% * bookings + 0.01 * overlay_deals + 1 USD * credits
)";
  DataFolder data("line_fold_computed");
  data.write("payees.csv",
             "id,role,manager\nd1,DIR,\nm1,MGR,d1\nm2,MGR,d1\na1,AE,m1\na2,AE,m1\na3,AE,m2\n"
             "s1,SE,m1\ns2,SE,m2\n");
  std::string text = "id,close_date,owner,helper,kind,amount,share,levels\n";
  const char* kinds[] = {"New", "Lost", "Renewal", "New", "Upsell"};
  for (int i = 1; i <= 40'000; ++i) {
    const int month = 1 + (i / 5) % 12;
    const std::string date = i % 13 == 0
                                 ? std::string()
                                 : std::string("2026-") + (month < 10 ? "0" : "") +
                                       std::to_string(month) + "-0" + std::to_string(1 + i % 9);
    // Batches of 1,024 deals: the fourth has amounts of one scale (units),
    // the others mix scales, and the ninth holds one too large for units.
    std::string amount = std::to_string((i * 7919) % 90'000 + 100);
    if ((i / 1'024) % 4 != 3)
      amount += i % 3 ? "." + std::to_string(10 + i % 90) : "";
    else
      amount += ".25";
    if (i == 9 * 1'024 + 7) amount = "9223372036854775.80";
    text += std::to_string(i) + "," + date + ",a" + std::to_string(1 + i % 3) + ",s" +
            std::to_string(1 + i % 2) + "," + kinds[i % 5] + "," + amount + "," +
            std::to_string(i % 7 * 10) + "%," + std::to_string(i % 3) + "\n";
  }
  data.write("deals.csv", text);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    const RunResult expected = run_plan(plan, data, keeping_credits(threads));
    require_same_results(expected, run_plan(plan, data, folding(1'024, threads)));
  }
  // By hand: m2 manages a3 alone, so its credits are a3's rollup credits
  // (levels 1 or 2, never 0) and s2's overlay ones do not reach it.
  const RunResult got = run_plan(plan, data, folding(1'024, 1));
  REQUIRE(got.ok);
  CHECK(measure(got, "d1", "2026-Q1", "credits") != "0");
}

TEST_CASE("a data error or a filter's fault met while folding lines is reported as a whole run",
          "[fold][lines]") {
  // Deal 30,000 credits a payee not in the roster.
  const DataFolder unknown = line_data("line_fold_unknown", 40'000, 30'000);
  // A filter that divides by zero at deal 20,000.
  std::string faulty = kPlan;
  const std::string measure_line = "measure credits: int = count(credit)\n";
  REQUIRE(faulty.find(measure_line) != std::string::npos);
  faulty.replace(faulty.find(measure_line), measure_line.size(),
                 "measure credits: int = count(credit where 100 / (deal.id - 20000) > -1000)\n");
  const DataFolder data = line_data("line_fold_fault", 40'000);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    const auto expected = run_plan(kPlan, unknown, keeping_credits(threads));
    const auto got = run_plan(kPlan, unknown, folding(1'024, threads));
    REQUIRE_FALSE(got.ok);
    CHECK(got.payouts.rows.empty());
    CHECK(all_messages(got.messages) == all_messages(expected.messages));
    CHECK(all_messages(got.messages).find("credits payee \"zz\" for deal \"30000\"") !=
          std::string::npos);
    const auto fault_expected = run_plan(faulty, data, keeping_credits(threads));
    const auto fault = run_plan(faulty, data, folding(1'024, threads));
    REQUIRE_FALSE(fault.ok);
    CHECK(all_messages(fault.messages) == all_messages(fault_expected.messages));
    CHECK(all_messages(fault.messages).find("division by zero") != std::string::npos);
  }
}
