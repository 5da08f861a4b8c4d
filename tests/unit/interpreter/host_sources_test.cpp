// Sources an embedding host gives in memory (RunOptions::columns and
// RunOptions::rows): they must mean exactly what the same data in a CSV file
// means, and every mistake a host can make must come back as a message.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "plan_fixture.hpp"
#include "tally/json.hpp"
#include "tally/tally.hpp"

namespace {

using namespace tally;
using namespace tally::testing;

// 10% of each big deal's amount, 5% of the others, plus 100 USD per unit sold.
const char* kPlan = R"(plan "Host data" version 1
  currency USD
  periods quarter
  rounding half_even to 0.01

source deals {
  id: int key
  rep: payee
  amount: money
  closed: date
  big: bool
  units: int
  region: text?
}

roster reps {
  id: text key
  role: text
}

credit sold from deals on deal.closed {
  deal.rep gets 100%
}

measure big_amount: money = sum(credit.amount where deal.big)
measure small_amount: money = sum(credit.amount where not deal.big)
measure units: int = sum(deal.units)

payout commission = 10% * big_amount + 5% * small_amount + 100 USD * units
)";

std::shared_ptr<const Plan> compile(const Engine& engine, const char* text = kPlan) {
  auto compiled = engine.compile(text, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  return compiled.plan;
}

InlineTable roster() {
  InlineTable reps;
  reps.columns = {"id", "role"};
  reps.rows = {{"ann", "AE"}, {"bob", "AE"}};
  return reps;
}

// The deals as host arrays. Days: 2026-01-15 is 20468, 2026-04-02 is 20545
// (days since 1970-01-01, checked with Python's datetime).
struct HostDeals {
  std::vector<std::int64_t> ids{1, 2, 3};
  std::vector<std::string_view> reps{"ann", "ann", "bob"};
  std::vector<std::int64_t> cents{1000000, 250050, 40000};  // 10000.00, 2500.50, 400.00
  std::vector<std::int32_t> days{20468, 20468, 20545};
  std::vector<std::uint8_t> big{1, 0, 0};
  std::vector<std::int64_t> units{2, 1, 3};
  std::vector<std::string_view> regions{"EU", "", "US"};
  std::vector<std::uint8_t> region_present{1, 0, 1};

  ColumnTable table() const {
    ColumnTable t;
    t.origin = "host deals";
    t.columns = {ColumnData::integers("id", ids),
                 ColumnData::texts("rep", reps),
                 ColumnData::decimals("amount", cents, 2),
                 ColumnData::dates("closed", days),
                 ColumnData::booleans("big", big),
                 ColumnData::integers("units", units),
                 ColumnData::texts("region", regions).with_nulls(region_present)};
    return t;
  }
};

// The payouts that are not zero (a run pays every payee every period of the year).
std::vector<std::vector<std::string>> commission_rows(const RunResult& result) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : result.payouts.rows)
    if (row[3] != "0.00") rows.push_back({row[0], row[1], row[3]});
  return rows;
}

// By hand: ann Q1 = 10% * 10000.00 + 5% * 2500.50 + 100 * (2 + 1) = 1000 + 125.025 + 300
// = 1425.025 -> 1425.02 (half even); bob Q2 = 5% * 400 + 100 * 3 = 20 + 300 = 320.00.
const std::vector<std::vector<std::string>> kExpected = {{"ann", "2026-Q1", "1425.02"},
                                                         {"bob", "2026-Q2", "320.00"}};

}  // namespace

