// Thread safety of the public API (docs/embedding.md, "Threads"): one Plan,
// compiled once, run from 8 threads at once over different data, and 8
// Engines at once, each result identical to the single-threaded run of the
// same inputs. Under ThreadSanitizer (scripts/tsan.sh) a data race anywhere
// on these paths fails the run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "tally/tally.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kThreads = 8;

const std::string kDemoPlan = std::string(TALLY_SOURCE_DIR) + "/plans/demo.tally";
const std::string kDemoData = std::string(TALLY_SOURCE_DIR) + "/plans/data/demo";
const std::string kGoldenPayouts = std::string(TALLY_SOURCE_DIR) + "/tests/golden/demo/payouts.csv";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The demo's CSV files have no quoted fields, so a split on commas reads them.
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(read_file(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

void write_csv(const fs::path& path, const std::vector<std::vector<std::string>>& rows) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i];
    out << '\n';
  }
}

// In memory, columns are named after the source's fields, not its file's
// columns: the demo's `owner: payee from "owner_id"` is column `owner`.
tally::InlineTable inline_table(const std::vector<std::vector<std::string>>& csv) {
  tally::InlineTable table;
  table.columns = csv.front();
  for (auto& name : table.columns)
    if (name.ends_with("_id")) name.resize(name.size() - 3);
  for (std::size_t r = 1; r < csv.size(); ++r)
    table.rows.emplace_back(csv[r].begin(), csv[r].end());
  table.origin = "inline";
  return table;
}

// A deals file whose amounts are all changed by `change` (applied to the cell text).
template <typename Change>
std::vector<std::vector<std::string>> with_amounts(std::vector<std::vector<std::string>> deals,
                                                   Change change) {
  const auto amount = static_cast<std::size_t>(
      std::find(deals[0].begin(), deals[0].end(), "amount") - deals[0].begin());
  for (std::size_t r = 1; r < deals.size(); ++r) deals[r][amount] = change(deals[r][amount]);
  return deals;
}

// Everything a run produces that a host reads, to compare two runs exactly.
struct Outcome {
  tally::RunStatus status = tally::RunStatus::failed;
  std::string total;
  std::vector<std::vector<std::string>> payouts, credits, measures, rejects;
  std::vector<std::string> messages;
  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(const tally::RunResult& result) {
  Outcome o;
  o.status = result.status;
  o.total = result.summary.total_paid;
  o.payouts = result.payouts.rows;
  o.credits = result.credits.rows;
  o.measures = result.measures.rows;
  o.rejects = result.rejects.rows;
  for (const auto& m : result.messages) o.messages.push_back(m.rendered);
  return o;
}

// Eight different runs of the demo plan: the files, narrower period ranges
// and payee lists, deals changed and written to temporary folders, and
// deals given in memory (InlineTable), some lenient with a bad row.
class Inputs {
 public:
  Inputs() : root_(fs::temp_directory_path() / ("tally_threads_" + std::to_string(::getpid()))) {
    const auto deals = read_csv(kDemoData + "/deals.csv");
    const auto payees = read_csv(kDemoData + "/payees.csv");

    add([](tally::RunOptions&) {});
    add([](tally::RunOptions& o) {
      o.first_period = "2026-Q2";
      o.last_period = "2026-Q3";
    });
    add([](tally::RunOptions& o) { o.payees = {"ann", "sam"}; });

    // Thirty copies of the deals, amounts changed and ids made unique, run
    // without the credits table: folded while crediting, in slices of 1,024
    // rows on two threads taking turns (docs/performance.md).
    const auto doubled = with_amounts(deals, [](const std::string& a) { return "1" + a; });
    std::vector<std::vector<std::string>> many{doubled.front()};
    for (int copy = 0; copy < 30; ++copy)
      for (std::size_t r = 1; r < doubled.size(); ++r) {
        many.push_back(doubled[r]);
        many.back()[0] += "-" + std::to_string(copy);
      }
    folder("doubled", many, payees);
    add([this](tally::RunOptions& o) {
      o.data_dir = (root_ / "doubled").string();
      o.credits_table = false;
      o.stream_chunk_rows = 1'024;
    });

    auto first_half = deals;
    first_half.resize(deals.size() / 2);
    folder("first_half", first_half, payees);
    add([this](tally::RunOptions& o) {
      o.data_dir = (root_ / "first_half").string();
      o.first_period = "2026-Q1";
      o.last_period = "2026-Q2";
    });

    const auto cents =
        with_amounts(deals, [](const std::string& a) { return a.substr(0, a.find('.')) + ".01"; });
    add([cents](tally::RunOptions& o) { o.tables["deals"] = inline_table(cents); });

    auto with_stranger = deals;
    with_stranger.push_back({"D-9999", "2026-05-05", "zed", "sam", "ENT", "New", "Won", "90000"});
    add([with_stranger](tally::RunOptions& o) {
      o.tables["deals"] = inline_table(with_stranger);
      o.lenient = true;
      o.first_period = "2026-Q2";
    });
    add([payees](tally::RunOptions& o) {
      o.tables["payees"] = inline_table(payees);
      o.payees = {"bob", "dee", "sue"};
      o.first_period = "2026-Q3";
    });
  }
  ~Inputs() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Inputs(const Inputs&) = delete;
  Inputs& operator=(const Inputs&) = delete;

