// Versions, status names, the per-thread last error, and the free functions'
// NULL contract.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

#include "capi/call_guard.hpp"
#include "capi_fixture.hpp"
#include "tally/tally.h"

TEST_CASE("the ABI and library versions are reported", "[capi]") {
  CHECK(tally_abi_version() == TALLY_ABI_VERSION);
  CHECK(TALLY_ABI_VERSION == 1);
  const std::string version = tally_version();
  // major.minor.patch
  CHECK(std::count(version.begin(), version.end(), '.') == 2);
  CHECK(version.front() >= '0');
  CHECK(version.front() <= '9');
}

TEST_CASE("every status has a name", "[capi]") {
  CHECK(std::string(tally_status_name(TALLY_OK)) == "ok");
  CHECK(std::string(tally_status_name(TALLY_PLAN_ERROR)) == "plan_error");
  CHECK(std::string(tally_status_name(TALLY_DATA_ERROR)) == "data_error");
  CHECK(std::string(tally_status_name(TALLY_INVALID_ARGUMENT)) == "invalid_argument");
  CHECK(std::string(tally_status_name(TALLY_INSTRUCTION_LIMIT)) == "instruction_limit");
  CHECK(std::string(tally_status_name(TALLY_MEMORY_LIMIT)) == "memory_limit");
  CHECK(std::string(tally_status_name(TALLY_TIMEOUT)) == "timeout");
  CHECK(std::string(tally_status_name(TALLY_CANCELLED)) == "cancelled");
  CHECK(std::string(tally_status_name(TALLY_IO_ERROR)) == "io_error");
  CHECK(std::string(tally_status_name(TALLY_OUT_OF_MEMORY)) == "out_of_memory");
  CHECK(std::string(tally_status_name(TALLY_INTERNAL_ERROR)) == "internal_error");
  CHECK(std::string(tally_status_name(static_cast<tally_status>(99))) == "unknown");
}

TEST_CASE("free functions accept NULL", "[capi]") {
  tally_engine_free(nullptr);
  tally_compile_options_free(nullptr);
  tally_plan_free(nullptr);
  tally_options_free(nullptr);
  tally_cancel_token_free(nullptr);
  tally_result_free(nullptr);
  tally_free_string(nullptr);
  tally_cancel(nullptr);
  tally_cancel_token_reset(nullptr);
  CHECK(tally_cancel_token_cancelled(nullptr) == 0);
}

TEST_CASE("a NULL out parameter is an invalid argument with a message", "[capi]") {
  CHECK(tally_engine_new(nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()) == "tally_engine_new: `out` is NULL");
  CHECK(tally_options_new(nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_options_new(nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_cancel_token_new(nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()).find("`out` is NULL") != std::string::npos);
  // A later successful call leaves it (like errno); the next failure replaces it.
  tally_engine* engine = nullptr;
  REQUIRE(tally_engine_new(&engine) == TALLY_OK);
  CHECK(std::string(tally_last_error()).find("`out` is NULL") != std::string::npos);
  CHECK(tally_compile(engine, nullptr, "x", nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()) == "tally_compile: `out` is NULL");
  tally_engine_free(engine);
}

TEST_CASE("the last error belongs to the thread that made the call", "[capi]") {
  CHECK(tally_engine_new(nullptr) == TALLY_INVALID_ARGUMENT);
  std::string other_before, other_after;
  std::thread other([&] {
    other_before = tally_last_error();
    tally_options_new(nullptr);
    other_after = tally_last_error();
  });
  other.join();
  CHECK(other_before.empty());
  CHECK(other_after == "tally_options_new: `out` is NULL");
  CHECK(std::string(tally_last_error()) == "tally_engine_new: `out` is NULL");
}

TEST_CASE("a cancel token is set and reset", "[capi]") {
  tally_cancel_token* token = nullptr;
  REQUIRE(tally_cancel_token_new(&token) == TALLY_OK);
  CHECK(tally_cancel_token_cancelled(token) == 0);
  std::thread canceller([token] { tally_cancel(token); });
  canceller.join();
  CHECK(tally_cancel_token_cancelled(token) == 1);
  tally_cancel_token_reset(token);
  CHECK(tally_cancel_token_cancelled(token) == 0);
  tally_cancel_token_free(token);
}

TEST_CASE("no exception crosses the boundary", "[capi]") {
  using tally::capi::guarded;
  CHECK(guarded("f", []() -> tally_status { throw std::bad_alloc(); }) == TALLY_OUT_OF_MEMORY);
  CHECK(std::string(tally_last_error()) == "f: out of memory");
  CHECK(guarded("g", []() -> tally_status { throw std::runtime_error("boom"); }) ==
        TALLY_INTERNAL_ERROR);
  CHECK(std::string(tally_last_error()) == "g: internal error: boom");
  CHECK(guarded("h", []() -> tally_status { throw 42; }) == TALLY_INTERNAL_ERROR);
  CHECK(std::string(tally_last_error()) == "h: internal error: unknown exception");
  CHECK(guarded("i", [] { return TALLY_OK; }) == TALLY_OK);
}
