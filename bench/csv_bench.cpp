// CSV loading throughput through the engine's public loading path
// (tally::load_table), per column type, and on a whole deals file shaped
// like ../shared/bench/gen.py's. Each single-type file has one column of
// kRows values, so the time is that type's parsing plus the per-row cost of
// splitting records. The files are generated once, with a fixed seed, in a
// temporary directory removed at exit; reads hit the page cache. Bytes per
// second count the whole file; items are rows.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "bench/workload_data.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"

namespace {

using tally::Kind;
using tally::Type;
using tally::bench::ScratchDir;

constexpr std::size_t kRows = 200'000;
constexpr std::size_t kDeals = 100'000;

ScratchDir& scratch() {
  static ScratchDir dir("tally_csv_bench");
  return dir;
}

/// Writes `name`.csv: a header `value` and kRows values from `make`.
std::filesystem::path one_column_file(const std::string& name,
                                      const std::function<std::string(std::mt19937_64&)>& make) {
  const auto path = scratch().path() / (name + ".csv");
  if (std::filesystem::exists(path)) return path;
  std::mt19937_64 rng(42);
  std::ofstream out(path, std::ios::binary);
  out << "value\n";
  for (std::size_t i = 0; i < kRows; ++i) out << make(rng) << '\n';
  return path;
}

tally::SourceSchema one_column_schema(Type type) {
  tally::SourceSchema schema;
  schema.name = "values";
  schema.fields.push_back(tally::FieldSpec{});
  schema.fields.back().name = "value";
  schema.fields.back().type = std::move(type);
  return schema;
}

void load_repeatedly(benchmark::State& state, const tally::SourceSchema& schema,
                     const std::filesystem::path& path) {
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  std::size_t rows = 0;
  for (auto _ : state) {
    // A fresh symbol table per load, as a run has: interning is part of the cost.
    tally::SymbolTable symbols;
    auto table = tally::load_table(schema, path.string(), symbols);
    if (!table) {
      state.SkipWithError(table.errors().front().message.c_str());
      return;
    }
    rows = table->rows;
    benchmark::DoNotOptimize(table->columns.data());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows));
}

void run_one_column(benchmark::State& state, const std::string& name, Type type,
                    const std::function<std::string(std::mt19937_64&)>& make) {
  load_repeatedly(state, one_column_schema(std::move(type)), one_column_file(name, make));
}

void BM_Int(benchmark::State& state) {
  run_one_column(state, "int", Type::of(Kind::integer),
                 [](std::mt19937_64& rng) { return std::to_string(rng() % 1'000'000'000); });
}

// Deal amounts as gen.py writes them: dollars and two-digit cents.
void BM_Money(benchmark::State& state) {
  run_one_column(state, "money", Type::money_in("USD"), [](std::mt19937_64& rng) {
    return tally::bench::money_text(tally::bench::deal_cents(rng));
  });
}

// Margins as gen.py writes them: 5.00 to 60.00.
void BM_Decimal(benchmark::State& state) {
  run_one_column(state, "decimal", Type::of(Kind::decimal), [](std::mt19937_64& rng) {
    return tally::bench::money_text(static_cast<std::int64_t>(500 + rng() % 5501));
  });
}

void BM_Date(benchmark::State& state) {
  run_one_column(state, "date", Type::of(Kind::date), [](std::mt19937_64& rng) {
    return tally::bench::date_text(static_cast<int>(rng() % 365));
  });
}

// Low cardinality: every value is one of the 50 state codes.
void BM_TextStates(benchmark::State& state) {
  run_one_column(state, "text_states", Type::of(Kind::text),
                 [](std::mt19937_64& rng) { return tally::bench::us_states()[rng() % 50]; });
}

// High cardinality: every value is new (an opportunity id), so each one is
// interned.
void BM_TextUniqueIds(benchmark::State& state) {
  run_one_column(state, "text_ids", Type::of(Kind::text), [n = std::uint64_t{0}](auto&) mutable {
    return "OPP-" + std::to_string(1'000'000 + n++);
  });
}

// Payee ids as deals.csv's owner column holds them: 1,000 distinct reps.
void BM_PayeeIds(benchmark::State& state) {
  run_one_column(state, "payee_ids", Type::of(Kind::payee),
                 [](std::mt19937_64& rng) { return std::to_string(rng() % 1000 + 1); });
}

/// The deals source of bench/workload/plan.tally: 8 of the file's 10 columns.
tally::SourceSchema deals_schema() {
  tally::SourceSchema schema;
  schema.name = "deals";
  auto field = [&](std::string name, Type type, std::string from = "") {
    tally::FieldSpec spec;
    spec.name = std::move(name);
    spec.type = std::move(type);
    spec.from = std::move(from);
    schema.fields.push_back(std::move(spec));
  };
  field("id", Type::of(Kind::integer), "deal_id");
  schema.fields.back().key = true;
  field("close_date", Type::of(Kind::date));
  field("owner", Type::of(Kind::payee), "owner_rep_id");
  field("account_state", Type::of(Kind::text));
  field("segment", Type::of(Kind::text));
  field("deal_type", Type::of(Kind::text));
  field("stage", Type::of(Kind::text));
  field("amount", Type::money_in("USD"));
  return schema;
}

void BM_DealsFile(benchmark::State& state) {
  const auto path = scratch().path() / "deals.csv";
  if (!std::filesystem::exists(path)) tally::bench::write_deals(path, kDeals, 42);
  load_repeatedly(state, deals_schema(), path);
}

}  // namespace

BENCHMARK(BM_Int)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Money)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decimal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Date)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextStates)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextUniqueIds)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PayeeIds)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DealsFile)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