  const std::vector<tally::RunOptions>& options() const { return options_; }

 private:
  template <typename Set>
  void add(Set set) {
    tally::RunOptions o;
    o.data_dir = kDemoData;
    o.threads = options_.size() % 2 ? 2 : 1;  // some runs also split their own stages
    set(o);
    options_.push_back(std::move(o));
  }
  void folder(const std::string& name, const std::vector<std::vector<std::string>>& deals,
              const std::vector<std::vector<std::string>>& payees) {
    fs::create_directories(root_ / name);
    write_csv(root_ / name / "deals.csv", deals);
    write_csv(root_ / name / "payees.csv", payees);
  }

  fs::path root_;
  std::vector<tally::RunOptions> options_;
};

std::vector<Outcome> single_threaded(const tally::Engine& engine, const tally::Plan& plan,
                                     const Inputs& inputs) {
  std::vector<Outcome> outcomes;
  for (const auto& options : inputs.options())
    outcomes.push_back(outcome_of(engine.run(plan, options)));
  return outcomes;
}

std::shared_ptr<const tally::Plan> compile_demo(const tally::Engine& engine) {
  auto compiled = engine.compile_file(kDemoPlan);
  INFO((compiled.messages.empty() ? std::string() : compiled.messages.front().rendered));
  REQUIRE(compiled.plan);
  return compiled.plan;
}

std::vector<std::vector<std::string>> sorted(std::vector<std::vector<std::string>> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("the single-threaded runs are right and differ from each other", "[threads]") {
  tally::Engine engine;
  const auto plan = compile_demo(engine);
  Inputs inputs;
  const auto outcomes = single_threaded(engine, *plan, inputs);
  REQUIRE(outcomes.size() == kThreads);

  // The plain demo run pays what the independent oracle computed
  // (tests/golden/demo_oracle.py).
  auto golden = read_csv(kGoldenPayouts);
  golden.erase(golden.begin());
  CHECK(sorted(outcomes[0].payouts) == sorted(golden));

  std::set<std::vector<std::vector<std::string>>> distinct;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    INFO("input " << i << ": " << (outcomes[i].messages.empty() ? "" : outcomes[i].messages[0]));
    CHECK(outcomes[i].status == tally::RunStatus::ok);
    CHECK_FALSE(outcomes[i].payouts.empty());
    distinct.insert(outcomes[i].payouts);
  }
  // Each input pays differently, so a thread given another's data is caught.
  CHECK(distinct.size() == kThreads);
  CHECK(outcomes[6].rejects.size() == 1);  // the deal of the unknown payee `zed`
}

TEST_CASE("one plan runs from 8 threads at once with the single-threaded results", "[threads]") {
  tally::Engine engine;
  const auto plan = compile_demo(engine);
  Inputs inputs;
  const auto expected = single_threaded(engine, *plan, inputs);

  constexpr int kRounds = 3;
  std::vector<std::vector<Outcome>> got(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread runs every input, starting at its own, so that at every
      // moment the 8 threads run different data through the same Plan.
      for (int round = 0; round < kRounds; ++round)
        for (std::size_t i = 0; i < kThreads; ++i)
          got[t].push_back(outcome_of(engine.run(*plan, inputs.options()[(t + i) % kThreads])));
    });
  }
  for (auto& thread : threads) thread.join();

  for (std::size_t t = 0; t < kThreads; ++t) {
    REQUIRE(got[t].size() == kRounds * kThreads);
    for (std::size_t k = 0; k < got[t].size(); ++k) {
      const std::size_t input = (t + k % kThreads) % kThreads;
      INFO("thread " << t << ", input " << input);
      CHECK(got[t][k] == expected[input]);
    }
  }
}