TEST_CASE("a source given as the host's typed columns runs like a file", "[host]") {
  Engine engine;
  auto plan = compile(engine);
  HostDeals deals;
  RunOptions options;
  options.columns["deals"] = deals.table();
  options.tables["reps"] = roster();
  const RunResult result = engine.run(*plan, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(result.status == RunStatus::ok);
  CHECK(commission_rows(result) == kExpected);

  // The same data as a CSV file gives the same payouts, cell for cell.
  DataFolder folder("host_columns_file");
  folder.write("deals.csv",
               "id,rep,amount,closed,big,units,region\n"
               "1,ann,10000.00,2026-01-15,true,2,EU\n"
               "2,ann,2500.50,2026-01-15,false,1,\n"
               "3,bob,400.00,2026-04-02,false,3,US\n");
  folder.write("reps.csv", "id,role\nann,AE\nbob,AE\n");
  RunOptions from_files;
  from_files.data_dir = folder.path();
  const RunResult file_result = engine.run(*plan, from_files);
  REQUIRE(file_result.ok);
  CHECK(file_result.payouts.rows == result.payouts.rows);
  CHECK(file_result.measures.rows == result.measures.rows);
}

TEST_CASE("a source given through a row callback runs like a file", "[host]") {
  Engine engine;
  auto plan = compile(engine);
  const std::vector<std::vector<std::optional<std::string>>> rows = {
      {"1", "ann", "10000.00", "2026-01-15", "true", "2", "EU"},
      {"2", "ann", "2500.50", "2026-01-15", "false", "1", std::nullopt},
      {"3", "bob", "400.00", "2026-04-02", "false", "3", "US"}};
  std::size_t next = 0;
  RowSource source;
  source.columns = {"id", "rep", "amount", "closed", "big", "units", "region"};
  source.next = [&](std::vector<std::optional<std::string>>& cells) {
    if (next == rows.size()) return false;
    cells = rows[next++];
    return true;
  };
  RunOptions options;
  options.rows["deals"] = source;
  options.tables["reps"] = roster();
  const RunResult result = engine.run(*plan, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  CHECK(commission_rows(result) == kExpected);
  CHECK(next == rows.size());
}

TEST_CASE("mistakes in host columns are messages naming the column and row", "[host]") {
  Engine engine;
  auto plan = compile(engine);
  HostDeals deals;
  auto run_with = [&](ColumnTable table) {
    RunOptions options;
    options.columns["deals"] = std::move(table);
    options.tables["reps"] = roster();
    RunResult result = engine.run(*plan, options);
    CHECK_FALSE(result.ok);
    CHECK(result.status == RunStatus::failed);
    CHECK(result.payouts.rows.empty());
    return all_messages(result.messages);
  };
  SECTION("a kind that does not suit the field") {
    ColumnTable t = deals.table();
    t.columns[2] = ColumnData::dates("amount", deals.days);
    const std::string text = run_with(t);
    CHECK_THAT(text,
               Catch::Contains("column `amount` gives dates, but `amount` of `deals` is money"));
    CHECK_THAT(text, Catch::Contains("host deals"));
  }
  SECTION("columns of different lengths") {
    ColumnTable t = deals.table();
    const std::vector<std::int64_t> two_units{1, 2};
    t.columns[5] = ColumnData::integers("units", two_units);
    CHECK_THAT(run_with(t), Catch::Contains("column `units` has 2 rows, but `id` has 3"));
  }
  SECTION("a column that names no field, with the nearest field") {
    ColumnTable t = deals.table();
    t.columns[5] = ColumnData::integers("unit", deals.units);
    const std::string text = run_with(t);
    CHECK_THAT(text, Catch::Contains("`deals` has no field `unit`"));
    CHECK_THAT(text, Catch::Contains("did you mean `units`?"));
  }
  SECTION("a required field without a column") {
    ColumnTable t = deals.table();
    t.columns.erase(t.columns.begin() + 5);
    CHECK_THAT(run_with(t), Catch::Contains("needs a value for `units` (int), and no column"));
  }
  SECTION("a null in a required field") {
    ColumnTable t = deals.table();
    const std::vector<std::uint8_t> mask{1, 1, 0};
    t.columns[5] = ColumnData::integers("units", deals.units).with_nulls(mask);
    CHECK_THAT(run_with(t), Catch::Contains("host deals:3: error: `deals` needs a value for "
                                            "`units` (int), found null"));
  }
  SECTION("a text cell that is not a value of the field") {
    ColumnTable t = deals.table();
    const std::vector<std::string_view> dates{"2026-01-15", "2026-02-30", "2026-04-02"};
    t.columns[3] = ColumnData::texts("closed", dates);
    const std::string text = run_with(t);
    CHECK_THAT(text, Catch::Contains("host deals:2"));
    CHECK_THAT(text, Catch::Contains("2026-02-30"));
  }
  SECTION("a day outside the years 1 to 9999") {
    ColumnTable t = deals.table();
    const std::vector<std::int32_t> days{20468, 3000000, 20545};
    t.columns[3] = ColumnData::dates("closed", days);
    CHECK_THAT(run_with(t), Catch::Contains("host deals:2: error: column `closed`: day 3000000"));
  }
  SECTION("a boolean that is not 0 or 1") {
    ColumnTable t = deals.table();
    const std::vector<std::uint8_t> flags{1, 7, 0};
    t.columns[4] = ColumnData::booleans("big", flags);
    CHECK_THAT(run_with(t), Catch::Contains("column `big`: 7 is not a boolean"));
  }
  SECTION("a decimal scale out of range") {
    ColumnTable t = deals.table();
    t.columns[2] = ColumnData::decimals("amount", deals.cents, 19);
    CHECK_THAT(run_with(t), Catch::Contains("column `amount` has scale 19"));
  }
  SECTION("a repeated key, as in a file") {
    ColumnTable t = deals.table();
    const std::vector<std::int64_t> ids{1, 2, 1};
    t.columns[0] = ColumnData::integers("id", ids);
    CHECK_THAT(run_with(t), Catch::Contains("duplicate key \"1\""));
  }
}

TEST_CASE("in-memory sources must name a source of the plan, once", "[host]") {
  Engine engine;
  auto plan = compile(engine);
  HostDeals deals;
  RunOptions options;
  options.tables["reps"] = roster();
  SECTION("an unknown source") {
    options.columns["sales"] = deals.table();
    const RunResult result = engine.run(*plan, options);
    CHECK_FALSE(result.ok);
    CHECK_THAT(all_messages(result.messages),
               Catch::Contains("the source given as columns is named `sales`, but the plan has "
                               "no source of that name"));
  }
  SECTION("a source given twice") {
    options.columns["reps"] = ColumnTable{};
    const RunResult result = engine.run(*plan, options);
    CHECK_FALSE(result.ok);
    CHECK_THAT(all_messages(result.messages),
               Catch::Contains("the source `reps` is given in memory more than once"));
  }
}

TEST_CASE("mistakes in a row callback are messages naming the row", "[host]") {
  Engine engine;
  auto plan = compile(engine);
  RunOptions options;
  options.tables["reps"] = roster();
  SECTION("no function") {
    RowSource source;
    source.columns = {"id"};
    options.rows["deals"] = source;
    CHECK_THAT(all_messages(engine.run(*plan, options).messages),
               Catch::Contains("`deals` is given as rows, but without a function to read them"));
  }
  SECTION("a row with too few cells, and a bad value") {
    int calls = 0;
    RowSource source;
    source.origin = "cursor";
    source.columns = {"id", "rep", "amount", "closed", "big", "units"};
    source.next = [&](std::vector<std::optional<std::string>>& cells) {
      ++calls;
      if (calls == 1) cells = {"1", "ann", "12.5O", "2026-01-15", "true", "1"};
      if (calls == 2) cells = {"2", "ann"};
      return calls <= 2;
    };
    options.rows["deals"] = source;
    const RunResult result = engine.run(*plan, options);
    CHECK_FALSE(result.ok);
    const std::string text = all_messages(result.messages);
    CHECK_THAT(text, Catch::Contains("cursor:1:3"));
    CHECK_THAT(text, Catch::Contains("12.5O"));
    CHECK_THAT(text, Catch::Contains("cursor:2: error: the row has 2 cells for 6 columns"));
  }
  SECTION("under lenient a bad row is a reject, and the others are paid") {
    int calls = 0;
    RowSource source;
    source.origin = "cursor";
    source.columns = {"id", "rep", "amount", "closed", "big", "units"};
    source.next = [&](std::vector<std::optional<std::string>>& cells) {
      ++calls;
      if (calls == 1) cells = {"1", "ann", "oops", "2026-01-15", "true", "1"};
      if (calls == 2) cells = {"2", "bob", "400.00", "2026-04-02", "false", "3"};
      return calls <= 2;
    };
    options.rows["deals"] = source;
    options.lenient = true;
    const RunResult result = engine.run(*plan, options);
    INFO(all_messages(result.messages));
    REQUIRE(result.ok);
    REQUIRE(result.rejects.rows.size() == 1);
    CHECK(result.rejects.rows[0][0] == "bad_row");
    CHECK(commission_rows(result) ==
          std::vector<std::vector<std::string>>{{"bob", "2026-Q2", "320.00"}});
  }
}

TEST_CASE("a run's results as JSON keep every amount exact", "[host][json]") {
  Engine engine;
  auto plan = compile(engine);
  HostDeals deals;
  RunOptions options;
  options.columns["deals"] = deals.table();
  options.tables["reps"] = roster();
  options.credits_table = false;
  const RunResult result = engine.run(*plan, options);
  REQUIRE(result.ok);
  const nlohmann::json j = to_json(result);
  CHECK(j["ok"] == true);
  CHECK(j["status"] == "ok");
  CHECK(j["summary"]["total_paid"] == "1745.02");  // 1425.02 + 320.00
  CHECK(j["summary"]["currency"] == "USD");
  CHECK(j["payouts"]["columns"] == nlohmann::json({"payee", "period", "component", "amount"}));
  CHECK(j["payouts"]["rows"][0] == nlohmann::json({"ann", "2026-Q1", "commission", "1425.02"}));
  CHECK_FALSE(j.contains("credits"));  // not built
  CHECK(j["messages"].is_array());

  const Explanation why = engine.explain(*plan, options, "bob", "2026-Q2", "commission");
  REQUIRE(why.ok);
  const nlohmann::json tree = to_json(why);
  CHECK(tree["ok"] == true);
  CHECK(tree["tree"]["value"] == "320.00 USD");
  CHECK(tree["tree"]["number"] == "320.00");
  CHECK(tree["tree"]["unit"] == "USD");
}

TEST_CASE("imports follow the host's import policy", "[compile][imports]") {
  Engine engine;
  const std::string plan = R"(plan "P" version 1
  currency USD
  periods quarter

import "shared/rates.tally"

let total = base_rate * 2
)";
  SECTION("refuse: every import is an error at its line") {
    CompileOptions options;
    options.imports = ImportPolicy::refuse;
    const auto compiled = engine.compile(plan, "plan.tally", options);
    CHECK_FALSE(compiled.plan);
    const std::string text = all_messages(compiled.messages);
    CHECK_THAT(text, Catch::Contains("plan.tally:5:1: error: cannot import "
                                     "\"shared/rates.tally\": imports are turned off"));
  }
  SECTION("resolver: the host gives the text, no file is read") {
    std::vector<std::string> asked;
    CompileOptions options;
    options.imports = ImportPolicy::resolver;
    options.resolve_import = [&](const std::string& path) -> std::optional<std::string> {
      asked.push_back(path);
      if (path == "shared/rates.tally") return "import \"shared/base.tally\"\nlet base_rate = 4%\n";
      if (path == "shared/base.tally") return "let unused = 1\n";
      return std::nullopt;
    };
    const auto compiled = engine.compile(plan, "plan.tally", options);
    INFO(all_messages(compiled.messages));
    REQUIRE(compiled.plan);
    CHECK(asked == std::vector<std::string>{"shared/rates.tally", "shared/base.tally"});
    const auto values = engine.constant_values(*compiled.plan);
    bool found = false;
    for (const auto& [name, value] : values)
      if (name == "total") {
        found = true;
        CHECK(value == "8%");
      }
    CHECK(found);
  }
  SECTION("resolver: a path the host does not know is an error naming it") {
    CompileOptions options;
    options.imports = ImportPolicy::resolver;
    options.resolve_import = [](const std::string&) { return std::nullopt; };
    const auto compiled = engine.compile(plan, "plan.tally", options);
    CHECK_FALSE(compiled.plan);
    CHECK_THAT(all_messages(compiled.messages),
               Catch::Contains("cannot import \"shared/rates.tally\": no such plan file"));
  }
  SECTION("files (the default): relative to the importing file") {
    DataFolder folder("imports_files");
    std::filesystem::create_directories(std::filesystem::path(folder.path()) / "shared");
    folder.write("shared/rates.tally", "let base_rate = 3%\n");
    const auto compiled =
        engine.compile(plan, (std::filesystem::path(folder.path()) / "plan.tally").string());
    INFO(all_messages(compiled.messages));
    REQUIRE(compiled.plan);
  }
}

TEST_CASE("stdlib modules are not files: every import policy allows them", "[compile][imports]") {
  Engine engine;
  // win_rate(3, 1) = 3 / (3 + 1) = 75%, worked by hand (docs/language.md, section 8).
  const std::string plan = R"(plan "P" version 1
  currency USD
  periods quarter

import "stdlib/kpi"

let rate = win_rate(3, 1)
)";
  const auto rate_of = [&](const CompileOptions& options) {
    const auto compiled = engine.compile(plan, "plan.tally", options);
    INFO(all_messages(compiled.messages));
    REQUIRE(compiled.plan);
    for (const auto& [name, value] : engine.constant_values(*compiled.plan))
      if (name == "rate") return value;
    return std::string("(no rate)");
  };
  SECTION("refuse") {
    CompileOptions options;
    options.imports = ImportPolicy::refuse;
    CHECK(rate_of(options) == "75%");
  }
  SECTION("resolver: the host is never asked for a stdlib module") {
    std::vector<std::string> asked;
    CompileOptions options;
    options.imports = ImportPolicy::resolver;
    options.resolve_import = [&](const std::string& path) -> std::optional<std::string> {
      asked.push_back(path);
      return std::nullopt;
    };
    CHECK(rate_of(options) == "75%");
    CHECK(asked.empty());
  }
  SECTION("an unknown module is an error at the import line, under any policy") {
    CompileOptions options;
    options.imports = ImportPolicy::refuse;
    const auto compiled = engine.compile("import \"stdlib/kpis\"\n", "plan.tally", options);
    CHECK_FALSE(compiled.plan);
    CHECK_THAT(all_messages(compiled.messages),
               Catch::Contains("plan.tally:1:1: error: the standard library has no module"));
  }
}

