// VM dispatch: a hand-built chunk of kInstructions instructions of one
// opcode, each reading the same two input registers, run over batches of
// 1, 64 and 1,024 lanes (1,024 is the engine's batch size). With one lane
// the time is almost all dispatch; with a full batch it is the per-lane
// loop of the instruction. Items are instructions × lanes; the counters
// give the time of one instruction over the whole batch (`per_instr`) and
// of the whole chunk for one lane (`per_lane`).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "interpreter/bytecode.hpp"
#include "interpreter/vm.hpp"

namespace {

using tally::Chunk;
using tally::Decimal;
using tally::Frame;
using tally::Instr;
using tally::OpCode;
using tally::RegType;

constexpr int kInstructions = 64;
constexpr std::uint32_t kLessThan = 2;  // comparison code of `<` (chunk_compiler.hpp)

/// Registers 0 and 1 are the inputs, of `input`; each instruction writes
/// its own register of `output`, so no value grows from one to the next
/// and decimals stay on the 64-bit path.
Chunk chunk_of(OpCode op, RegType input, RegType output) {
  Chunk chunk;
  chunk.name = "bench";
  chunk.add_register(input);
  chunk.add_register(input);
  for (int i = 0; i < kInstructions; ++i) {
    const std::uint16_t d = chunk.add_register(output);
    chunk.emit(Instr{op, d, 0, 1, kLessThan}, tally::Span{});
  }
  return chunk;
}

void fill_inputs(Frame& frame, RegType input) {
  for (std::uint16_t r = 0; r < 2; ++r) {
    tally::Register& reg = frame.reg(r);
    for (std::size_t lane = 0; lane < frame.lanes(); ++lane) {
      const auto value = static_cast<std::int64_t>(1000 + 37 * lane + r);
      if (input == RegType::integer)
        reg.ints[lane] = value;
      else  // cents, so that the decimals have a scale as money does
        reg.decimals[lane] = *Decimal::parse(std::to_string(value) + ".25");
    }
  }
}

void run_chunk(benchmark::State& state, OpCode op, RegType input, RegType output) {
  const auto lanes = static_cast<std::size_t>(state.range(0));
  const Chunk chunk = chunk_of(op, input, output);
  Frame frame;
  frame.reset(chunk, lanes);
  fill_inputs(frame, input);
  const tally::VmEnv env;
  for (auto _ : state) {
    if (auto fault = tally::Vm::run(chunk, frame, env)) {
      state.SkipWithError(fault->message.c_str());
      break;
    }
    benchmark::ClobberMemory();
  }
  const auto per_run = static_cast<double>(kInstructions) * static_cast<double>(lanes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(per_run));
  using Counter = benchmark::Counter;
  state.counters["per_instr"] =
      Counter(kInstructions, Counter::kIsIterationInvariantRate | Counter::kInvert);
  state.counters["per_lane"] =
      Counter(static_cast<double>(lanes), Counter::kIsIterationInvariantRate | Counter::kInvert);
}

void BM_AddInt(benchmark::State& s) {
  run_chunk(s, OpCode::ADD_INT, RegType::integer, RegType::integer);
}
void BM_CmpInt(benchmark::State& s) {
  run_chunk(s, OpCode::CMP_INT, RegType::integer, RegType::boolean);
}
void BM_AddDec(benchmark::State& s) {
  run_chunk(s, OpCode::ADD_DEC, RegType::decimal, RegType::decimal);
}
void BM_MulDec(benchmark::State& s) {
  run_chunk(s, OpCode::MUL_DEC, RegType::decimal, RegType::decimal);
}
void BM_CmpDec(benchmark::State& s) {
  run_chunk(s, OpCode::CMP_DEC, RegType::decimal, RegType::boolean);
}

}  // namespace

BENCHMARK(BM_AddInt)->ArgName("lanes")->Arg(1)->Arg(64)->Arg(1024);
BENCHMARK(BM_CmpInt)->ArgName("lanes")->Arg(1)->Arg(64)->Arg(1024);
BENCHMARK(BM_AddDec)->ArgName("lanes")->Arg(1)->Arg(64)->Arg(1024);
BENCHMARK(BM_MulDec)->ArgName("lanes")->Arg(1)->Arg(64)->Arg(1024);
BENCHMARK(BM_CmpDec)->ArgName("lanes")->Arg(1)->Arg(64)->Arg(1024);

BENCHMARK_MAIN();
