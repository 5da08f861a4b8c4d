// Compiling through the C API: plan handles, messages with their locations,
// import policies, and every NULL argument.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>

#include "capi_fixture.hpp"
#include "tally/tally.h"

using namespace capi_test;

namespace {

// `bookingz` is not declared: an error at line 7, column 27.
const char* kBadPlan = R"(plan "Bad" version 1
  currency USD

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
payout commission = 10% * bookingz
)";

const char* kImportingPlan = R"(plan "Imports" version 1
  currency USD

import "lib/measures.tally"

source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
payout commission = 10% * bookings
)";

const char* resolve(void* user_data, const char* path) {
  auto* files = static_cast<std::map<std::string, std::string>*>(user_data);
  auto found = files->find(path);
  return found == files->end() ? nullptr : found->second.c_str();
}

}  // namespace

TEST_CASE("the demo plan compiles from its file and from its text", "[capi]") {
  Engine engine = make_engine();
  Plan from_file = compile_demo(engine.get());
  CHECK(tally_plan_ok(from_file.get()) == 1);
  CHECK(std::string(tally_plan_name(from_file.get())) == "Demo AE & SE Plan 2026");
  CHECK(tally_messages_has_errors(tally_plan_messages(from_file.get())) == 0);

  std::ifstream in(kDemoPlan);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Plan from_text = compile_text(engine.get(), text.c_str());
  CHECK(tally_plan_ok(from_text.get()) == 1);
  CHECK(std::string(tally_plan_name(from_text.get())) == "Demo AE & SE Plan 2026");
}

