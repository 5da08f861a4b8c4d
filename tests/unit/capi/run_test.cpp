// Running the demo through the C API. Expected amounts were worked out from
// plans/data/demo by hand (bob, 2026-Q1) and by an independent Python script
// over the CSV files with exact decimals (the rest and the total):
//   bob Q1: won D-0031 186,660.51 ENT, D-0040 179,653.08 ENT New, D-0042
//   19,747.17 SMB New; 8% x 386,060.76 + 2% x 366,313.59 = 38,211.13, over
//   the 25,000 USD cap, so 25,000.00; one New deal of 50,000 USD or more: a
//   500 USD SPIFF.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "capi_fixture.hpp"
#include "tally/tally.h"

using namespace capi_test;

namespace {

Result run_demo(const tally_engine* engine, const tally_plan* plan, tally_options* options) {
  REQUIRE(tally_options_set_data_dir(options, kDemoData.c_str()) == TALLY_OK);
  tally_result* r = nullptr;
  const tally_status status = tally_run(engine, plan, options, &r);
  Result result(r);
  INFO(all_messages(tally_result_messages(r)));
  REQUIRE(status == TALLY_OK);
  return result;
}

}  // namespace

TEST_CASE("the demo's payouts and total come back through the C API", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  Result result = run_demo(engine.get(), plan.get(), options.get());
  const tally_result* r = result.get();

  CHECK(tally_result_status(r) == TALLY_OK);
  CHECK(std::string(tally_result_total(r)) == "250126.08");
  CHECK(std::string(tally_result_currency(r)) == "USD");
  // 4 AEs x (4 quarters + a Q1 SPIFF) + 2 SEs x 4 quarters.
  CHECK(tally_result_row_count(r, TALLY_TABLE_PAYOUTS) == 28);
  REQUIRE(tally_result_column_count(r, TALLY_TABLE_PAYOUTS) == 4);
  const char* name = nullptr;
  std::vector<std::string> columns;
  for (size_t c = 0; c < 4; ++c) {
    REQUIRE(tally_result_column_name(r, TALLY_TABLE_PAYOUTS, c, &name) == TALLY_OK);
    columns.emplace_back(name);
  }
  CHECK(columns == std::vector<std::string>{"payee", "period", "component", "amount"});
  CHECK(payout(r, "bob", "2026-Q1", "commission") == "25000.00");
  CHECK(payout(r, "bob", "2026-Q1", "new_logo_spiff") == "500.00");
  CHECK(payout(r, "ann", "2026-Q2", "commission") == "23103.96");
  CHECK(payout(r, "sue", "2026-Q1", "se_commission") == "4907.70");
  CHECK(payout(r, "sam", "2026-Q4", "se_commission") == "5811.51");

  // The other tables: credits (one per won deal and credited payee), the
  // roster (7 people, max included), measures; no rejects outside lenient runs.
  CHECK(tally_result_row_count(r, TALLY_TABLE_CREDITS) > 0);
  CHECK(tally_result_column_count(r, TALLY_TABLE_CREDITS) == 8);
  CHECK(tally_result_row_count(r, TALLY_TABLE_MEASURES) > 0);
  CHECK(tally_result_row_count(r, TALLY_TABLE_PAYEES) == 7);
  CHECK(cell(r, TALLY_TABLE_PAYEES, 0, 0) == "ann");
  CHECK(tally_result_column_count(r, TALLY_TABLE_REJECTS) == 0);
  CHECK(tally_messages_has_errors(tally_result_messages(r)) == 0);
}

