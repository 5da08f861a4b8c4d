// read_pipeline: which fields it finds, how it tells won/lost/open, its notes
// for missing fields, its located errors, and the real maven_crm export.
// Expected values are read off the test's own rows; the maven_crm counts were
// taken with Python's csv module from ../shared/data/maven_crm/sales_pipeline.csv
// (8,800 rows: 4,238 Won, 2,473 Lost, 1,589 Engaging, 500 Prospecting), and
// day numbers with datetime (2017-03-01 is day 17226, 2016-10-20 day 17094).
#include <catch2/catch.hpp>

#include "plan_fixture.hpp"
#include "repl/pipeline_data.hpp"

using tally::Engine;
using tally::RunOptions;
using tally::testing::all_messages;
using tally::testing::DataFolder;
using namespace tally::cli;

namespace {

const char* const kPlan = R"(plan "Pipeline" version 1
  currency USD
  periods quarter

source deals {
  id: text key
  rep: payee
  product: text
  account: text?
  deal_stage: text
  engage_date: date?
  close_date: date?
  amount: money?
}

roster reps { rep: text key }

credit won from deals as deal
  amount deal.amount ?? 0 USD
  where deal.deal_stage == "Won"
  on deal.close_date ?? 2017-01-01 {
  deal.rep gets 100%
}

measure won_value: money = sum(credit.amount)
payout commission = 4% * won_value
)";

const char* const kRows =
    "id,rep,product,account,deal_stage,engage_date,close_date,amount\n"
    "D1,ann,Widget,Acme,Won,2016-10-20,2017-03-01,1000\n"
    "D2,ann,Gadget,,closed lost,2016-11-01,2017-02-01,0\n"
    "D3,bo,Widget,Beta,Engaging,2017-01-05,,\n";

struct Compiled {
  Engine engine;
  std::shared_ptr<const tally::Plan> plan;
};

void compile(Compiled& c, const std::string& text) {
  auto result = c.engine.compile(text, "plan.tally");
  INFO(all_messages(result.messages));
  REQUIRE(result.plan);
  c.plan = result.plan;
}

}  // namespace

TEST_CASE("the pipeline's fields are found from the plan and its rows read", "[pipeline]") {
  Compiled c;
  compile(c, kPlan);
  DataFolder data("pipeline_found");
  data.write("deals.csv", kRows);
  RunOptions options;
  options.data_dir = data.path();
  const auto result = read_pipeline(c.engine, *c.plan, options, {});
  INFO(all_messages(result.messages));
  REQUIRE(result.data);
  const PipelineData& p = *result.data;
  CHECK(p.spec.source == "deals");
  CHECK(p.spec.owner == "rep");
  CHECK(p.spec.stage == "deal_stage");
  CHECK(p.spec.value == "amount");
  CHECK(p.spec.opened == "engage_date");
  CHECK(p.spec.closed == "close_date");
  CHECK(p.spec.account == "account");
  CHECK(p.spec.product == "product");
  CHECK(p.notes.empty());
  REQUIRE(p.opportunities.size() == 3);
  const Opportunity& won = p.opportunities[0];
  CHECK(won.id == "D1");
  CHECK(won.owner == "ann");
  CHECK(won.outcome == Outcome::won);
  CHECK(won.value == 1000.0);
  CHECK(won.opened == 17094);
  CHECK(won.closed == 17226);
  CHECK(won.account == "Acme");
  CHECK(won.product == "Widget");
  const Opportunity& lost = p.opportunities[1];
  CHECK(lost.outcome == Outcome::lost);  // "closed lost": case-insensitive
  CHECK(lost.stage == "closed lost");
  CHECK(lost.account.empty());
  const Opportunity& open = p.opportunities[2];
  CHECK(open.outcome == Outcome::open);
  CHECK_FALSE(open.value.has_value());
  CHECK_FALSE(open.closed.has_value());
  CHECK(open.opened == 17094 + 77);  // 2017-01-05: 2016-10-20 + 11 + 30 + 31 + 5
}

TEST_CASE("rows given in memory are read like a file", "[pipeline]") {
  Compiled c;
  compile(c, kPlan);
  RunOptions options;
  tally::InlineTable table;
  table.columns = {"id", "rep", "product", "deal_stage", "amount"};
  table.rows = {{"X1", "ann", "Widget", "Prospecting", std::nullopt},
                {"X2", "bo", "Widget", "Won", "250.50"}};
  table.origin = "test rows";
  options.tables["deals"] = table;
  const auto result = read_pipeline(c.engine, *c.plan, options, {});
  INFO(all_messages(result.messages));
  REQUIRE(result.data);
  REQUIRE(result.data->opportunities.size() == 2);
  CHECK(result.data->opportunities[0].outcome == Outcome::open);
  CHECK(result.data->opportunities[1].value == 250.5);
}