TEST_CASE("a plan with an error yields a handle holding the error and its location", "[capi]") {
  Engine engine = make_engine();
  tally_plan* p = nullptr;
  REQUIRE(tally_compile(engine.get(), kBadPlan, "bad.tally", nullptr, &p) == TALLY_PLAN_ERROR);
  Plan plan(p);
  REQUIRE(plan);
  CHECK(tally_plan_ok(p) == 0);
  CHECK(std::string(tally_plan_name(p)).empty());
  CHECK(std::string(tally_last_error()).find("bookingz") != std::string::npos);
  const tally_messages* messages = tally_plan_messages(p);
  REQUIRE(tally_messages_count(messages) >= 1);
  CHECK(tally_messages_has_errors(messages) == 1);
  tally_severity severity = TALLY_SEVERITY_NOTE;
  int line = 0, column = 0;
  REQUIRE(tally_message_location(messages, 0, &severity, &line, &column) == TALLY_OK);
  CHECK(severity == TALLY_SEVERITY_ERROR);
  CHECK(line == 7);
  CHECK(column == 27);
  // Any of the out pointers may be NULL.
  CHECK(tally_message_location(messages, 0, nullptr, nullptr, nullptr) == TALLY_OK);
  const char* file = nullptr;
  const char* text = nullptr;
  const char* hint = nullptr;
  const char* rendered = nullptr;
  REQUIRE(tally_message_text(messages, 0, TALLY_MESSAGE_FILE, &file) == TALLY_OK);
  REQUIRE(tally_message_text(messages, 0, TALLY_MESSAGE_TEXT, &text) == TALLY_OK);
  REQUIRE(tally_message_text(messages, 0, TALLY_MESSAGE_HINT, &hint) == TALLY_OK);
  REQUIRE(tally_message_text(messages, 0, TALLY_MESSAGE_RENDERED, &rendered) == TALLY_OK);
  CHECK(std::string(file) == "bad.tally");
  CHECK(std::string(text).find("bookingz") != std::string::npos);
  CHECK(hint != nullptr);  // may be empty; never NULL
  CHECK(std::string(rendered).rfind("bad.tally:7:27: error:", 0) == 0);

  // An index past the end, an unknown field, a NULL out pointer.
  const size_t count = tally_messages_count(messages);
  CHECK(tally_message_location(messages, count, &severity, &line, &column) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(std::string(tally_last_error()).find("does not exist") != std::string::npos);
  CHECK(tally_message_text(messages, count, TALLY_MESSAGE_TEXT, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(text == nullptr);
  CHECK(tally_message_text(messages, 0, static_cast<tally_message_field>(42), &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_message_text(messages, 0, TALLY_MESSAGE_TEXT, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_message_text(nullptr, 0, TALLY_MESSAGE_TEXT, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_message_location(nullptr, 0, nullptr, nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_messages_count(nullptr) == 0);
  CHECK(tally_messages_has_errors(nullptr) == 0);
}

TEST_CASE("a missing plan file is a compile error naming it", "[capi]") {
  Engine engine = make_engine();
  tally_plan* p = nullptr;
  REQUIRE(tally_compile_file(engine.get(), "no/such/plan.tally", &p) == TALLY_PLAN_ERROR);
  Plan plan(p);
  REQUIRE(plan);
  CHECK(tally_plan_ok(p) == 0);
  const std::string all = all_messages(tally_plan_messages(p));
  CHECK(all.find("no/such/plan.tally") != std::string::npos);
}

TEST_CASE("imports are refused, or resolved by the host's callback", "[capi]") {
  Engine engine = make_engine();
  tally_compile_options* options = nullptr;
  REQUIRE(tally_compile_options_new(&options) == TALLY_OK);

  REQUIRE(tally_compile_options_set_imports(options, TALLY_IMPORT_REFUSE) == TALLY_OK);
  tally_plan* refused = nullptr;
  CHECK(tally_compile(engine.get(), kImportingPlan, "main.tally", options, &refused) ==
        TALLY_PLAN_ERROR);
  int line = 0;
  REQUIRE(tally_message_location(tally_plan_messages(refused), 0, nullptr, &line, nullptr) ==
          TALLY_OK);
  CHECK(line == 4);  // the import line
  tally_plan_free(refused);

  // The resolver policy needs a resolver first.
  CHECK(tally_compile_options_set_imports(options, TALLY_IMPORT_RESOLVER) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_options_set_imports(options, static_cast<tally_import_policy>(7)) ==
        TALLY_INVALID_ARGUMENT);

  std::map<std::string, std::string> files{
      {"lib/measures.tally", "measure bookings: money = sum(credit.amount)\n"}};
  REQUIRE(tally_compile_options_set_resolver(options, resolve, &files) == TALLY_OK);
  tally_plan* resolved = nullptr;
  CHECK(tally_compile(engine.get(), kImportingPlan, "main.tally", options, &resolved) == TALLY_OK);
  INFO(all_messages(tally_plan_messages(resolved)));
  CHECK(tally_plan_ok(resolved) == 1);
  tally_plan_free(resolved);

  // The resolver says there is no such file: an error at the import line.
  files.clear();
  tally_plan* missing = nullptr;
  CHECK(tally_compile(engine.get(), kImportingPlan, "main.tally", options, &missing) ==
        TALLY_PLAN_ERROR);
  CHECK(mentions(tally_plan_messages(missing), "lib/measures.tally"));
  tally_plan_free(missing);

  CHECK(tally_compile_options_set_imports(options, TALLY_IMPORT_FILES) == TALLY_OK);
  tally_compile_options_free(options);
}

TEST_CASE("compile functions reject NULL arguments", "[capi]") {
  Engine engine = make_engine();
  tally_plan* p = reinterpret_cast<tally_plan*>(0x1);
  CHECK(tally_compile(nullptr, "x", "x", nullptr, &p) == TALLY_INVALID_ARGUMENT);
  CHECK(p == nullptr);
  CHECK(std::string(tally_last_error()) == "tally_compile: `engine` is NULL");
  CHECK(tally_compile(engine.get(), nullptr, "x", nullptr, &p) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile(engine.get(), "x", nullptr, nullptr, &p) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile(engine.get(), "x", "x", nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_file(nullptr, "x", &p) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_file(engine.get(), nullptr, &p) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_file(engine.get(), "x", nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_options_set_imports(nullptr, TALLY_IMPORT_FILES) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_compile_options_set_resolver(nullptr, resolve, nullptr) == TALLY_INVALID_ARGUMENT);
  tally_compile_options* options = nullptr;
  REQUIRE(tally_compile_options_new(&options) == TALLY_OK);
  CHECK(tally_compile_options_set_resolver(options, nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  tally_compile_options_free(options);
  CHECK(tally_plan_ok(nullptr) == 0);
  CHECK(std::string(tally_plan_name(nullptr)).empty());
  CHECK(tally_plan_messages(nullptr) == nullptr);
}

TEST_CASE("a resolver that throws (a C++ host's) ends the compile with a status", "[capi]") {
  Engine engine = make_engine();
  tally_compile_options* options = nullptr;
  REQUIRE(tally_compile_options_new(&options) == TALLY_OK);
  auto throwing = [](void*, const char*) -> const char* { throw std::runtime_error("no disk"); };
  REQUIRE(tally_compile_options_set_resolver(options, throwing, nullptr) == TALLY_OK);
  tally_plan* p = nullptr;
  // The engine turns it into an error at the import line.
  CHECK(tally_compile(engine.get(), kImportingPlan, "main.tally", options, &p) == TALLY_PLAN_ERROR);
  INFO(all_messages(tally_plan_messages(p)));
  CHECK(tally_plan_ok(p) == 0);
  CHECK(mentions(tally_plan_messages(p), "no disk"));
  tally_plan_free(p);
  tally_compile_options_free(options);
}
