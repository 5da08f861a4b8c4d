// Limits and cancellation through the C API: each ends the run with its own
// status and a message, and the engine and the plan stay usable.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "capi_fixture.hpp"
#include "tally/tally.h"

using namespace capi_test;

namespace {

tally_status run_demo(const tally_engine* engine, const tally_plan* plan, tally_options* options,
                      Result& result) {
  REQUIRE(tally_options_set_data_dir(options, kDemoData.c_str()) == TALLY_OK);
  tally_result* r = nullptr;
  const tally_status status = tally_run(engine, plan, options, &r);
  result.reset(r);
  REQUIRE(result);
  CHECK(tally_result_status(r) == status);
  return status;
}

/// The demo's payees as a row callback that waits, at its first row, for
/// `gate` to open: a run that is certain to still be loading when a limit
/// or a cancel comes.
struct SlowPayees {
  const char* rows[7][3] = {{"ann", "Ann Lee", "AE"},   {"bob", "Bob Stone", "AE"},
                            {"cho", "Cho Park", "AE"},  {"dee", "Dee Novak", "AE"},
                            {"sam", "Sam Ortiz", "SE"}, {"sue", "Sue Marsh", "SE"},
                            {"max", "Max Hill", "MGR"}};
  size_t next = 0;
  std::atomic<bool> started{false};
  std::function<void()> gate;

  static int callback(void* user_data, const char** cells, size_t count) {
    auto* self = static_cast<SlowPayees*>(user_data);
    if (self->next == 0) {
      self->started = true;
      self->gate();
    }
    if (self->next == 7) return 0;
    for (size_t i = 0; i < count; ++i) cells[i] = self->rows[self->next][i];
    ++self->next;
    return 1;
  }
};

void add_slow_payees(tally_options* options, SlowPayees& payees) {
  const char* columns[] = {"id", "name", "role"};
  REQUIRE(tally_options_add_rows(options, "payees", columns, 3, SlowPayees::callback, &payees) ==
          TALLY_OK);
}

}  // namespace

TEST_CASE("an instruction budget ends the run; the plan runs again without it", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_max_instructions(options.get(), 1) == TALLY_OK);
  Result result;
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_INSTRUCTION_LIMIT);
  CHECK(tally_messages_has_errors(tally_result_messages(result.get())) == 1);
  CHECK(tally_result_row_count(result.get(), TALLY_TABLE_PAYOUTS) == 0);
  CHECK(!std::string(tally_last_error()).empty());

  REQUIRE(tally_options_set_max_instructions(options.get(), 0) == TALLY_OK);
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_OK);
  CHECK(std::string(tally_result_total(result.get())) == "250126.08");
}

TEST_CASE("a memory budget ends the run", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_max_memory(options.get(), 16) == TALLY_OK);
  Result result;
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_MEMORY_LIMIT);
  CHECK(tally_messages_has_errors(tally_result_messages(result.get())) == 1);
  // A generous budget changes nothing.
  REQUIRE(tally_options_set_max_memory(options.get(), uint64_t{1} << 32) == TALLY_OK);
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_OK);
  CHECK(std::string(tally_result_total(result.get())) == "250126.08");
}

TEST_CASE("a deadline ends a run that takes longer", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  SlowPayees payees;
  payees.gate = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
  add_slow_payees(options.get(), payees);
  REQUIRE(tally_options_set_timeout_ms(options.get(), 5) == TALLY_OK);
  Result result;
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_TIMEOUT);
  CHECK(tally_messages_has_errors(tally_result_messages(result.get())) == 1);
}

TEST_CASE("a run is cancelled from another thread", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  tally_cancel_token* token = nullptr;
  REQUIRE(tally_cancel_token_new(&token) == TALLY_OK);
  REQUIRE(tally_options_set_cancel_token(options.get(), token) == TALLY_OK);
  SlowPayees payees;
  // The run waits in its first row until the other thread has cancelled.
  payees.gate = [token] {
    while (!tally_cancel_token_cancelled(token))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  add_slow_payees(options.get(), payees);
  std::thread canceller([&] {
    while (!payees.started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    tally_cancel(token);
  });
  Result result;
  const tally_status status = run_demo(engine.get(), plan.get(), options.get(), result);
  canceller.join();
  CHECK(status == TALLY_CANCELLED);
  CHECK(tally_messages_has_errors(tally_result_messages(result.get())) == 1);

  // The options keep the token alive after the caller frees its handle;
  // once reset... (a fresh token here), the same plan runs to the end.
  tally_cancel_token_free(token);
  REQUIRE(tally_options_set_cancel_token(options.get(), nullptr) == TALLY_OK);
  Options fresh = make_options();
  CHECK(run_demo(engine.get(), plan.get(), fresh.get(), result) == TALLY_OK);
  CHECK(std::string(tally_result_total(result.get())) == "250126.08");
}

TEST_CASE("a token cancelled before the run stops it at once", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  tally_cancel_token* token = nullptr;
  REQUIRE(tally_cancel_token_new(&token) == TALLY_OK);
  REQUIRE(tally_options_set_cancel_token(options.get(), token) == TALLY_OK);
  tally_cancel(token);
  Result result;
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_CANCELLED);
  tally_cancel_token_reset(token);
  CHECK(run_demo(engine.get(), plan.get(), options.get(), result) == TALLY_OK);
  tally_cancel_token_free(token);
}
