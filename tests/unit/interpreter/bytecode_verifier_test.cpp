// The bytecode verifier accepts what the compiler emits and catches each kind
// of corruption the VM would otherwise run into blindly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "interpreter/bytecode_verifier.hpp"
#include "interpreter/plan.hpp"
#include "tally/tally.hpp"

namespace {

using tally::Chunk;
using tally::Instr;
using tally::OpCode;
using tally::RegType;

tally::Constant decimal_constant(const char* text) {
  tally::Constant c;
  c.type = RegType::decimal;
  c.decimal = *tally::Decimal::parse(text);
  return c;
}

/// r0 = 0.08; r1 = r0 * r0; r2 = r1 > r0; select r2 { r3 = round(r1, r0, half_up) }
Chunk valid_chunk() {
  Chunk chunk;
  chunk.name = "example";
  chunk.add_register(RegType::decimal);  // r0
  chunk.add_register(RegType::decimal);  // r1
  chunk.add_register(RegType::boolean);  // r2
  chunk.add_register(RegType::decimal);  // r3
  chunk.constants.push_back(decimal_constant("0.08"));
  chunk.emit({OpCode::CONST, 0, 0, 0, 0}, {});
  chunk.emit({OpCode::MUL_DEC, 1, 0, 0, 0}, {});
  chunk.emit({OpCode::CMP_DEC, 2, 1, 0, 4}, {});
  chunk.emit({OpCode::SELECT_TRUE, 0, 2, 0, 0}, {});
  chunk.emit({OpCode::ROUND_DEC, 3, 1, 0, 1}, {});
  chunk.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  return chunk;
}

/// The message of the failure of `chunk`, or "" when it verifies.
std::string failure_of(const Chunk& chunk, const tally::VerifyBounds& bounds = {}) {
  const auto failure = tally::verify_chunk(chunk, bounds);
  return failure ? failure->describe() : "";
}

}  // namespace

TEST_CASE("a well-formed chunk verifies", "[verifier]") {
  CHECK(failure_of(valid_chunk()).empty());
  CHECK(failure_of(Chunk{}).empty());  // an empty chunk is sound
}

TEST_CASE("an unknown opcode is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.code[1].op = static_cast<OpCode>(250);
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 1: unknown opcode 250");
}

TEST_CASE("a register past the chunk's registers is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.code[1].b = 4;  // four registers: r0..r3
  CHECK(failure_of(chunk) ==
        "chunk \"example\", instruction 1: register b = 4 is past the 4 registers of the chunk");
  chunk = valid_chunk();
  chunk.code[4].d = 65535;
  CHECK(failure_of(chunk).find("register d = 65535 is past") != std::string::npos);
}

TEST_CASE("a register of the wrong type is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.code[1].a = 2;  // MUL_DEC reading a boolean
  CHECK(failure_of(chunk) ==
        "chunk \"example\", instruction 1: register a = 2 is bool, the opcode needs decimal");
  chunk = valid_chunk();
  chunk.code[3].a = 1;  // SELECT_TRUE on a decimal
  CHECK(failure_of(chunk).find("instruction 3: register a = 1 is") != std::string::npos);
}

TEST_CASE("a constant index past the pool, or of another type, is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.code[0].k = 1;
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 0: k = 1 is past the 1 constants");
  chunk = valid_chunk();
  chunk.registers[0] = RegType::integer;  // CONST of a decimal into an integer register
  CHECK(failure_of(chunk).find("instruction 0: register d is int, not decimal") !=
        std::string::npos);
}

TEST_CASE("MOVE between registers of two types is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.add_register(RegType::integer);  // r4
  chunk.emit({OpCode::MOVE, 4, 3, 0, 0}, {});
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 6: register a is decimal, not int");
}

TEST_CASE("set and rate-table indices past their pools are caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.emit({OpCode::IN_DECS, 2, 0, 0, 0}, {});
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 6: k = 0 is past the 0 constant sets");
  chunk.sets.emplace_back();
  CHECK(failure_of(chunk).empty());
  chunk.emit({OpCode::APPLY_RATES, 3, 0, 0, 0}, {});
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 7: k = 0 is past the 0 rate tables");
  chunk.tiers.emplace_back();
  CHECK(failure_of(chunk).empty());
  chunk.tiers[0].has_base = true;  // the base register must then be a decimal
  chunk.code.back().b = 2;
  CHECK(failure_of(chunk).find("register b = 2 is bool") != std::string::npos);
}

