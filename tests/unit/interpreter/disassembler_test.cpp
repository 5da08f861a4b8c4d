// The disassembler names every opcode and shows what a plan compiles to.
#include <catch2/catch.hpp>

#include "interpreter/bytecode.hpp"
#include "interpreter/disassembler.hpp"

TEST_CASE("every opcode has a name and a listing", "[disasm]") {
  int count = 0;
#define TALLY_OP(name, operands, effect)                                \
  CHECK(tally::opcode_name(tally::OpCode::name) == std::string(#name)); \
  ++count;
#include "interpreter/opcodes.def"
#undef TALLY_OP
  CHECK(count > 30);
}

TEST_CASE("a chunk lists its registers, constants and instructions", "[disasm]") {
  tally::Chunk chunk;
  chunk.name = "example";
  const auto a = chunk.add_register(tally::RegType::decimal);
  const auto b = chunk.add_register(tally::RegType::decimal);
  chunk.constants.push_back(tally::Constant{
      tally::RegType::decimal, false, 0, *tally::Decimal::parse("0.08"), {}, {}, {}});
  chunk.emit({tally::OpCode::CONST, a, 0, 0, 0}, {});
  chunk.emit({tally::OpCode::MUL_DEC, b, a, a, 0}, {});
  const std::string text = tally::disassemble(chunk);
  CHECK(text == std::string("== example ==\n") +
                    "registers: r0:decimal r1:decimal\n"
                    "constant 0 = 0.08\n"
                    "0000  CONST" +
                    std::string(14, ' ') + "r0 #0\n" +  // name in 18 columns
                    "0001  MUL_DEC" + std::string(12, ' ') + "r1 r0 r0\n");
}