TEST_CASE("limits hold while a host source is read", "[host][limits]") {
  Engine engine;
  auto plan = compile(engine);
  RunOptions options;
  options.tables["reps"] = roster();
  SECTION("a cancel during a row callback stops the run within 65,536 rows") {
    auto token = std::make_shared<CancelToken>();
    std::size_t given = 0;
    RowSource source;
    source.columns = {"id", "rep", "amount", "closed", "big", "units"};
    source.next = [&](std::vector<std::optional<std::string>>& cells) {
      ++given;
      if (given == 1000) token->cancel();  // as another thread would
      cells = {std::to_string(given), "ann", "1.00", "2026-01-15", "false", "1"};
      return given <= 10'000'000;
    };
    options.rows["deals"] = source;
    options.limits.cancel = token;
    const RunResult result = engine.run(*plan, options);
    CHECK(result.status == RunStatus::cancelled);
    CHECK(given < 1000 + 65'536 + 1);
    CHECK(result.payouts.rows.empty());
    REQUIRE(result.messages.size() == 1);
    CHECK_THAT(result.messages[0].text, Catch::Contains("cancelled during `load`"));
  }
  SECTION("typed columns larger than the memory budget are not loaded") {
    const std::vector<std::int64_t> many(100'000, 1);
    std::vector<std::string_view> reps(100'000, "ann");
    const std::vector<std::int32_t> days(100'000, 20468);
    const std::vector<std::uint8_t> flags(100'000, 0);
    std::vector<std::int64_t> ids(100'000);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i);
    options.columns["deals"] =
        ColumnTable{{ColumnData::integers("id", ids), ColumnData::texts("rep", reps),
                     ColumnData::decimals("amount", many, 2), ColumnData::dates("closed", days),
                     ColumnData::booleans("big", flags), ColumnData::integers("units", many)},
                    "big host table"};
    options.limits.max_memory_bytes = 64 * 1024;  // the columns need about 6 MB
    const RunResult result = engine.run(*plan, options);
    CHECK(result.status == RunStatus::memory_limit);
    CHECK(result.payouts.rows.empty());
    // and the engine runs the same data without the limit
    options.limits.max_memory_bytes = 0;
    const RunResult again = engine.run(*plan, options);
    INFO(all_messages(again.messages));
    REQUIRE(again.ok);
    // 100,000 deals of 0.01 USD and 1 unit for ann in 2026-Q1: 5% of 1,000.00 + 100 * 100,000
    CHECK(commission_rows(again) ==
          std::vector<std::vector<std::string>>{{"ann", "2026-Q1", "10000050.00"}});
  }
}
