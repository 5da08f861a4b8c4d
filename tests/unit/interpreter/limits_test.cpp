// RunOptions::limits: each limit ends the run with its status and one
// message naming the limit, its value and the stage; no results are kept;
// and the Engine and the Plan give the normal results on the next run.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

#include "io/loader.hpp"
#include "plan_fixture.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

const char* kPlan = R"(plan "Limits" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  close_date: date
  owner: payee
  amount: money
}
roster payees { id: text key, role: text }

credit won from deals on deal.close_date {
  deal.owner gets 100%
}

measure bookings: money = sum(credit.amount)
payout commission for role == "AE" = 3% * bookings
)";

/// Three deals: ann 1000 in Q1 and 500 in Q2, bo 2000 in Q1. At 3%: ann
/// 30.00 + 15.00, bo 60.00; 105.00 in all.
void write_small(const DataFolder& data) {
  data.write("payees.csv", "id,role\nann,AE\nbo,AE\n");
  data.write("deals.csv",
             "id,close_date,owner,amount\n1,2026-01-15,ann,1000\n2,2026-02-10,bo,2000\n"
             "3,2026-04-01,ann,500\n");
}

/// 300,000 deals of 10.00 each, alternating ann and bo, all in 2026-Q1:
/// 3% of 1,500,000.00 is 45,000.00 each, 90,000.00 in all.
void write_large(const DataFolder& data) {
  data.write("payees.csv", "id,role\nann,AE\nbo,AE\n");
  std::string deals = "id,close_date,owner,amount\n";
  deals.reserve(300'000 * 30);
  for (int i = 1; i <= 300'000; ++i)
    deals += std::to_string(i) + ",2026-02-01," + (i % 2 ? "ann" : "bo") + ",10.00\n";
  data.write("deals.csv", deals);
}

std::shared_ptr<const Plan> compile_plan(const Engine& engine) {
  auto compiled = engine.compile(kPlan, "limits.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  return compiled.plan;
}

RunOptions options_for(const DataFolder& data) {
  RunOptions options;
  options.data_dir = data.path();
  return options;
}

/// The run stopped for `status` with one message, and kept no results.
void require_stopped(const RunResult& result, RunStatus status) {
  INFO(all_messages(result.messages));
  CHECK_FALSE(result.ok);
  CHECK(result.status == status);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].severity == Message::Severity::error);
  CHECK(result.payouts.rows.empty());
  CHECK(result.payouts.columns.empty());
  CHECK(result.credits.rows.empty());
  CHECK(result.measures.rows.empty());
}

/// The normal results of the small data set (hand-computed above).
void require_small_results(const RunResult& result) {
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.status == RunStatus::ok);
  CHECK(result.summary.total_paid == "105.00");
  bool ann_q1 = false;
  for (const auto& row : result.payouts.rows)
    if (row[0] == "ann" && row[1] == "2026-Q1") ann_q1 = row[3] == "30.00";
  CHECK(ann_q1);
  CHECK(result.credits.rows.size() == 3);
}

}  // namespace

TEST_CASE("status names", "[limits]") {
  CHECK(std::string(status_name(RunStatus::ok)) == "ok");
  CHECK(std::string(status_name(RunStatus::failed)) == "failed");
  CHECK(std::string(status_name(RunStatus::instruction_limit)) == "instruction_limit");
  CHECK(std::string(status_name(RunStatus::memory_limit)) == "memory_limit");
  CHECK(std::string(status_name(RunStatus::timeout)) == "timeout");
  CHECK(std::string(status_name(RunStatus::cancelled)) == "cancelled");
  CHECK(std::string(status_name(RunStatus::internal_error)) == "internal_error");
}