TEST_CASE("result accessors reject what does not exist", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  Result result = run_demo(engine.get(), plan.get(), options.get());
  const tally_result* r = result.get();
  const char* text = reinterpret_cast<const char*>(0x1);
  CHECK(tally_result_cell(r, TALLY_TABLE_PAYOUTS, 28, 0, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(text == nullptr);
  CHECK(std::string(tally_last_error()) ==
        "tally_result_cell: row 28 does not exist (the table has 28)");
  CHECK(tally_result_cell(r, TALLY_TABLE_PAYOUTS, 0, 4, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_cell(r, static_cast<tally_table>(9), 0, 0, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_cell(nullptr, TALLY_TABLE_PAYOUTS, 0, 0, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_cell(r, TALLY_TABLE_PAYOUTS, 0, 0, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_column_name(r, TALLY_TABLE_PAYOUTS, 4, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_column_name(r, static_cast<tally_table>(9), 0, &text) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_column_name(nullptr, TALLY_TABLE_PAYOUTS, 0, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_column_name(r, TALLY_TABLE_PAYOUTS, 0, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_row_count(nullptr, TALLY_TABLE_PAYOUTS) == 0);
  CHECK(tally_result_row_count(r, static_cast<tally_table>(9)) == 0);
  CHECK(tally_result_column_count(nullptr, TALLY_TABLE_PAYOUTS) == 0);
  CHECK(tally_result_status(nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_messages(nullptr) == nullptr);
  CHECK(std::string(tally_result_total(nullptr)).empty());
  CHECK(std::string(tally_result_currency(nullptr)).empty());
}

TEST_CASE("run options: periods, payees, tables, threads, bindings", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_periods(options.get(), "2026-Q1", "2026-Q1") == TALLY_OK);
  REQUIRE(tally_options_add_payee(options.get(), "bob") == TALLY_OK);
  REQUIRE(tally_options_set_tables(options.get(), 0, 0) == TALLY_OK);
  REQUIRE(tally_options_set_threads(options.get(), 1) == TALLY_OK);
  REQUIRE(tally_options_set_lenient(options.get(), 0) == TALLY_OK);
  // Bindings take precedence over the data dir: bind both files explicitly.
  REQUIRE(tally_options_bind(options.get(), "deals", (kDemoData + "/deals.csv").c_str()) ==
          TALLY_OK);
  REQUIRE(tally_options_bind(options.get(), "payees", (kDemoData + "/payees.csv").c_str()) ==
          TALLY_OK);
  tally_result* r = nullptr;
  REQUIRE(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_OK);
  Result result(r);
  // Only bob's Q1: the capped commission and the SPIFF.
  CHECK(tally_result_row_count(r, TALLY_TABLE_PAYOUTS) == 2);
  CHECK(payout(r, "bob", "2026-Q1", "commission") == "25000.00");
  CHECK(std::string(tally_result_total(r)) == "25500.00");
  CHECK(tally_result_column_count(r, TALLY_TABLE_CREDITS) == 0);
  CHECK(tally_result_column_count(r, TALLY_TABLE_MEASURES) == 0);
}

TEST_CASE("a run's data errors come back on the result handle", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_data_dir(options.get(), "no/such/folder") == TALLY_OK);
  tally_result* r = nullptr;
  REQUIRE(tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_DATA_ERROR);
  Result result(r);
  REQUIRE(result);
  CHECK(tally_result_status(r) == TALLY_DATA_ERROR);
  CHECK(tally_messages_has_errors(tally_result_messages(r)) == 1);
  CHECK(all_messages(tally_result_messages(r)).find("no/such/folder") != std::string::npos);
  INFO(tally_last_error());
  CHECK(std::string(tally_last_error()).find("no/such/folder") != std::string::npos);
  CHECK(tally_result_row_count(r, TALLY_TABLE_PAYOUTS) == 0);

  // An unknown payee asked for: an error naming it.
  Options unknown = make_options();
  REQUIRE(tally_options_set_data_dir(unknown.get(), kDemoData.c_str()) == TALLY_OK);
  REQUIRE(tally_options_add_payee(unknown.get(), "zed") == TALLY_OK);
  tally_result* r2 = nullptr;
  CHECK(tally_run(engine.get(), plan.get(), unknown.get(), &r2) == TALLY_DATA_ERROR);
  CHECK(mentions(tally_result_messages(r2), "zed"));
  tally_result_free(r2);
}

TEST_CASE("running a plan that did not compile gives a result saying so", "[capi]") {
  Engine engine = make_engine();
  tally_plan* p = nullptr;
  REQUIRE(tally_compile(engine.get(), "plan \"x\" version 1\n  currency\n", "x.tally", nullptr,
                        &p) == TALLY_PLAN_ERROR);
  Plan plan(p);
  tally_result* r = nullptr;
  CHECK(tally_run(engine.get(), p, nullptr, &r) == TALLY_PLAN_ERROR);
  Result result(r);
  REQUIRE(result);
  CHECK(tally_result_status(r) == TALLY_PLAN_ERROR);
  CHECK(tally_messages_has_errors(tally_result_messages(r)) == 1);
  CHECK(std::string(tally_last_error()).find("did not compile") != std::string::npos);
}

TEST_CASE("run and option functions reject NULL arguments", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  tally_result* r = reinterpret_cast<tally_result*>(0x1);
  CHECK(tally_run(nullptr, plan.get(), options.get(), &r) == TALLY_INVALID_ARGUMENT);
  CHECK(r == nullptr);
  CHECK(tally_run(engine.get(), nullptr, options.get(), &r) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_run(engine.get(), plan.get(), options.get(), nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_data_dir(nullptr, ".") == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_data_dir(options.get(), nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_bind(nullptr, "a", "b") == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_bind(options.get(), nullptr, "b") == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_bind(options.get(), "a", nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_periods(nullptr, nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_payee(nullptr, "a") == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_add_payee(options.get(), nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_lenient(nullptr, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_threads(nullptr, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_tables(nullptr, 1, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_max_instructions(nullptr, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_max_memory(nullptr, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_timeout_ms(nullptr, 1) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_timeout_ms(options.get(), UINT64_MAX) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_cancel_token(nullptr, nullptr) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_options_set_cancel_token(options.get(), nullptr) == TALLY_OK);
}

TEST_CASE("the result as JSON has the exact total and every payout", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  Result result = run_demo(engine.get(), plan.get(), options.get());
  char* text = nullptr;
  REQUIRE(tally_result_json(result.get(), &text) == TALLY_OK);
  String json(text);
  const auto parsed = nlohmann::json::parse(json.get());
  CHECK(parsed.at("ok") == true);
  CHECK(parsed.at("status") == "ok");
  CHECK(parsed.at("summary").at("total_paid") == "250126.08");
  CHECK(parsed.at("payouts").at("rows").size() == 28);
  CHECK(tally_result_json(nullptr, &text) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_json(result.get(), nullptr) == TALLY_INVALID_ARGUMENT);
}

TEST_CASE("results are written to a folder in each format", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  Result result = run_demo(engine.get(), plan.get(), options.get());
  TempDir dir("write");
  const std::string csv = dir.path() + "/csv";
  REQUIRE(tally_result_write(result.get(), csv.c_str(), TALLY_FORMAT_CSV) == TALLY_OK);
  std::ifstream payouts(csv + "/payouts.csv");
  std::string header, first;
  std::getline(payouts, header);
  std::getline(payouts, first);
  CHECK(header == "payee,period,component,amount");
  CHECK(first == "ann,2026-Q1,commission,7945.07");
  const std::string json = dir.path() + "/json";
  REQUIRE(tally_result_write(result.get(), json.c_str(), TALLY_FORMAT_JSON) == TALLY_OK);
  CHECK(std::filesystem::exists(json + "/run.json"));
  const std::string sqlite = dir.path() + "/sqlite";
  REQUIRE(tally_result_write(result.get(), sqlite.c_str(), TALLY_FORMAT_SQLITE) == TALLY_OK);
  CHECK(std::filesystem::exists(sqlite + "/tally.sqlite"));

  // A folder that cannot be made: under a file.
  std::ofstream(dir.path() + "/file") << "x";
  const std::string under_file = dir.path() + "/file/out";
  CHECK(tally_result_write(result.get(), under_file.c_str(), TALLY_FORMAT_CSV) == TALLY_IO_ERROR);
  CHECK(!std::string(tally_last_error()).empty());
  CHECK(tally_result_write(result.get(), csv.c_str(), static_cast<tally_output_format>(5)) ==
        TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_write(nullptr, csv.c_str(), TALLY_FORMAT_CSV) == TALLY_INVALID_ARGUMENT);
  CHECK(tally_result_write(result.get(), nullptr, TALLY_FORMAT_CSV) == TALLY_INVALID_ARGUMENT);
}

TEST_CASE("one engine and one plan serve several threads at once", "[capi]") {
  Engine engine = make_engine();
  Plan plan = compile_demo(engine.get());
  Options options = make_options();
  REQUIRE(tally_options_set_data_dir(options.get(), kDemoData.c_str()) == TALLY_OK);
  std::vector<std::string> totals(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < totals.size(); ++t)
    threads.emplace_back([&, t] {
      tally_result* r = nullptr;
      if (tally_run(engine.get(), plan.get(), options.get(), &r) == TALLY_OK)
        totals[t] = tally_result_total(r);
      tally_result_free(r);
    });
  for (auto& thread : threads) thread.join();
  for (const auto& total : totals) CHECK(total == "250126.08");
}