TEST_CASE("fields the plan lacks are notes, not errors", "[pipeline]") {
  Compiled c;
  compile(c, R"(plan "Thin" version 1
  currency USD
  periods quarter
source deals { id: text key, rep: payee, status: text, amount: money }
roster reps { rep: text key }
credit won from deals as deal amount deal.amount on 2017-01-01 { deal.rep gets 100% }
measure won_value: money = sum(credit.amount)
payout commission = 4% * won_value
)");
  DataFolder data("pipeline_thin");
  data.write("deals.csv", "id,rep,status,amount\nA,ann,Won,10\nB,ann,Open,20\n");
  RunOptions options;
  options.data_dir = data.path();
  const auto result = read_pipeline(c.engine, *c.plan, options, {});
  INFO(all_messages(result.messages));
  REQUIRE(result.data);
  CHECK(result.data->spec.stage == "status");
  CHECK(result.data->spec.opened.empty());
  const auto& notes = result.data->notes;
  REQUIRE(notes.size() == 4);  // opened, closed, account, product
  CHECK(notes[0] == "source `deals` has no opened field: open dates are unknown");
  CHECK(notes[3] == "source `deals` has no product field: products are unknown");
  CHECK(result.data->opportunities[1].outcome == Outcome::open);
}

TEST_CASE("a field asked for that is not there, or of the wrong type, is a located error",
          "[pipeline]") {
  Compiled c;
  compile(c, kPlan);
  RunOptions options;
  PipelineSpec spec;
  spec.stage = "deal_stag";
  auto result = read_pipeline(c.engine, *c.plan, options, spec);
  CHECK_FALSE(result.data);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].file == "plan.tally");
  CHECK(result.messages[0].line == 5);  // the `source deals` line
  CHECK(result.messages[0].text ==
        "source `deals` has no field `deal_stag` (asked for as the stage)");
  CHECK(result.messages[0].hint == "did you mean `deal_stage`?");

  spec = {};
  spec.value = "close_date";
  result = read_pipeline(c.engine, *c.plan, options, spec);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text.find("but the value must be a money, decimal or int field") !=
        std::string::npos);

  spec = {};
  spec.source = "deal";
  result = read_pipeline(c.engine, *c.plan, options, spec);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text == "the plan has no source `deal`");
  CHECK(result.messages[0].hint == "did you mean `deals`?");
}

TEST_CASE("a missing file and a bad cell are the loader's located errors", "[pipeline]") {
  Compiled c;
  compile(c, kPlan);
  DataFolder data("pipeline_errors");
  RunOptions options;
  options.data_dir = data.path();
  auto result = read_pipeline(c.engine, *c.plan, options, {});
  CHECK_FALSE(result.data);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text.find("no data for source `deals`") != std::string::npos);
  CHECK(result.messages[0].line == 5);

  data.write("deals.csv",
             "id,rep,product,account,deal_stage,engage_date,close_date,amount\n"
             "D1,ann,Widget,Acme,Won,2016-10-20,2017-03-01,lots\n");
  result = read_pipeline(c.engine, *c.plan, options, {});
  CHECK_FALSE(result.data);
  REQUIRE_FALSE(result.messages.empty());
  CHECK(result.messages[0].line == 2);  // the row, as a spreadsheet numbers it
  CHECK(result.messages[0].text.find("lots") != std::string::npos);

  options.lenient = true;  // the bad row is left out, and said so
  result = read_pipeline(c.engine, *c.plan, options, {});
  REQUIRE(result.data);
  CHECK(result.data->opportunities.empty());
  REQUIRE(result.data->notes.size() == 1);
  CHECK(result.data->notes[0].find("1 bad value(s)") != std::string::npos);
}

TEST_CASE("a plan without a pipeline source is an error that says how to name one", "[pipeline]") {
  Compiled c;
  compile(c, R"(plan "None" version 1
  currency USD
  periods quarter
source sales { id: text key, rep: payee, amount: money }
roster reps { rep: text key }
credit s from sales as sale amount sale.amount on 2017-01-01 { sale.rep gets 100% }
measure total: money = sum(credit.amount)
payout commission = 4% * total
)");
  const auto result = read_pipeline(c.engine, *c.plan, RunOptions{}, {});
  CHECK_FALSE(result.data);
  REQUIRE(result.messages.size() == 1);
  CHECK(result.messages[0].text.find("no pipeline source") != std::string::npos);
  CHECK(result.messages[0].file == "plan.tally");
}

TEST_CASE("the real CRM export through plans/crm_opportunities.tally", "[pipeline]") {
  Engine engine;
  const auto compiled =
      engine.compile_file(std::string(TALLY_SOURCE_DIR) + "/plans/crm_opportunities.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  RunOptions options;
  options.data_dir = std::string(TALLY_SHARED_DIR) + "/data/maven_crm";
  const auto result = read_pipeline(engine, *compiled.plan, options, {});
  INFO(all_messages(result.messages));
  REQUIRE(result.data);
  const PipelineData& p = *result.data;
  CHECK(p.spec.source == "sales_pipeline");
  CHECK(p.spec.owner == "sales_agent");
  CHECK(p.spec.value == "close_value");
  CHECK(p.notes.empty());
  REQUIRE(p.opportunities.size() == 8800);
  int won = 0, lost = 0, open = 0, no_account = 0;
  for (const auto& o : p.opportunities) {
    won += o.outcome == Outcome::won;
    lost += o.outcome == Outcome::lost;
    open += o.outcome == Outcome::open;
    no_account += o.account.empty();
  }
  CHECK(won == 4238);
  CHECK(lost == 2473);
  CHECK(open == 1589 + 500);
  CHECK(no_account == 1425);
  const Opportunity& first = p.opportunities[0];
  CHECK(first.id == "1C1I7A6R");
  CHECK(first.owner == "Moses Frase");
  CHECK(first.product == "GTX Plus Basic");
  CHECK(first.value == 1054.0);
  CHECK(first.opened == 17094);
  CHECK(first.closed == 17226);
}
