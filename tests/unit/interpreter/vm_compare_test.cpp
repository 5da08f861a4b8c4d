// CMP_DEC against a lone CONST's register compares a lane small at the
// first lane's scale by its coefficient, with the constant aligned once
// (interpreter/vm.cpp, compare_decimals_to). The oracle is Decimal's own
// comparison, lane by lane: every comparison code, lanes of mixed scales,
// negative, negative zero and too large for 64 bits, and constants that do
// and do not align with the first lane's scale.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "interpreter/vm.hpp"

using namespace tally;

namespace {

Decimal dec(const std::string& text) {
  return *Decimal::parse(text);
}

bool holds(const Decimal& a, const Decimal& b, std::uint32_t code) {
  switch (code) {
    case 0:
      return a == b;
    case 1:
      return a != b;
    case 2:
      return a < b;
    case 3:
      return a <= b;
    case 4:
      return a > b;
    default:
      return a >= b;
  }
}

/// r2 = r0 (code) r1 over `lanes`, r1 set by a CONST of `constant` alone.
std::vector<std::uint8_t> compare_run(const std::vector<Decimal>& lanes, const Decimal& constant,
                                      std::uint32_t code) {
  Chunk chunk;
  chunk.name = "compare";
  chunk.registers = {RegType::decimal, RegType::decimal, RegType::boolean};
  Constant c;
  c.type = RegType::decimal;
  c.decimal = constant;
  chunk.constants = {c};
  chunk.emit(Instr{OpCode::CONST, 1, 0, 0, 0}, {});
  chunk.emit(Instr{OpCode::CMP_DEC, 2, 0, 1, code}, {});
  InternedConstants interned;
  interned.constants = {0};
  VmEnv env;
  env.interned = &interned;
  Frame frame;
  frame.reset(chunk, lanes.size());
  for (std::size_t i = 0; i < lanes.size(); ++i) frame.reg(0).decimals[i] = lanes[i];
  REQUIRE_FALSE(Vm::run(chunk, frame, env));
  return std::vector<std::uint8_t>(frame.reg(2).bools.begin(),
                                   frame.reg(2).bools.begin() + lanes.size());
}

}  // namespace

TEST_CASE("VM: CMP_DEC against a constant agrees with Decimal's comparison", "[vm][compare]") {
  const std::vector<std::vector<std::string>> lane_sets = {
      // A column's values: one scale.
      {"50000.00", "49999.99", "50000.01", "-50000.00", "0.00", "-0.00", "1000.50", "500000.00"},
      // Mixed scales, a negative zero first, a value past 64-bit units.
      {"-0.00", "50000", "50000.000", "49999.9999", "123456789012345678901234.5", "-7", "0"},
      // A first lane at a scale the constant cannot reach in 64 bits.
      {"0.00000000000000000001", "50000.00", "1"},
  };
  const std::vector<std::string> constants = {"50000",
                                              "50000.00",
                                              "0",
                                              "-0.00",
                                              "0.005",
                                              "-49999.99",
                                              "92233720368547758.07",
                                              "123456789012345678901234.5"};
  for (const auto& texts : lane_sets) {
    std::vector<Decimal> lanes;
    for (const auto& t : texts) lanes.push_back(dec(t));
    for (const auto& constant_text : constants) {
      const Decimal constant = dec(constant_text);
      for (std::uint32_t code = 0; code <= 5; ++code) {
        const auto got = compare_run(lanes, constant, code);
        for (std::size_t i = 0; i < lanes.size(); ++i) {
          INFO(texts[i] << " (code " << code << ") " << constant_text);
          CHECK(static_cast<bool>(got[i]) == holds(lanes[i], constant, code));
        }
      }
    }
  }
  // By hand: 50000.00 >= 50000 and 49999.99 < 50000.
  const auto ge = compare_run({dec("50000.00"), dec("49999.99")}, dec("50000"), 5);
  CHECK(ge[0] == 1);
  CHECK(ge[1] == 0);
}
