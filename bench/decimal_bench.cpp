// Micro-benchmarks of tally::Decimal: arithmetic on the 64-bit fast path and
// on the cpp_int fall-back, rounding, parsing and printing. Every benchmark
// reports items (operations) per second.
#include <benchmark/benchmark.h>

#include <string>

#include "interpreter/runtime/decimal.hpp"

namespace {

using tally::Decimal;

Decimal parsed(const char* text) {
  return *Decimal::parse(text);
}

// Small operands with different scales, so the fast path also aligns them.
const char* const kSmallA = "12345.67";
const char* const kSmallB = "0.891";
// Operands past 64 bits: the fall-back.
const char* const kBigA = "123456789012345678901234567890.12";
const char* const kBigB = "98765432109876543210.987";

template <class Op>
void run_binary(benchmark::State& state, const char* a_text, const char* b_text, Op op) {
  Decimal a = parsed(a_text);
  Decimal b = parsed(b_text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    auto result = op(a, b);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

auto add = [](const Decimal& a, const Decimal& b) { return a + b; };
auto multiply = [](const Decimal& a, const Decimal& b) { return a * b; };
auto divide = [](const Decimal& a, const Decimal& b) { return Decimal::divide(a, b); };

void BM_AddSmall(benchmark::State& s) {
  run_binary(s, kSmallA, kSmallB, add);
}
void BM_AddBig(benchmark::State& s) {
  run_binary(s, kBigA, kBigB, add);
}
void BM_MulSmall(benchmark::State& s) {
  run_binary(s, kSmallA, kSmallB, multiply);
}
void BM_MulBig(benchmark::State& s) {
  run_binary(s, kBigA, kBigB, multiply);
}
// An exact quotient that fits 64 bits: the 128-bit division core, no cpp_int.
void BM_DivSmallExact(benchmark::State& s) {
  run_binary(s, "1234.50", "5", divide);
}
// 1/3 needs 28 digits, so the result itself is big.
void BM_DivSmallInexact(benchmark::State& s) {
  run_binary(s, "1", "3", divide);
}
void BM_DivBig(benchmark::State& s) {
  run_binary(s, kBigA, kBigB, divide);
}

void BM_RoundSmall(benchmark::State& state) {
  Decimal x = parsed("2.675");
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    auto result = x.rounded(2, tally::RoundingMode::half_even);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void run_parse(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    auto result = Decimal::parse(text);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void run_print(benchmark::State& state, const char* text) {
  Decimal d = parsed(text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(d);
    std::string result = d.to_string();
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseSmall(benchmark::State& s) {
  run_parse(s, "-12345.67");
}
void BM_ParseBig(benchmark::State& s) {
  run_parse(s, kBigA);
}
void BM_PrintSmall(benchmark::State& s) {
  run_print(s, "-12345.67");
}
void BM_PrintBig(benchmark::State& s) {
  run_print(s, kBigA);
}

}  // namespace

BENCHMARK(BM_AddSmall);
BENCHMARK(BM_AddBig);
BENCHMARK(BM_MulSmall);
BENCHMARK(BM_MulBig);
BENCHMARK(BM_DivSmallExact);
BENCHMARK(BM_DivSmallInexact);
BENCHMARK(BM_DivBig);
BENCHMARK(BM_RoundSmall);
BENCHMARK(BM_ParseSmall);
BENCHMARK(BM_ParseBig);
BENCHMARK(BM_PrintSmall);
BENCHMARK(BM_PrintBig);

BENCHMARK_MAIN();
