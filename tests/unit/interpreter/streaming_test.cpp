// RunOptions::stream (`tally run --stream`): the credited source read in
// chunks, each folded into the per payee-period accumulators and dropped,
// gives the same payouts, measures and totals as the run that loads
// everything (the oracle here: the normal path, which the golden tests check
// against independent implementations). Chunks are made tiny so that every
// file spans many of them.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "plan_fixture.hpp"
#include "tally/explain.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

/// The results that must not depend on streaming.
void require_same_results(const RunResult& whole, const RunResult& streamed) {
  INFO(all_messages(whole.messages) + all_messages(streamed.messages));
  REQUIRE(whole.ok);
  REQUIRE(streamed.ok);
  CHECK(streamed.payouts.columns == whole.payouts.columns);
  CHECK(streamed.payouts.rows == whole.payouts.rows);
  CHECK(streamed.measures.rows == whole.measures.rows);
  CHECK(streamed.summary.total_paid == whole.summary.total_paid);
  CHECK(streamed.summary.credits == whole.summary.credits);
  CHECK(streamed.summary.rows_loaded == whole.summary.rows_loaded);
  CHECK(streamed.summary.periods == whole.summary.periods);
}

RunOptions streaming(std::size_t chunk_rows, unsigned threads) {
  RunOptions options;
  options.credits_table = false;
  options.stream = RunOptions::Stream::on;
  options.stream_chunk_rows = chunk_rows;
  options.threads = threads;
  return options;
}

/// The oracle: a run that loads everything and keeps every credit (the
/// credits table asked for), so that it aggregates the credit table.
RunOptions loading_whole(unsigned threads) {
  RunOptions options;
  options.credits_table = true;
  options.stream = RunOptions::Stream::off;
  options.threads = threads;
  return options;
}

RunResult run_file(const std::string& plan_path, RunOptions options) {
  Engine engine;
  auto compiled = engine.compile_file(plan_path);
  if (!compiled.plan) {
    RunResult failed;
    failed.messages = compiled.messages;
    return failed;
  }
  return engine.run(*compiled.plan, options);
}

const std::string kTeamPlan = R"(plan "Stream" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  state: text
  product: text
  amount: money
}
roster payees { id: text key, role: text, manager: payee? }
source territories { id: int key, states: list<text> sep "|", se: payee }

territories from territories as t
  match deal.state in t.states
  owner t.se

credit won from deals on deal.close_date {
  deal.owner                      gets 100%
  owner(territory(deal))          gets 50% overlay
  managers(deal.owner, levels: 1) gets 100% rollup
}

measure bookings: money = sum(credit.amount)
measure deals_won: int = count(credit)
measure direct_deals: int = count(credit where credit.kind == direct)
measure products: int = count(distinct deal.product)
measure largest: money = max(credit.amount)
measure smallest: money = min(credit.amount)
measure typical: money = avg(credit.amount)
measure units: int = sum(deal.id - deal.id + 1)

payout commission for role == "AE" = 3% * bookings
payout se_pay for role == "SE" = 1% * bookings + 2 USD * products
payout override for role == "MGR" = 0.5% * bookings
payout kicker for role == "AE" = 1 USD * direct_deals + 0.01 * largest - 0.01 * smallest
)";

/// A run that loads everything but keeps no credit: it folds them slice by
/// slice while crediting (slices of `slice_rows`, rounded down to 1,024s).
RunOptions folding(std::size_t slice_rows, unsigned threads) {
  RunOptions options = loading_whole(threads);
  options.credits_table = false;
  options.stream_chunk_rows = slice_rows;
  return options;
}

