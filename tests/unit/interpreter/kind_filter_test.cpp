// A filter made for the credits of one kind (interpreter/kind_filter.cpp):
// credit.kind becomes a constant, a credit's fields its row's, and the
// tests of the kind are decided before the run.
#include <catch2/catch.hpp>
#include <string>

#include "interpreter/kind_filter.hpp"
#include "interpreter/plan.hpp"
#include "plan_fixture.hpp"
#include "tally/tally.hpp"

using namespace tally;
using tally::testing::all_messages;

namespace {

/// The chunk of the plan's first aggregate, `measure m: int = <count>`.
Chunk aggregate_chunk(const std::string& count) {
  const std::string plan = R"(plan "Kinds" version 1
  currency USD
  periods quarter

source deals {
  id: int key
  close_date: date
  owner: payee
  type: text
  amount: money
}
roster payees { id: text key, role: text, manager: payee? }

credit won from deals on deal.close_date {
  deal.owner gets 100%
  managers(deal.owner, levels: 1) gets 100% rollup
}

measure m: int = )" + count +
                           "\n";
  Engine engine;
  const CompileResult compiled = engine.compile(plan, "plan.tally");
  INFO(all_messages(compiled.messages));
  REQUIRE(compiled.plan);
  return compiled.plan->program.aggregates.front().chunk;
}

std::size_t count_of(const Chunk& chunk, OpCode op) {
  std::size_t n = 0;
  for (const Instr& in : chunk.code) n += in.op == op;
  return n;
}

}  // namespace

TEST_CASE("a kind test that passes goes, one that fails leaves no credit", "[kind_filter]") {
  const Chunk filter =
      aggregate_chunk(R"(count(credit where credit.kind == direct and deal.type == "New"))");
  REQUIRE(count_of(filter, OpCode::LOAD_CREDIT) == 1);
  REQUIRE(count_of(filter, OpCode::LOAD_CREDIT_FIELD) == 1);

  const KindFilter direct = filter_for_kind(filter, "direct");
  CHECK(direct.rows);
  CHECK_FALSE(direct.none);
  CHECK(count_of(direct.chunk, OpCode::LOAD_CREDIT) == 0);
  CHECK(count_of(direct.chunk, OpCode::LOAD_CREDIT_FIELD) == 0);
  // The kind's load and its test are gone; the type's test, now leading,
  // is taken out to run on the column: type is field 3, "New" a constant.
  CHECK(direct.chunk.code.empty());
  CHECK(direct.chunk.spans.empty());
  REQUIRE(direct.where.present);
  CHECK(direct.where.field == 3);
  CHECK(direct.where.equal);
  CHECK(direct.chunk.constants[direct.where.constant].text == "New");

  const KindFilter rollup = filter_for_kind(filter, "rollup");
  CHECK(rollup.rows);
  CHECK(rollup.none);

  const Chunk not_rollup = aggregate_chunk(R"(count(credit where credit.kind != rollup))");
  CHECK_FALSE(filter_for_kind(not_rollup, "direct").none);
  CHECK(filter_for_kind(not_rollup, "direct").chunk.code.empty());
  CHECK(filter_for_kind(not_rollup, "rollup").none);
}

TEST_CASE("a kind read otherwise is a constant of the chunk", "[kind_filter]") {
  const Chunk filter =
      aggregate_chunk(R"(count(credit where credit.kind == direct or deal.type == "Upsell"))");
  const KindFilter overlay = filter_for_kind(filter, "overlay");
  CHECK(overlay.rows);
  CHECK_FALSE(overlay.none);  // an `or`: the type may still pass
  CHECK(count_of(overlay.chunk, OpCode::LOAD_CREDIT) == 0);
  REQUIRE(count_of(overlay.chunk, OpCode::CONST) >= 1);
  bool named = false;
  for (const Constant& c : overlay.chunk.constants) named = named || c.text == "overlay";
  CHECK(named);
}

TEST_CASE("a filter reading other credit attributes is left as it is", "[kind_filter]") {
  const Chunk filter = aggregate_chunk(R"(count(credit where credit.amount > 10 USD))");
  const KindFilter made = filter_for_kind(filter, "direct");
  CHECK_FALSE(made.rows);
  CHECK_FALSE(made.none);
  CHECK(made.chunk.code.size() == filter.code.size());
}

TEST_CASE("with a SELECT_POP the kind tests stay", "[kind_filter]") {
  Chunk filter;
  filter.registers = {RegType::symbol};
  filter.constants.resize(1);
  filter.constants[0].type = RegType::symbol;
  filter.constants[0].text = "direct";
  filter.emit({OpCode::LOAD_CREDIT, 0, 0, 0, static_cast<std::uint32_t>(CreditAttr::kind)}, {});
  filter.emit({OpCode::SELECT_SYM_EQ, 0, 0, 0, 0}, {});
  filter.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  const KindFilter overlay = filter_for_kind(filter, "overlay");
  CHECK(overlay.rows);
  CHECK_FALSE(overlay.none);  // the lanes are widened again
  CHECK(overlay.chunk.code.size() == 3);
  CHECK(overlay.chunk.code[0].op == OpCode::CONST);
  const KindFilter direct = filter_for_kind(filter, "direct");
  CHECK(direct.chunk.code.size() == 3);  // the passing test stays too
}
