// Where a credit rule's outputs come from (interpreter/rule_outputs.cpp): a
// lone LOAD_FIELD or CONST that nothing else reads is left out of the chunk
// folding runs, and the output is read from the field or the constant.
#include <catch2/catch.hpp>
#include <string>

#include "interpreter/plan.hpp"
#include "interpreter/rule_outputs.hpp"
#include "plan_fixture.hpp"
#include "tally/tally.hpp"

using namespace tally;
using tally::testing::all_messages;

namespace {

const std::string kHeader = R"(plan "Outputs" version 1
  currency USD
  periods quarter

source deals {
  id: int key
  close_date: date
  owner: payee
  helper: payee
  stage: text
  amount: money
  share: percent
  levels: int
}
roster payees { id: text key, role: text, manager: payee? }

)";

/// The plan's first rule, compiled (the plan is kHeader + `rule`).
CompiledRule compiled_rule(const std::string& rule) {
  Engine engine;
  const CompileResult compiled = engine.compile(kHeader + rule, "plan.tally");
  INFO(rule << all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  return compiled.plan->program.rules.front();
}

bool from_field(const OutputSource& source, std::uint32_t field) {
  return source.from == OutputSource::From::field && source.index == field;
}

bool loads(const Chunk& chunk, OpCode op) {
  for (const Instr& in : chunk.code)
    if (in.op == op) return true;
  return false;
}

}  // namespace

TEST_CASE("a rule's plain field and constant outputs are read straight", "[rule_outputs]") {
  const CompiledRule rule =
      compiled_rule(R"(credit won from deals where deal.stage == "Won" on deal.close_date {
  deal.owner gets 100%
  managers(deal.owner, levels: 2) gets 100% rollup
}
)");
  const RuleOutputs outputs = rule_outputs(rule);
  // Fields: id 0, close_date 1, owner 2, helper 3, stage 4, amount 5.
  CHECK(from_field(outputs.date, 1));
  CHECK(from_field(outputs.amount, 5));
  REQUIRE(outputs.lines.size() == 2);
  CHECK(from_field(outputs.lines[0].payee, 2));
  CHECK(from_field(outputs.lines[1].payee, 2));
  CHECK(outputs.lines[0].share.from == OutputSource::From::constant);
  CHECK(outputs.lines[1].levels.from == OutputSource::From::constant);
  // What is left, the stage's load and its test, is taken out to run on
  // the column: nothing is left.
  CHECK(outputs.chunk.code.empty());
  CHECK(outputs.chunk.spans.empty());
  REQUIRE(outputs.where.present);
  CHECK(outputs.where.field == 4);
  CHECK(outputs.where.equal);
  CHECK(outputs.chunk.constants[outputs.where.constant].text == "Won");
  CHECK(rule.chunk.code.size() > outputs.chunk.code.size());
  CHECK(outputs.chunk.registers == rule.chunk.registers);
}

TEST_CASE("an output computed stays in its register", "[rule_outputs]") {
  const CompiledRule rule = compiled_rule(R"(credit won from deals
  amount deal.amount * 2
  where deal.stage == "Won"
  on deal.close_date {
  deal.helper gets deal.share overlay
  managers(deal.owner, levels: deal.levels) gets 100% rollup
}
)");
  const RuleOutputs outputs = rule_outputs(rule);
  CHECK(outputs.amount.from == OutputSource::From::reg);
  CHECK(from_field(outputs.date, 1));
  REQUIRE(outputs.lines.size() == 2);
  CHECK(from_field(outputs.lines[0].payee, 3));
  // A share or levels from a field is no constant: the register is read.
  CHECK(outputs.lines[0].share.from == OutputSource::From::reg);
  CHECK(outputs.lines[1].levels.from == OutputSource::From::reg);
  CHECK(loads(outputs.chunk, OpCode::MUL_DEC));
}

TEST_CASE("a load another instruction reads, or that fills two kinds of output, stays",
          "[rule_outputs]") {
  CompiledRule rule;
  rule.chunk.registers = {RegType::symbol, RegType::boolean, RegType::date, RegType::decimal,
                          RegType::decimal};
  auto add = [&](Instr in) {
    rule.chunk.code.push_back(in);
    rule.chunk.spans.emplace_back();
  };
  add({OpCode::LOAD_FIELD, 0, 0, 0, 2});  // r0 <- owner
  add({OpCode::CMP_SYM, 1, 0, 0, 0});     // r1 <- r0 == r0: reads r0
  add({OpCode::LOAD_FIELD, 2, 0, 0, 1});  // r2 <- close_date
  add({OpCode::LOAD_FIELD, 3, 0, 0, 5});  // r3 <- amount, also the share
  add({OpCode::CONST, 4, 0, 0, 0});       // r4 <- a constant no output reads
  rule.chunk.constants.resize(1);
  rule.date_reg = 2;
  rule.amount_reg = 3;
  CompiledRule::Line line;
  line.payee_reg = 0;
  line.share_reg = 3;
  rule.lines.push_back(line);
  RuleOutputs outputs = rule_outputs(rule);
  CHECK(from_field(outputs.date, 1));
  CHECK(outputs.lines[0].payee.from == OutputSource::From::reg);  // CMP_SYM reads it
  CHECK(outputs.amount.from == OutputSource::From::reg);          // also a share
  CHECK(outputs.lines[0].share.from == OutputSource::From::reg);
  CHECK(outputs.chunk.code.size() == 4);  // only the date's load left out
  // A register two instructions write stays too.
  rule.chunk.code[4] = {OpCode::LOAD_FIELD, 2, 0, 0, 1};
  outputs = rule_outputs(rule);
  CHECK(outputs.date.from == OutputSource::From::reg);
  CHECK(outputs.chunk.code.size() == rule.chunk.code.size());
}

TEST_CASE("a leading test of a field is taken out only when nothing else needs it",
          "[rule_outputs][leading_select]") {
  Chunk chunk;
  chunk.registers = {RegType::symbol, RegType::boolean, RegType::symbol};
  chunk.constants.resize(1);
  chunk.constants[0].type = RegType::symbol;
  chunk.constants[0].text = "Won";
  chunk.emit({OpCode::LOAD_FIELD, 0, 0, 0, 6}, {});
  chunk.emit({OpCode::SELECT_SYM_NE, 0, 0, 0, 0}, {});
  chunk.emit({OpCode::LOAD_FIELD, 2, 0, 0, 1}, {});

  Chunk taken = chunk;
  const LeadingSelect where = take_leading_select(taken);
  REQUIRE(where.present);
  CHECK(where.field == 6);
  CHECK_FALSE(where.equal);
  CHECK(taken.code.size() == 1);
  CHECK(taken.spans.size() == 1);

  // Its register read later: it stays.
  Chunk read = chunk;
  read.emit({OpCode::CMP_SYM, 1, 0, 2, 0}, {});
  CHECK_FALSE(take_leading_select(read).present);
  CHECK(read.code.size() == chunk.code.size() + 1);

  // A SELECT_POP that would pop the test: it stays.
  Chunk popped = chunk;
  popped.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  CHECK_FALSE(take_leading_select(popped).present);
  // One that pops a later SELECT does not stop it.
  Chunk nested = chunk;
  nested.emit({OpCode::SELECT_TRUE, 0, 1, 0, 0}, {});
  nested.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  CHECK(take_leading_select(nested).present);
}