TEST_CASE("8 engines compile and run at once with the single-threaded results", "[threads]") {
  Inputs inputs;
  std::vector<Outcome> expected;
  {
    tally::Engine engine;
    expected = single_threaded(engine, *compile_demo(engine), inputs);
  }
  const std::string source = read_file(kDemoPlan);

  std::vector<std::optional<Outcome>> got(kThreads);
  std::vector<std::string> diagnostics(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      tally::Engine engine;  // each thread its own engine and its own plan
      auto compiled = engine.compile(source, "demo.tally");
      if (!compiled.plan) {
        for (const auto& m : compiled.messages) diagnostics[t] += m.rendered + "\n";
        return;
      }
      got[t] = outcome_of(engine.run(*compiled.plan, inputs.options()[t]));
    });
  }
  for (auto& thread : threads) thread.join();

  for (std::size_t t = 0; t < kThreads; ++t) {
    INFO("engine " << t << ": " << diagnostics[t]);
    REQUIRE(got[t].has_value());
    CHECK(*got[t] == expected[t]);
  }
}

TEST_CASE("runs stopped by their limits at once leave the plan usable", "[threads]") {
  tally::Engine engine;
  const auto plan = compile_demo(engine);
  Inputs inputs;
  const auto expected = single_threaded(engine, *plan, inputs);

  // Half the threads run out of instructions, half share a cancelled token;
  // each run also uses two threads of its own, which all stop together.
  auto cancelled = std::make_shared<tally::CancelToken>();
  cancelled->cancel();
  std::vector<tally::RunStatus> stopped(kThreads, tally::RunStatus::ok);
  std::vector<std::optional<Outcome>> after(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      tally::RunOptions limited = inputs.options()[t];
      limited.threads = 2;
      if (t % 2)
        limited.limits.max_instructions = 50;
      else
        limited.limits.cancel = cancelled;
      stopped[t] = engine.run(*plan, limited).status;
      after[t] = outcome_of(engine.run(*plan, inputs.options()[t]));
    });
  }
  for (auto& thread : threads) thread.join();

  for (std::size_t t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(stopped[t] ==
          (t % 2 ? tally::RunStatus::instruction_limit : tally::RunStatus::cancelled));
    REQUIRE(after[t].has_value());
    CHECK(*after[t] == expected[t]);
  }
}

TEST_CASE("rules and measures that make new text run on one thread, with the same results",
          "[threads]") {
  // lower(...) of 140,000 distinct names adds 140,000 texts to the run's
  // symbol table while crediting and aggregating. The table is the run's,
  // not shared across threads, so these chunks (and a fold beside them) run
  // on one thread even when the run may use two: crediting in halves from
  // 131,072 rows, aggregating in halves, folding while crediting. Under
  // ThreadSanitizer a second thread interning at once is a reported race.
  const std::string source = R"(plan "Text" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  name: text
  owner: payee
  amount: money
}
roster payees { id: text key, role: text }

credit won from deals where lower(deal.name) != "skip" on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
measure named: int = count(credit where upper(deal.name) != lower(deal.name))