TEST_CASE("a run without limits is ok; one with data errors has failed", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_status");
  write_small(data);
  require_small_results(engine.run(*plan, options_for(data)));

  data.write("deals.csv", "id,close_date,owner,amount\n1,2026-01-15,zed,1000\n");
  const RunResult bad = engine.run(*plan, options_for(data));
  CHECK_FALSE(bad.ok);
  CHECK(bad.status == RunStatus::failed);
  CHECK(has_errors(bad.messages));
}

TEST_CASE("limits large enough change nothing", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_roomy");
  write_small(data);
  const RunResult free = engine.run(*plan, options_for(data));
  RunOptions options = options_for(data);
  options.limits.max_instructions = 1'000'000'000;
  options.limits.max_memory_bytes = std::size_t{1} << 34;
  options.limits.timeout = std::chrono::hours(1);
  options.limits.cancel = std::make_shared<CancelToken>();
  const RunResult bounded = engine.run(*plan, options);
  require_small_results(bounded);
  CHECK(bounded.payouts.rows == free.payouts.rows);
  CHECK(bounded.credits.rows == free.credits.rows);
  CHECK(bounded.measures.rows == free.measures.rows);
}

TEST_CASE("the instruction budget stops the run in the stage that passes it", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_instructions");
  write_small(data);
  RunOptions options = options_for(data);
  options.limits.max_instructions = 1;
  const RunResult stopped = engine.run(*plan, options);
  require_stopped(stopped, RunStatus::instruction_limit);
  CHECK(stopped.messages[0].text == "the run exceeded its instruction budget of 1 during `credit`");
  // the engine and the plan are as good as new
  require_small_results(engine.run(*plan, options_for(data)));

  // The exact count: crediting 3 rows then aggregating 3 credits then paying
  // 2 payees takes some number N of instructions; a budget of N - 1 stops
  // the run and a budget of N does not.
  std::uint64_t low = 1;
  std::uint64_t high = 1'000'000;
  options.limits.max_instructions = high;
  REQUIRE(engine.run(*plan, options).ok);
  while (low + 1 < high) {  // low stops, high does not
    const std::uint64_t middle = (low + high) / 2;
    options.limits.max_instructions = middle;
    (engine.run(*plan, options).ok ? high : low) = middle;
  }
  options.limits.max_instructions = low;
  CHECK(engine.run(*plan, options).status == RunStatus::instruction_limit);
  options.limits.max_instructions = high;
  require_small_results(engine.run(*plan, options));
  // Each instruction counts once per active lane: three deals credit in
  // one batch, so the budget is more than one chunk's instructions.
  CHECK(high > 3);
}

TEST_CASE("the instruction budget of a large run names its value grouped", "[limits][large]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_instructions_large");
  write_large(data);
  RunOptions options = options_for(data);
  options.limits.max_instructions = 1'000'000;
  const RunResult stopped = engine.run(*plan, options);
  require_stopped(stopped, RunStatus::instruction_limit);
  CHECK(stopped.messages[0].text ==
        "the run exceeded its instruction budget of 1,000,000 during `credit`");
  const RunResult normal = engine.run(*plan, options_for(data));
  REQUIRE(normal.ok);
  CHECK(normal.summary.total_paid == "90000.00");
}

TEST_CASE("a memory budget below the data stops the run in the load", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_memory");
  write_small(data);
  RunOptions options = options_for(data);
  options.limits.max_memory_bytes = 16;
  const RunResult stopped = engine.run(*plan, options);
  require_stopped(stopped, RunStatus::memory_limit);
  CHECK(stopped.messages[0].text == "the run exceeded its memory budget of 16 bytes during `load`");
  require_small_results(engine.run(*plan, options_for(data)));
}

