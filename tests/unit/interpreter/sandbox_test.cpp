// Plan code cannot reach outside its run: no files, network, clock or
// environment. Its only powers are the functions of the standard library,
// listed here in full so that adding one fails this test until its powers
// are reviewed, and the sources the host binds.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "plan_fixture.hpp"
#include "stdlib/builtins.hpp"

using namespace tally;
using namespace tally::testing;

namespace {

const char* kHeader = R"(plan "Sandbox" version 1
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
)";

std::vector<Message> messages_of(const std::string& body) {
  Engine engine;
  return engine.compile(std::string(kHeader) + body, "sandbox.tally").messages;
}

/// Sets an environment variable for the scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
    ::tzset();
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
    ::tzset();
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the builtins are exactly the reviewed ones", "[sandbox]") {
  // Reviewed: each computes from its arguments only (numbers, dates,
  // periods, texts) and reads no file, network, clock or environment.
  std::set<std::string> names;
  for (const Builtin& b : builtins()) names.insert(b.name);
  CHECK(names == std::set<std::string>{"round", "min", "max", "abs", "period_of"});
}

TEST_CASE("the library functions are exactly the reviewed ones", "[sandbox]") {
  // Reviewed. Pure: apply, tier_of, lookup (the plan's own tables),
  // allocate, rollup, months_employed, days_between, add_months, year,
  // quarter, month, days_in, prorate (dates given, never today's), upper,
  // lower, starts_with, contains, clamp, ytd, qtd, to_date, forecast (earlier
  // periods of the run). Reading run data the host bound: territory, owner, managers
  // (the roster), convert (the FX source), list("NAME") (a source, or
  // NAME.csv in the host's data folder; a name, never a path).
  std::set<std::string> names;
  for (const LibraryFunction& f : library_functions()) names.insert(f.name);
  CHECK(names == std::set<std::string>{
                     "apply",           "tier_of",      "lookup",     "allocate",  "rollup",
                     "months_employed", "days_between", "add_months", "year",      "quarter",
                     "month",           "days_in",      "prorate",    "upper",     "lower",
                     "starts_with",     "contains",     "list",       "territory", "owner",
                     "managers",        "convert",      "ytd",        "qtd",       "to_date",
                     "clamp",           "forecast"});
  std::set<std::string> all;
  for (const std::string& name : builtin_names()) all.insert(name);
  std::set<std::string> expected = names;
  expected.insert({"round", "min", "max", "abs", "period_of", "sum", "count", "avg"});
  CHECK(all == expected);
}

TEST_CASE("functions that would reach outside the run are unknown", "[sandbox]") {
  const char* calls[] = {"today()",
                         "now()",
                         "clock()",
                         "time()",
                         "random()",
                         "env(\"HOME\")",
                         "getenv(\"HOME\")",
                         "read(\"x.csv\")",
                         "file(\"x.csv\")",
                         "open(\"x.csv\")",
                         "http(\"http://example.com\")",
                         "fetch(\"x\")",
                         "system(\"ls\")",
                         "exec(\"ls\")",
                         "load(\"x.csv\")",
                         "import(\"x\")"};
  for (const char* call : calls) {
    const std::string name = std::string(call).substr(0, std::string(call).find('('));
    const auto messages = messages_of(std::string("let probe = ") + call + "\n");
    INFO(call << "\n" << all_messages(messages));
    REQUIRE(has_errors(messages));
    bool unknown = false;
    for (const Message& m : messages)
      unknown = unknown || m.text == "unknown function `" + name + "`";
    CHECK(unknown);
  }
}

TEST_CASE("a plan cannot name a data file", "[sandbox]") {
  // A source has no path: the host binds it (RunOptions).
  Engine engine;
  const auto with_path = engine.compile(
      "plan \"P\" version 1\n  currency USD\n  periods quarter\n\n"
      "source deals from \"/etc/passwd\" { id: int key }\n",
      "sandbox.tally");
  CHECK(has_errors(with_path.messages));
  CHECK_FALSE(with_path.plan);

  // list("NAME") is a name in the host's data folder, never a path.
  DataFolder data("sandbox_list");
  data.write("payees.csv", "id,role\nann,AE\n");
  data.write("deals.csv", "id,close_date,owner,amount\n1,2026-01-15,ann,1000\n");
  for (const char* name : {"../secret", "/etc/passwd", "sub/list", ".hidden"}) {
    const auto compiled =
        engine.compile(std::string(kHeader) +
                           "measure named: money = sum(credit.amount where deal.owner in list(\"" +
                           name + "\"))\npayout pay for role == \"AE\" = 1% * named\n",
                       "sandbox.tally");
    INFO(name << "\n" << all_messages(compiled.messages));
    REQUIRE(compiled.plan);  // the name is checked when the run binds the list
    RunOptions options;
    options.data_dir = data.path();
    const RunResult result = engine.run(*compiled.plan, options);
    INFO(all_messages(result.messages));
    CHECK_FALSE(result.ok);
    CHECK(all_messages(result.messages).find("is not the name of a list") != std::string::npos);
  }
}

TEST_CASE("results do not depend on the environment or the time", "[sandbox]") {
  Engine engine;
  const auto compiled =
      engine.compile(std::string(kHeader) +
                         "measure bookings: money = sum(credit.amount)\n"
                         "measure large: int = count(credit where deal.amount >= 1000 USD)\n"
                         "payout commission for role == \"AE\" = 3% * bookings + 10 USD * large\n",
                     "sandbox.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  DataFolder data("sandbox_env");
  data.write("payees.csv", "id,role\nann,AE\nbo,AE\n");
  data.write("deals.csv",
             "id,close_date,owner,amount\n1,2026-01-15,ann,1000.50\n2,2026-02-10,bo,2000\n"
             "3,2026-04-01,ann,500\n");
  RunOptions options;
  options.data_dir = data.path();
  const RunResult first = engine.run(*compiled.plan, options);
  INFO(all_messages(first.messages));
  REQUIRE(first.ok);
  // ann Q1: 3% of 1000.50 + 10 = 40.015 -> 40.02 (half even: a tie, 2 is
  // even); bo Q1: 60.00 + 10.00; ann Q2: 15.00 (500 is not large).
  CHECK(first.summary.total_paid == "125.02");

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // another second
  ScopedEnv tz("TZ", "Pacific/Kiritimati");
  ScopedEnv lang("LANG", "de_DE.UTF-8");
  ScopedEnv lc("LC_ALL", "C");
  ScopedEnv home("HOME", "/nonexistent");
  const RunResult second = engine.run(*compiled.plan, options);
  REQUIRE(second.ok);
  CHECK(second.payouts.rows == first.payouts.rows);
  CHECK(second.credits.rows == first.credits.rows);
  CHECK(second.measures.rows == first.measures.rows);
  CHECK(second.summary.total_paid == first.summary.total_paid);
}