TEST_CASE("immediates out of their range are caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.code[2].k = 6;  // comparison codes are 0..5
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 2: k = 6 is out of range (0 to 5)");
  chunk = valid_chunk();
  chunk.code[4].k = 7;  // rounding modes are 0..6
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 4: k = 7 is out of range (0 to 6)");
  chunk = valid_chunk();
  chunk.emit({OpCode::LOAD_CREDIT, 1, 0, 0, 5}, {});  // credit attributes are 0..4
  CHECK(failure_of(chunk).find("k = 5 is out of range (0 to 4)") != std::string::npos);
  chunk.code.back().k = 2;  // the kind, a symbol, into a decimal register
  CHECK(failure_of(chunk).find("register d is decimal, not symbol") != std::string::npos);
}

TEST_CASE("SELECT_POP below the starting lanes is caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  CHECK(failure_of(chunk) ==
        "chunk \"example\", instruction 6: SELECT_POP without a SELECT before it");
}

TEST_CASE("a select on a text constant needs a text register and a text constant", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.add_register(RegType::symbol);  // r4
  tally::Constant won;
  won.type = RegType::symbol;
  won.text = "Won";
  chunk.constants.push_back(won);  // constant 1
  chunk.emit({OpCode::SELECT_SYM_EQ, 0, 4, 0, 1}, {});
  chunk.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  chunk.emit({OpCode::SELECT_SYM_NE, 0, 4, 0, 1}, {});
  chunk.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  CHECK(failure_of(chunk).empty());  // each opens a selection its SELECT_POP closes
  chunk.emit({OpCode::SELECT_POP, 0, 0, 0, 0}, {});
  CHECK(failure_of(chunk).find("SELECT_POP without a SELECT before it") != std::string::npos);
  chunk.code.pop_back();
  chunk.spans.pop_back();
  chunk.code[6].a = 0;  // a decimal register
  CHECK(failure_of(chunk) ==
        "chunk \"example\", instruction 6: register a = 0 is decimal, the opcode needs symbol");
  chunk.code[6].a = 4;
  chunk.code[6].k = 0;  // 0.08, not text
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 6: constant k = 0 is not text");
  chunk.code[6].k = 2;
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 6: k = 2 is past the 2 constants");
}

TEST_CASE("code and spans of different lengths are caught", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.spans.pop_back();
  CHECK(failure_of(chunk) == "chunk \"example\", instruction 6: 6 instructions but 5 spans");
}

TEST_CASE("field, aggregate and table indices are checked against the plan", "[verifier]") {
  Chunk chunk = valid_chunk();
  chunk.emit({OpCode::LOAD_FIELD, 3, 0, 0, 3}, {});
  CHECK(failure_of(chunk).empty());  // no bounds known: not checked
  tally::VerifyBounds bounds;
  bounds.fields = 3;
  CHECK(failure_of(chunk, bounds) ==
        "chunk \"example\", instruction 6: k = 3 is past the 3 fields of the widest source");
  bounds.fields = 4;
  CHECK(failure_of(chunk, bounds).empty());
  chunk.emit({OpCode::LOAD_AGGREGATE, 3, 0, 0, 0}, {});
  bounds.aggregates = 0;
  CHECK(failure_of(chunk, bounds).find("k = 0 is past the 0 aggregates") != std::string::npos);
}

TEST_CASE("a program's result registers are checked", "[verifier]") {
  tally::Program program;
  program.payouts.chunk = valid_chunk();
  tally::CompiledPayouts::Payout payout;
  payout.amount_reg = 3;
  program.payouts.payouts.push_back(payout);
  CHECK_FALSE(tally::verify_program(program));
  program.payouts.payouts[0].amount_reg = 2;  // a boolean
  auto failure = tally::verify_program(program);
  REQUIRE(failure);
  CHECK(failure->message == "a payout's amount register 2 is bool, not decimal");
  program.payouts.payouts[0].amount_reg = 9;
  failure = tally::verify_program(program);
  REQUIRE(failure);
  CHECK(failure->message == "a payout's amount register 9 is past the 4 registers of the chunk");
}

TEST_CASE("every sample plan compiles to bytecode that verifies", "[verifier]") {
  const std::filesystem::path plans = std::filesystem::path(TALLY_SOURCE_DIR) / "plans";
  tally::Engine engine;
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(plans)) {
    if (entry.path().extension() != ".tally") continue;
    const tally::CompileResult compiled = engine.compile_file(entry.path().string());
    REQUIRE(compiled.plan);
    const tally::Plan& plan = *compiled.plan;
    INFO(entry.path().filename().string());
    const auto failure = tally::verify_program(plan.program, tally::VerifyBounds::of(*plan.model));
    CHECK(!failure);
    if (failure) WARN(failure->describe());
    ++checked;
  }
  CHECK(checked >= 9);
}
