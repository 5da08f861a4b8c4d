// A register that one CONST alone writes keeps its constant from batch to
// batch of a chunk run on the same frame (the CONST fills every lane once,
// then finds it done): the lanes a later batch selects hold the constant,
// whatever the first batch selected; a register something else writes too
// is filled on every batch; other interned texts, or more lanes, fill again.
#include <catch2/catch.hpp>

#include "interpreter/vm.hpp"

using tally::Chunk;
using tally::Decimal;
using tally::Frame;
using tally::Instr;
using tally::InternedConstants;
using tally::OpCode;
using tally::RegType;
using tally::Vm;
using tally::VmEnv;

namespace {

// r0 (bool, set by the test) selects the lanes; r1 = 7.5 and r2 = "x" by a
// CONST each; r3 = 1 by a CONST, then r3 = r3 + r3: two writers.
Chunk constants_chunk() {
  Chunk chunk;
  chunk.name = "constants";
  chunk.registers = {RegType::boolean, RegType::decimal, RegType::symbol, RegType::decimal};
  tally::Constant seven;
  seven.type = RegType::decimal;
  seven.decimal = *Decimal::parse("7.5");
  tally::Constant x;
  x.type = RegType::symbol;
  x.text = "x";
  tally::Constant one;
  one.type = RegType::decimal;
  one.decimal = Decimal::from_int(1);
  chunk.constants = {seven, x, one};
  chunk.emit(Instr{OpCode::SELECT_TRUE, 0, 0, 0, 0}, {});
  chunk.emit(Instr{OpCode::CONST, 1, 0, 0, 0}, {});
  chunk.emit(Instr{OpCode::CONST, 2, 0, 0, 1}, {});
  chunk.emit(Instr{OpCode::CONST, 3, 0, 0, 2}, {});
  chunk.emit(Instr{OpCode::ADD_DEC, 3, 3, 3, 0}, {});
  return chunk;
}

/// Runs `chunk` on `frame` over `lanes` lanes of which `active` are selected.
void run_batch(const Chunk& chunk, Frame& frame, const VmEnv& env, std::size_t lanes,
               const std::vector<std::uint32_t>& active) {
  frame.reset(chunk, lanes);
  auto& flags = frame.reg(0).bools;
  std::fill(flags.begin(), flags.end(), 0);
  for (std::uint32_t lane : active) flags[lane] = 1;
  REQUIRE_FALSE(Vm::run(chunk, frame, env));
  REQUIRE(frame.active() == active);
}

}  // namespace

TEST_CASE("VM: a register one CONST alone writes holds its constant in every later batch", "[vm]") {
  const Chunk chunk = constants_chunk();
  InternedConstants first;
  first.constants = {0, 41, 0};
  InternedConstants second;
  second.constants = {0, 42, 0};
  VmEnv env;
  env.interned = &first;
  Frame frame;

  run_batch(chunk, frame, env, 4, {0, 2});
  CHECK(frame.reg(1).decimals[0] == *Decimal::parse("7.5"));
  CHECK(frame.reg(3).decimals[2] == Decimal::from_int(2));

  // Lanes the first batch left out hold the constants too.
  run_batch(chunk, frame, env, 4, {1, 3});
  for (std::uint32_t lane : {1u, 3u}) {
    CHECK(frame.reg(1).decimals[lane] == *Decimal::parse("7.5"));
    CHECK(frame.reg(2).symbols[lane] == 41);
    // Written twice per batch, so filled again: 1 + 1, not 2 + 2.
    CHECK(frame.reg(3).decimals[lane] == Decimal::from_int(2));
  }
  run_batch(chunk, frame, env, 4, {0, 1, 2, 3});
  for (std::uint32_t lane = 0; lane < 4; ++lane)
    CHECK(frame.reg(3).decimals[lane] == Decimal::from_int(2));

  // The texts interned for another run: "x" is read again.
  env.interned = &second;
  run_batch(chunk, frame, env, 4, {1, 2});
  CHECK(frame.reg(2).symbols[1] == 42);
  CHECK(frame.reg(2).symbols[2] == 42);

  // Fewer lanes, then more: the lanes added hold the constant.
  run_batch(chunk, frame, env, 2, {1});
  CHECK(frame.reg(1).decimals[1] == *Decimal::parse("7.5"));
  run_batch(chunk, frame, env, 6, {4, 5});
  CHECK(frame.reg(1).decimals[4] == *Decimal::parse("7.5"));
  CHECK(frame.reg(1).decimals[5] == *Decimal::parse("7.5"));
  CHECK(frame.reg(2).symbols[5] == 42);
}
