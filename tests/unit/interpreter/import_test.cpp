// `import`: declarations of other plan files join the plan, and every message
// about them names their own file and line.
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using tally::testing::all_messages;
using tally::testing::DataFolder;
using tally::testing::payout;

namespace {

const std::string kMain = R"(plan "Imports"
  currency USD
import "shared/measures.tally"
source deals { id: text key, close_date: date, owner: payee, amount: money }
roster payees { id: text key, name: text, role: text }
credit won from deals on deal.close_date { deal.owner gets 100% }
payout commission = 10% * bookings + kicker(bookings)
)";

/// Compiles `main` written as DIR/plan.tally, so imports resolve from DIR.
tally::CompileResult compile_in(const DataFolder& folder, const std::string& main) {
  folder.write("plan.tally", main);
  tally::Engine engine;
  return engine.compile_file(folder.path() + "/plan.tally");
}

bool has_headline(const std::vector<tally::Message>& messages, const std::string& suffix) {
  for (const auto& m : messages) {
    const std::string first = m.rendered.substr(0, m.rendered.find('\n'));
    if (first.size() >= suffix.size() &&
        first.compare(first.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("imported declarations are part of the plan and run", "[imports]") {
  DataFolder folder("imports_run");
  std::filesystem::create_directories(folder.path() + "/shared");
  folder.write("shared/measures.tally",
               "measure bookings: money = sum(credit.amount)\n"
               "fn kicker(b: money): money = 0 USD unless b > 10_000 USD then 100 USD\n"
               "import \"../plan.tally\"\n");  // a cycle back to the plan: read once, no loop
  folder.write("payees.csv", "id,name,role\nann,Ann,AE\n");
  folder.write("deals.csv", "id,close_date,owner,amount\nd1,2026-01-05,ann,20000.00\n");
  const auto compiled = compile_in(folder, kMain);
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  tally::Engine engine;
  tally::RunOptions options;
  options.data_dir = folder.path();
  const auto result = engine.run(*compiled.plan, options);
  INFO(all_messages(result.messages));
  REQUIRE(result.ok);
  // 10% of 20,000.00 plus the kicker (bookings over 10,000 USD): 2,100.00.
  CHECK(payout(result, "ann", "2026-Q1", "commission") == "2100.00");
}

TEST_CASE("errors inside an imported file name that file and line", "[imports]") {
  DataFolder folder("imports_errors");
  std::filesystem::create_directories(folder.path() + "/shared");
  folder.write("shared/measures.tally",
               "// line 1\n"
               "measure bookings: money = sum(credit.amount) + 5%\n"
               "fn kicker(b: money): money = b\n");
  const auto compiled = compile_in(folder, kMain);
  REQUIRE_FALSE(compiled.plan);
  INFO(all_messages(compiled.messages));
  CHECK(has_headline(compiled.messages,
                     "shared/measures.tally:2:27: error: money and percent cannot be added"));
}

TEST_CASE("a missing import, a header in an imported file, a syntax error there", "[imports]") {
  DataFolder folder("imports_bad");
  std::filesystem::create_directories(folder.path() + "/shared");
  auto compiled = compile_in(folder, kMain);
  REQUIRE_FALSE(compiled.plan);
  CHECK(
      has_headline(compiled.messages,
                   "plan.tally:3:1: error: cannot import \"shared/measures.tally\": cannot open " +
                       folder.path() + "/shared/measures.tally: No such file or directory"));

  folder.write("shared/measures.tally", "plan \"Other\"\n  currency USD\n");
  compiled = compile_in(folder, kMain);
  REQUIRE_FALSE(compiled.plan);
  CHECK(has_headline(
      compiled.messages,
      "shared/measures.tally:1:1: error: an imported file cannot have its own `plan` header"));

  folder.write("shared/measures.tally", "measure bookings: money = \n");
  compiled = compile_in(folder, kMain);
  REQUIRE_FALSE(compiled.plan);
  INFO(all_messages(compiled.messages));
  CHECK(compiled.messages.size() == 1);
  CHECK(compiled.messages[0].file == folder.path() + "/shared/measures.tally");
  CHECK(compiled.messages[0].line == 1);  // just after the last token: `=`
}