/// A team of 2 managers, 6 AEs, 2 SEs and `deals` deals over a year. Deal
/// `unknown_owner` (when not 0) is owned by "zz", who is not in the roster;
/// deal `no_territory` is in a state no territory covers. With
/// `mixed_scales`, the amounts of each 2,048 deals have 0, 3 or 1 decimals
/// in turn (else 2), so that chunks of 1,024 rows credit amounts of
/// different scales.
DataFolder team_data(const std::string& name, int deals, const std::string& bad_last_amount = "",
                     int unknown_owner = 0, int no_territory = 0, bool mixed_scales = false) {
  DataFolder data(name);
  data.write("payees.csv",
             "id,role,manager\nm1,MGR,\nm2,MGR,\na1,AE,m1\na2,AE,m1\na3,AE,m1\na4,AE,m2\n"
             "a5,AE,m2\na6,AE,m2\ns1,SE,m1\ns2,SE,m2\n");
  data.write("territories.csv", "id,states,se\n1,CA|OR|WA,s1\n2,NY|NJ|TX,s2\n");
  const char* states[] = {"CA", "OR", "WA", "NY", "NJ", "TX"};
  std::string text = "id,close_date,owner,state,product,amount\n";
  for (int i = 1; i <= deals; ++i) {
    const int month = 1 + (i / 7) % 12;
    const std::string units = std::to_string((i * 7919) % 90'000 + 100);
    const std::string decimals[] = {"", "." + std::to_string(100 + i % 900),
                                    "." + std::to_string(i % 10)};
    std::string amount = units + "." + std::to_string(10 + i % 90);
    if (mixed_scales) amount = units + decimals[((i - 1) / 2'048) % 3];
    if (i == deals && !bad_last_amount.empty()) amount = bad_last_amount;
    const std::string owner = i == unknown_owner ? "zz" : "a" + std::to_string(1 + (i * 7) % 6);
    const std::string state = i == no_territory ? "ZZ" : states[(i / 3) % 6];
    text += std::to_string(i) + ",2026-" + (month < 10 ? "0" : "") + std::to_string(month) + "-1" +
            std::to_string(i % 9) + "," + owner + "," + state + ",P" +
            std::to_string(i % 13 + (month > 6 ? 13 : 0)) + "," + amount + "\n";
  }
  data.write("deals.csv", text);
  return data;
}

}  // namespace

TEST_CASE("streaming in small chunks gives the results of the whole run", "[stream]") {
  // 200,003 deals in chunks of 49,999 rows: five chunks, the last one short.
  const DataFolder data = team_data("stream_team", 200'003);
  // Two and three threads parse the file in pieces (of about 49,999 rows).
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO("threads " << threads);
    RunOptions whole = loading_whole(threads);
    whole.data_dir = data.path();
    RunOptions streamed = streaming(49'999, threads);
    streamed.data_dir = data.path();
    const auto expected = run_plan(kTeamPlan, data, whole);
    const auto got = run_plan(kTeamPlan, data, streamed);
    require_same_results(expected, got);
    // Every deal credits its owner, its manager and its territory's SE.
    CHECK(got.summary.rows_loaded == 200'003 + 2);
    CHECK(got.summary.credits == 3 * 200'003);
  }
}

TEST_CASE("streaming keeps the periods chosen and the chosen payees", "[stream]") {
  const DataFolder data = team_data("stream_periods", 5'000);
  RunOptions whole = loading_whole(1);
  RunOptions streamed = streaming(333, 1);
  for (RunOptions* options : {&whole, &streamed}) {
    options->first_period = "2026-Q2";
    options->last_period = "2026-Q3";
    options->payees = {"a2", "s1", "m2"};
  }
  const auto expected = run_plan(kTeamPlan, data, whole);
  const auto got = run_plan(kTeamPlan, data, streamed);
  require_same_results(expected, got);
  CHECK(got.summary.periods == 2);
}

TEST_CASE("the plans of plans/ that can stream give the same results streamed", "[stream]") {
  const std::filesystem::path root = TALLY_SOURCE_DIR;
  for (const char* name : {"demo", "ae_quota", "sdr_meetings", "se_overlay", "manager_override",
                           "retail_margin", "partner_rebate", "ramp_draw"}) {
    INFO(name);
    for (unsigned threads : {1u, 2u}) {
      RunOptions whole = loading_whole(threads);
      RunOptions streamed = streaming(17, threads);
      whole.data_dir = streamed.data_dir = (root / "plans" / "data" / name).string();
      const std::string plan = (root / "plans" / (std::string(name) + ".tally")).string();
      require_same_results(run_file(plan, whole), run_file(plan, streamed));
    }
  }
  const std::filesystem::path crm = std::filesystem::path(TALLY_SHARED_DIR) / "data" / "maven_crm";
  if (std::filesystem::exists(crm)) {
    RunOptions whole = loading_whole(2);
    RunOptions streamed = streaming(1'000, 2);
    whole.data_dir = streamed.data_dir = crm.string();
    const std::string plan = (root / "plans" / "crm_opportunities.tally").string();
    require_same_results(run_file(plan, whole), run_file(plan, streamed));
  }
}

TEST_CASE("a bad value in the last chunk is reported at its file row and column", "[stream]") {
  // 1,000 deals in chunks of 100: the bad amount is on the file's last row
  // (1,001 with the header), in the sixth column.
  const DataFolder data = team_data("stream_bad", 1'000, "12x.50");
  const auto result = run_plan(kTeamPlan, data, streaming(100, 2));
  REQUIRE_FALSE(result.ok);
  CHECK(result.payouts.rows.empty());
  REQUIRE(result.messages.size() == 1);
  const Message& m = result.messages[0];
  CHECK(m.file.find("deals.csv") != std::string::npos);
  CHECK(m.line == 1'001);
  CHECK(m.column == 6);
  CHECK(m.text.find("12x.50") != std::string::npos);
  // The whole run reports the same error.
  const auto whole = run_plan(kTeamPlan, data, loading_whole(2));
  REQUIRE(whole.messages.size() == 1);
  CHECK(whole.messages[0].line == m.line);
  CHECK(whole.messages[0].column == m.column);
  CHECK(whole.messages[0].text == m.text);
}

TEST_CASE("a run that cannot stream says why when streaming is asked for", "[stream]") {
  const DataFolder data = team_data("stream_refused", 50);
  SECTION("the credits table") {
    RunOptions options = streaming(10, 1);
    options.credits_table = true;
    const auto result = run_plan(kTeamPlan, data, options);
    REQUIRE_FALSE(result.ok);
    REQUIRE(result.messages.size() == 1);
    CHECK(result.messages[0].text.find("cannot stream this run: the credits table") == 0);
  }
  SECTION("a clawback, at its line of the plan") {
    const std::string plan = kTeamPlan + "clawback commission when deal.amount > 80_000 USD\n";
    const auto result = run_plan(plan, data, streaming(10, 1));
    REQUIRE_FALSE(result.ok);
    REQUIRE(result.messages.size() == 1);
    CHECK(result.messages[0].text.find("clawback") != std::string::npos);
    const auto plan_lines = std::count(kTeamPlan.begin(), kTeamPlan.end(), '\n');
    CHECK(result.messages[0].line == plan_lines + 1);
    // Automatic mode runs it whole instead.
    RunOptions automatic = streaming(10, 1);
    automatic.stream = RunOptions::Stream::automatic;
    automatic.stream_memory_fraction = 0;  // any file would be "too big"
    CHECK(run_plan(plan, data, automatic).ok);
  }
  SECTION("owner(t) of a territory whose owner is read from the rows") {
    // The owner known for a territory's name is the one all its rows
    // resolved: a chunk sees only its own rows.
    const std::string plan =
        kTeamPlan +
        "fn se_of(t: territory): payee = owner(t)\n"
        "measure own_se_deals: int = count(credit where se_of(territory(deal)) "
        "== deal.owner)\n";
    const auto result = run_plan(plan, data, streaming(10, 1));
    REQUIRE_FALSE(result.ok);
    REQUIRE(result.messages.size() == 1);
    CHECK(result.messages[0].text.find("owner(...) of a territory whose owner is read from the "
                                       "transactions") != std::string::npos);
    CHECK(run_plan(plan, data, loading_whole(1)).ok);
  }
}

TEST_CASE("keys that do not rise across chunks: automatic mode loads whole", "[stream]") {
  DataFolder data = team_data("stream_keys", 40);
  // Deal 3 comes again in the last chunk: a duplicate a chunk could not see.
  std::string deals = "id,close_date,owner,state,product,amount\n";
  for (int i = 1; i <= 40; ++i)
    deals += std::to_string(i == 40 ? 3 : i) + ",2026-02-01,a1,CA,P1,100.00\n";
  data.write("deals.csv", deals);
  RunOptions automatic = streaming(10, 1);
  automatic.stream = RunOptions::Stream::automatic;
  automatic.stream_memory_fraction = 0;
  const auto fallen_back = run_plan(kTeamPlan, data, automatic);
  REQUIRE_FALSE(fallen_back.ok);
  REQUIRE(fallen_back.messages.size() == 1);
  CHECK(fallen_back.messages[0].text.find("duplicate key \"3\" on rows 4 and 41") !=
        std::string::npos);
  const auto asked = run_plan(kTeamPlan, data, streaming(10, 1));
  REQUIRE_FALSE(asked.ok);
  REQUIRE(asked.messages.size() == 1);
  CHECK(asked.messages[0].text.find("do not rise") != std::string::npos);
}

TEST_CASE("explain under streaming equals explain of the whole run", "[stream][explain]") {
  // s1 earns on overlay credits (the SE of territory 1), m1 on roll-up
  // credits from a1, a2, a3; a4 on its own direct credits. 30,001 deals in
  // chunks of 4,096: the explained credits come from every chunk.
  const DataFolder data = team_data("stream_explain", 30'001);
  Engine engine;
  auto compiled = engine.compile(kTeamPlan, "plan.tally");
  REQUIRE(compiled.plan);
  for (const char* payee : {"s1", "m1", "a4"}) {
    for (const char* period : {"2026-Q1", "2026-Q4"}) {
      INFO(payee << " " << period);
      RunOptions whole = loading_whole(2);
      whole.data_dir = data.path();
      RunOptions streamed = streaming(4'096, 2);
      streamed.data_dir = data.path();
      const auto expected = explain_pay(engine, *compiled.plan, whole, payee, period, "");
      const auto got = explain_pay(engine, *compiled.plan, streamed, payee, period, "");
      INFO(all_messages(expected.messages) + all_messages(got.messages));
      REQUIRE(expected.ok);
      REQUIRE(got.ok);
      const std::string text = render_explanation(expected.root);
      CHECK(render_explanation(got.root) == text);
      // The tree lists credits (overlay, roll-up or direct) under the measures.
      CHECK(text.find(std::string("rule won, ") + (payee[0] == 's'   ? "overlay"
                                                   : payee[0] == 'm' ? "rollup"
                                                                     : "direct")) !=
            std::string::npos);
      CHECK(got.summary.credits == expected.summary.credits);
    }
  }
}

TEST_CASE("a run loaded whole folds its credits slice by slice, as the credit table sums them",
          "[stream][fold]") {
  // 200,003 deals in slices of 4,096 rows (49 slices, the last one short),
  // on one, two and three threads: every aggregate of the plan (sums,
  // counts, count distinct, min, max, avg) equals the credit table's.
  const DataFolder data = team_data("fold_team", 200'003);
  for (unsigned threads : {1u, 2u, 3u}) {
    INFO("threads " << threads);
    RunOptions whole = loading_whole(threads);
    RunOptions folded = folding(4'096, threads);
    require_same_results(run_plan(kTeamPlan, data, whole), run_plan(kTeamPlan, data, folded));
  }
  // The default slices (a twelfth of the rows, 16,384 after rounding: 13).
  require_same_results(run_plan(kTeamPlan, data, loading_whole(2)),
                       run_plan(kTeamPlan, data, folding(0, 2)));
}

TEST_CASE("a fold whose aggregates read credit.share and credit.date keeps those columns",
          "[fold]") {
  // The slices' credit tables leave share, date and line unwritten unless an
  // aggregate reads them: here two do (the overlay's half share, the
  // credits of the second half year).
  std::string plan = kTeamPlan;
  const std::string before = "measure bookings: money = sum(credit.amount)\n";
  REQUIRE(plan.find(before) != std::string::npos);
  plan.insert(plan.find(before),
              "measure halves: money = sum(credit.amount where credit.share < 100%)\n"
              "measure late: int = count(credit where credit.date >= 2026-07-01)\n");
  const DataFolder data = team_data("fold_share_date", 20'003);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    require_same_results(run_plan(plan, data, loading_whole(threads)),
                         run_plan(plan, data, folding(1'024, threads)));
  }
}

TEST_CASE("amounts of another scale in each chunk or slice add up as the whole run's sums",
          "[stream][fold]") {
  // Chunks of 1,024 rows over deals whose amounts have 0, 3 and 1 decimals
  // by turns of 2,048: the chunks' credit amounts have other scales (2, then
  // 5 with the 100% share), and the sums kept as 64-bit units from chunk to
  // chunk are settled when the scale changes. (Loaded whole, every amount
  // has the file's widest scale; the slices are checked all the same.)
  //
  // Not min and max: a loaded decimal column keeps one scale, its widest, so
  // 90003.7 loaded with values of three decimals reads 90003.700 (credited
  // at 100%, 90003.70000), and loaded in a chunk of one-decimal values
  // 90003.7: the same value, printed at another scale, and the largest of
  // equal values is the first met. (Sums take their terms' largest scale.)
  std::string plan = kTeamPlan;
  for (const char* text :
       {"measure largest: money = max(credit.amount)\n",
        "measure smallest: money = min(credit.amount)\n", " + 0.01 * largest - 0.01 * smallest"}) {
    REQUIRE(plan.find(text) != std::string::npos);
    plan.erase(plan.find(text), std::string(text).size());
  }
  const DataFolder data = team_data("mixed_scales", 9'000, "", 0, 0, /*mixed_scales=*/true);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    const auto expected = run_plan(plan, data, loading_whole(threads));
    require_same_results(expected, run_plan(plan, data, folding(1'024, threads)));
    require_same_results(expected, run_plan(plan, data, streaming(1'024, threads)));
  }
}

TEST_CASE("folding while crediting keeps the periods chosen and the chosen payees", "[fold]") {
  const DataFolder data = team_data("fold_periods", 9'000);
  RunOptions whole = loading_whole(2);
  RunOptions folded = folding(1'024, 2);
  for (RunOptions* options : {&whole, &folded}) {
    options->first_period = "2026-Q2";
    options->last_period = "2026-Q3";
    options->payees = {"a2", "s1", "m2"};
  }
  const auto got = run_plan(kTeamPlan, data, folded);
  require_same_results(run_plan(kTeamPlan, data, whole), got);
  CHECK(got.summary.periods == 2);
}

TEST_CASE("a data error met while folding is reported as the whole run reports it", "[fold]") {
  // Deal 150,000 (slice 146 of 1,024 rows) credits a payee not in the
  // roster: the folding run stops there and credits whole, which reports it.
  const DataFolder data = team_data("fold_unknown", 200'003, "", 150'000);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    const auto expected = run_plan(kTeamPlan, data, loading_whole(threads));
    const auto got = run_plan(kTeamPlan, data, folding(1'024, threads));
    REQUIRE_FALSE(got.ok);
    CHECK(got.payouts.rows.empty());
    CHECK(all_messages(got.messages) == all_messages(expected.messages));
    REQUIRE(got.messages.size() == 1);
    CHECK(got.messages[0].line == 150'001);
    CHECK(got.messages[0].text.find("credits payee \"zz\" for deal \"150000\"") !=
          std::string::npos);
    // Under --lenient the deal is left out, with the same payouts and rejects.
    RunOptions whole = loading_whole(threads);
    RunOptions folded = folding(1'024, threads);
    whole.lenient = folded.lenient = true;
    const auto lenient_expected = run_plan(kTeamPlan, data, whole);
    const auto lenient = run_plan(kTeamPlan, data, folded);
    require_same_results(lenient_expected, lenient);
    CHECK(lenient.rejects.rows == lenient_expected.rejects.rows);
    CHECK(lenient.rejects.rows.size() == 1);
  }
}

TEST_CASE("an aggregate's fault met while folding is reported as the whole run reports it",
          "[fold]") {
  // The product overflows from deal 3 on, in the first slice's fold.
  const std::string plan = kTeamPlan + "measure huge: int = sum(deal.id * 4_000_000_000_000_000)\n";
  const DataFolder faulty = team_data("fold_fault", 20'000);
  // With deal 15,000 owned by a stranger too, the whole run reports that
  // first (crediting stops before aggregation): so must the folding run,
  // though it folded the first slice before crediting the fifteenth.
  const DataFolder both = team_data("fold_fault_unknown", 20'000, "", 15'000);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    for (const DataFolder* data : {&faulty, &both}) {
      const auto expected = run_plan(plan, *data, loading_whole(threads));
      const auto got = run_plan(plan, *data, folding(1'024, threads));
      REQUIRE_FALSE(got.ok);
      REQUIRE(got.messages.size() == 1);
      CHECK(all_messages(got.messages) == all_messages(expected.messages));
      CHECK(got.messages[0].text.find(data == &both ? "credits payee \"zz\"" : "overflow") !=
            std::string::npos);
    }
  }
}

TEST_CASE("folding while crediting warns of the deals without territory", "[fold]") {
  // Deal 70,001 (in the sixth default slice, of 12,288 rows) is in a state no territory
  // covers: the same warning as the whole run's, naming it. (Here no
  // territory owner is credited, which would make it an error.)
  const DataFolder data = team_data("fold_gap", 100'000, "", 0, 70'001);
  std::string plan = kTeamPlan;
  const std::string overlay = "  owner(territory(deal))          gets 50% overlay\n";
  REQUIRE(plan.find(overlay) != std::string::npos);
  plan.replace(plan.find(overlay), overlay.size(), "");
  plan += "measure first_territory: money = sum(credit.amount where territory(deal) == \"1\")\n";
  const auto expected = run_plan(plan, data, loading_whole(2));
  const auto got = run_plan(plan, data, folding(0, 2));
  require_same_results(expected, got);
  CHECK(all_messages(got.messages) == all_messages(expected.messages));
  CHECK(all_messages(got.messages).find("1 credited transaction of `deals` matches no territory") !=
        std::string::npos);
  CHECK(all_messages(got.messages).find("\"70001\"") != std::string::npos);
}