TEST_CASE("the memory budget is exact: one byte less than the run needs stops it", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_memory_exact");
  write_small(data);
  RunOptions options = options_for(data);
  std::size_t low = 1;  // stops
  std::size_t high = std::size_t{1} << 30;
  options.limits.max_memory_bytes = high;
  REQUIRE(engine.run(*plan, options).ok);
  while (low + 1 < high) {
    const std::size_t middle = (low + high) / 2;
    options.limits.max_memory_bytes = middle;
    (engine.run(*plan, options).ok ? high : low) = middle;
  }
  options.limits.max_memory_bytes = high;
  require_small_results(engine.run(*plan, options));
  options.limits.max_memory_bytes = low;
  const RunResult stopped = engine.run(*plan, options);
  require_stopped(stopped, RunStatus::memory_limit);
  // The last charge is the credits table's rows, made after the payouts.
  CHECK(stopped.messages[0].text.find("during `results`") != std::string::npos);
  // Without the credits table the run needs less.
  options.credits_table = false;
  CHECK(engine.run(*plan, options).ok);
}

TEST_CASE("a memory budget far below a large data set stops the load early", "[limits][large]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_memory_large");
  write_large(data);
  RunOptions options = options_for(data);
  options.limits.max_memory_bytes = 64 * 1024;
  const RunResult stopped = engine.run(*plan, options);
  require_stopped(stopped, RunStatus::memory_limit);
  CHECK(stopped.messages[0].text ==
        "the run exceeded its memory budget of 64 KB (65,536 bytes) during `load`");

  // A budget that holds the sources but not the credits stops in `credit`:
  // 300,000 rows of 4 columns take at least 300,000 * 4 * 4 bytes.
  options.limits.max_memory_bytes = 300'000 * 40;
  const RunResult later = engine.run(*plan, options);
  INFO(all_messages(later.messages));
  CHECK(later.status == RunStatus::memory_limit);
  REQUIRE(later.messages.size() == 1);
  CHECK(later.messages[0].text.find("during `credit`") != std::string::npos);
  REQUIRE(engine.run(*plan, options_for(data)).summary.total_paid == "90000.00");
}

TEST_CASE("the loader asks its guard before sizing the columns and every 65,536 rows",
          "[limits][large]") {
  DataFolder data("limits_loader");
  write_large(data);
  SourceSchema schema;
  schema.name = "deals";
  for (const char* name : {"id", "owner"}) {
    FieldSpec field;
    field.name = name;
    field.type = Type::of(Kind::text);
    schema.fields.push_back(field);
  }
  SymbolTable symbols;
  LoadOptions options;
  std::vector<std::uint64_t> asked;
  options.keep_going = [&](std::uint64_t more_bytes) {
    asked.push_back(more_bytes);
    return asked.size() < 2;
  };
  const auto table = load_table(schema, data.path() + "/deals.csv", symbols, options);
  REQUIRE_FALSE(table);
  CHECK(table.errors().front().message.find("was stopped before its end") != std::string::npos);
  REQUIRE(asked.size() == 2);
  // The first question comes before the columns are sized for the file's
  // 300,000 rows (two 4-byte symbol columns and the row numbers): at least
  // 300,000 * 12 bytes, asked before they are allocated.
  CHECK(asked[0] >= 300'000u * 12u);

  // Read in parts on two threads, the guard stops every part.
  asked.clear();
  LoadOptions parts = options;
  parts.parallel_min_bytes = 1;
  parts.threads = 2;
  std::atomic<int> questions{0};
  parts.keep_going = [&](std::uint64_t) { return ++questions < 2; };
  const auto in_parts = load_table(schema, data.path() + "/deals.csv", symbols, parts);
  REQUIRE_FALSE(in_parts);
  CHECK(in_parts.errors().front().message.find("was stopped before its end") != std::string::npos);
  CHECK(questions < 20);  // not read again sequentially after the parts stopped
}

TEST_CASE("a run cancelled before it starts, or out of time, stops at once", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_cancel_before");
  write_small(data);
  RunOptions options = options_for(data);
  auto token = std::make_shared<CancelToken>();
  token->cancel();
  options.limits.cancel = token;
  const RunResult cancelled = engine.run(*plan, options);
  require_stopped(cancelled, RunStatus::cancelled);
  CHECK(cancelled.messages[0].text == "the run was cancelled during `load`");
  token->reset();
  require_small_results(engine.run(*plan, options));
}

TEST_CASE("the deadline stops a long run", "[limits][large]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_timeout");
  write_large(data);
  RunOptions options = options_for(data);
  options.limits.timeout = std::chrono::milliseconds(1);
  const auto started = std::chrono::steady_clock::now();
  const RunResult stopped = engine.run(*plan, options);
  const auto took = std::chrono::steady_clock::now() - started;
  require_stopped(stopped, RunStatus::timeout);
  CHECK(stopped.messages[0].text.rfind("the run exceeded its time limit of 1 ms during `", 0) == 0);
  // An unlimited run of the same data, for scale: the stopped one took less.
  const auto whole_started = std::chrono::steady_clock::now();
  const RunResult normal = engine.run(*plan, options_for(data));
  const auto whole = std::chrono::steady_clock::now() - whole_started;
  REQUIRE(normal.summary.total_paid == "90000.00");
  CHECK(took < whole);
}

