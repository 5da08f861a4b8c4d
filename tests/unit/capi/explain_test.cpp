// Explaining a payout and evaluating an expression through the C API.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "capi_fixture.hpp"
#include "tally/tally.h"

using namespace capi_test;

TEST_CASE("a payout's explanation comes back as JSON", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_data_dir(options.get(), kDemoData.c_str()) == TALLY_OK);
  char* text = nullptr;
  REQUIRE(tally_explain(engine.get(), plan.get(), options.get(), "bob", "2026-Q1", "commission",
                        &text) == TALLY_OK);
  String json(text);
  const auto parsed = nlohmann::json::parse(json.get());
  CHECK(parsed.at("ok") == true);
  // bob's Q1 commission is capped at 25,000 USD (see run_test.cpp).
  CHECK(parsed.at("tree").at("value").get<std::string>().find("25000.00") != std::string::npos);
  CHECK(!parsed.at("tree").at("children").empty());
  CHECK(parsed.at("text").get<std::string>().find("cap") != std::string::npos);
}

TEST_CASE("an explanation that cannot be given says why", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_data_dir(options.get(), kDemoData.c_str()) == TALLY_OK);
  char* text = nullptr;
  CHECK(tally_explain(engine.get(), plan.get(), options.get(), "zed", "2026-Q1", "commission",
                      &text) == TALLY_DATA_ERROR);
  REQUIRE(text != nullptr);
  String json(text);
  const auto parsed = nlohmann::json::parse(json.get());
  CHECK(parsed.at("ok") == false);
  CHECK(parsed.at("messages").dump().find("zed") != std::string::npos);
  CHECK(std::string(tally_last_error()).find("zed") != std::string::npos);

  CHECK(tally_explain(nullptr, plan.get(), options.get(), "bob", "2026-Q1", "commission", &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(text == nullptr);
  CHECK(tally_explain(engine.get(), nullptr, nullptr, "bob", "2026-Q1", "c", &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_explain(engine.get(), plan.get(), nullptr, nullptr, "2026-Q1", "c", &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_explain(engine.get(), plan.get(), nullptr, "bob", nullptr, "c", &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_explain(engine.get(), plan.get(), nullptr, "bob", "2026-Q1", nullptr, &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_explain(engine.get(), plan.get(), nullptr, "bob", "2026-Q1", "c", nullptr) ==
        TALLY_INVALID_ARGUMENT);
}

TEST_CASE("an expression evaluates to its exact value and type", "[capi]") {
  Engine engine = make_engine();
  char* value = nullptr;
  char* type = nullptr;
  // 1.10 + 2.205 = 3.305 exactly (no binary floating point).
  REQUIRE(tally_evaluate(engine.get(), "1.10 + 2.205", &value, &type) == TALLY_OK);
  String v(value), t(type);
  CHECK(std::string(value) == "3.305");
  CHECK(std::string(type) == "decimal");
  // 2.5 rounded half-even to a multiple of 1 is 2 (the even neighbour).
  char* rounded = nullptr;
  REQUIRE(tally_evaluate(engine.get(), "round(2.5, 1, half_even)", &rounded, nullptr) == TALLY_OK);
  String r(rounded);
  CHECK(std::string(rounded) == "2");

  char* bad = reinterpret_cast<char*>(0x1);
  char* bad_type = reinterpret_cast<char*>(0x1);
  CHECK(tally_evaluate(engine.get(), "1 +", &bad, &bad_type) == TALLY_PLAN_ERROR);
  CHECK(bad == nullptr);
  CHECK(bad_type == nullptr);
  CHECK(!std::string(tally_last_error()).empty());
  CHECK(tally_evaluate(nullptr, "1", &bad, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_evaluate(engine.get(), nullptr, &bad, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_evaluate(engine.get(), "1", nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
}