payout commission for role == "AE" = 3% * bookings + 1 USD * named
)";
  const fs::path root = fs::temp_directory_path() / ("tally_text_" + std::to_string(::getpid()));
  fs::create_directories(root);
  std::vector<std::vector<std::string>> deals{{"id", "close_date", "name", "owner", "amount"}};
  const char* owners[] = {"ann", "bo", "cy"};
  for (int i = 1; i <= 140'000; ++i) {
    const int month = 1 + i % 12;
    deals.push_back({std::to_string(i),
                     "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-1" +
                         std::to_string(i % 9),
                     i % 1000 == 0 ? "SKIP" : "Deal-" + std::to_string(i), owners[(i * 7) % 3],
                     std::to_string((i * 7919) % 90'000) + ".50"});
  }
  write_csv(root / "deals.csv", deals);
  write_csv(root / "payees.csv", {{"id", "role"}, {"ann", "AE"}, {"bo", "AE"}, {"cy", "AE"}});
  tally::Engine engine;
  auto compiled = engine.compile(source, "text.tally");
  INFO((compiled.messages.empty() ? std::string() : compiled.messages.front().rendered));
  REQUIRE(compiled.plan);
  for (bool credits_table : {true, false}) {  // crediting in halves; folding while crediting
    INFO("credits table " << credits_table);
    tally::RunOptions one;
    one.data_dir = root.string();
    one.threads = 1;
    one.credits_table = credits_table;
    tally::RunOptions two = one;
    two.threads = 2;
    const auto sequential = engine.run(*compiled.plan, one);
    const auto parallel = engine.run(*compiled.plan, two);
    REQUIRE(sequential.ok);
    REQUIRE(parallel.ok);
    CHECK(sequential.summary.credits == 140'000 - 140);  // "SKIP" deals are not credited
    CHECK(outcome_of(parallel) == outcome_of(sequential));
  }
  std::error_code ignored;
  fs::remove_all(root, ignored);
}

TEST_CASE("credits folded as they are made on two threads give the one-thread results",
          "[threads]") {
  // Sums and counts only, no credit kept: each thread credits the next free
  // slice (1,024 rows, so 20 of them) into totals of its own
  // (interpreter/line_fold.cpp), added up at the end. Under
  // ThreadSanitizer any state the two threads share unguarded is a race.
  const std::string source = R"(plan "Lines" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  type: text
  amount: money
}
roster payees { id: text key, role: text, manager: payee? }

credit won from deals where deal.type != "Lost" on deal.close_date {
  deal.owner                      gets 100%
  managers(deal.owner, levels: 1) gets 100% rollup
}

measure bookings: money = sum(credit.amount)
measure new_direct: int = count(credit where credit.kind == direct and deal.type == "New")
measure rollup_deals: money = sum(deal.amount where credit.kind == rollup)

payout commission for role == "AE" = 3% * bookings + 1 USD * new_direct
payout override for role == "MGR" = 1% * rollup_deals
)";
  const fs::path root = fs::temp_directory_path() / ("tally_lines_" + std::to_string(::getpid()));
  fs::create_directories(root);
  std::vector<std::vector<std::string>> deals{{"id", "close_date", "owner", "type", "amount"}};
  const char* owners[] = {"ann", "bo", "cy"};
  const char* types[] = {"New", "Renewal", "Lost", "New", "Upsell"};
  for (int i = 1; i <= 20'480; ++i) {
    const int month = 1 + i % 12;
    deals.push_back({std::to_string(i),
                     "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-1" +
                         std::to_string(i % 9),
                     owners[(i * 7) % 3], types[i % 5],
                     std::to_string((i * 7919) % 90'000) + "." + std::to_string(i % 10)});
  }
  write_csv(root / "deals.csv", deals);
  write_csv(root / "payees.csv", {{"id", "role", "manager"},
                                  {"mo", "MGR", ""},
                                  {"ann", "AE", "mo"},
                                  {"bo", "AE", "mo"},
                                  {"cy", "AE", "mo"}});
  tally::Engine engine;
  auto compiled = engine.compile(source, "lines.tally");
  INFO((compiled.messages.empty() ? std::string() : compiled.messages.front().rendered));
  REQUIRE(compiled.plan);
  tally::RunOptions one;
  one.data_dir = root.string();
  one.threads = 1;
  one.credits_table = false;
  one.stream = tally::RunOptions::Stream::off;
  one.stream_chunk_rows = 1'024;
  tally::RunOptions two = one;
  two.threads = 2;
  const auto sequential = engine.run(*compiled.plan, one);
  const auto parallel = engine.run(*compiled.plan, two);
  REQUIRE(sequential.ok);
  REQUIRE(parallel.ok);
  CHECK(outcome_of(parallel) == outcome_of(sequential));
  CHECK(sequential.summary.credits > 20'000);
  std::error_code ignored;
  fs::remove_all(root, ignored);
}