TEST_CASE("cancelling from another thread stops crediting at its next batch", "[limits][large]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_cancel_credit");
  write_large(data);
  RunOptions options = options_for(data);
  auto token = std::make_shared<CancelToken>();
  options.limits.cancel = token;
  // As crediting starts, another thread cancels (and is done before the
  // stage's first batch, so the stop is certain to land in `credit`).
  options.progress = [&](const RunProgress& progress) {
    if (progress.stage != "credit") return;
    std::thread canceller([&] { token->cancel(); });
    canceller.join();
  };
  const RunResult cancelled = engine.run(*plan, options);
  require_stopped(cancelled, RunStatus::cancelled);
  CHECK(cancelled.messages[0].text == "the run was cancelled during `credit`");
  token->reset();
  options.progress = nullptr;
  const RunResult normal = engine.run(*plan, options);
  REQUIRE(normal.ok);
  CHECK(normal.summary.total_paid == "90000.00");
}

TEST_CASE("cancelling from another thread during a long load", "[limits][large]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_cancel_load");
  write_large(data);
  RunOptions options = options_for(data);
  auto token = std::make_shared<CancelToken>();
  options.limits.cancel = token;
  std::thread canceller;
  options.progress = [&](const RunProgress& progress) {
    if (progress.stage == "load" && !canceller.joinable())
      canceller = std::thread([&] { token->cancel(); });
  };
  const RunResult cancelled = engine.run(*plan, options);
  canceller.join();
  require_stopped(cancelled, RunStatus::cancelled);
  CHECK(cancelled.messages[0].text == "the run was cancelled during `load`");
  token->reset();
  options.progress = nullptr;
  REQUIRE(engine.run(*plan, options).summary.total_paid == "90000.00");
}

TEST_CASE("an exception in a run becomes a status, never escapes", "[limits]") {
  Engine engine;
  const auto plan = compile_plan(engine);
  DataFolder data("limits_exceptions");
  write_small(data);
  RunOptions options = options_for(data);
  options.progress = [](const RunProgress& progress) {
    if (progress.stage == "aggregate") throw std::bad_alloc();
  };
  RunResult result;
  REQUIRE_NOTHROW(result = engine.run(*plan, options));
  require_stopped(result, RunStatus::memory_limit);
  CHECK(result.messages[0].text.rfind("the run ran out of memory during `aggregate`", 0) == 0);

  options.progress = [](const RunProgress& progress) {
    if (progress.stage == "payouts") throw std::runtime_error("boom");
  };
  REQUIRE_NOTHROW(result = engine.run(*plan, options));
  require_stopped(result, RunStatus::internal_error);
  CHECK(result.messages[0].text.find("during `payouts`: boom") != std::string::npos);
  require_small_results(engine.run(*plan, options_for(data)));
}
