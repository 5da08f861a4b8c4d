// The stages of a run of bench/workload/plan.tally over kDeals generated
// deals shaped like ../shared/bench/gen.py's (direct, overlay and two
// roll-up levels per won deal): each stage timed alone, and one whole run
// through tally::Engine. For a stage, every iteration builds a fresh
// RunState and runs the stages before it (in Engine::run's order) with the
// timer paused, so only the stage under test is measured.
//   load        deal rows/s (and bytes/s of all four files)
//   credit      deal rows/s (every row is tested; about 35% are won)
//   aggregate   credits/s
//   credit and fold, in slices (a run loaded whole that keeps no credits)
//               deal rows/s
//   payouts     payee-periods/s
//   whole run   deal rows/s, end to end, payouts table only
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/workload_data.hpp"
#include "interpreter/fx_rates.hpp"
#include "interpreter/run_stages.hpp"
#include "interpreter/run_state.hpp"
#include "interpreter/streaming.hpp"
#include "tally/tally.hpp"

namespace {

using tally::RunState;

constexpr std::size_t kDeals = 100'000;

struct Workload {
  tally::bench::ScratchDir dir{"tally_run_stages_bench"};
  tally::Engine engine;
  std::shared_ptr<const tally::Plan> plan;
  std::string problem;  // why the plan did not compile, or ""
  tally::RunOptions options;
  std::int64_t bytes = 0;  // of the four files

  Workload() {
    tally::bench::write_workload(dir.path(), kDeals, 42);
    for (const auto& file : std::filesystem::directory_iterator(dir.path()))
      bytes += static_cast<std::int64_t>(file.file_size());
    options.data_dir = dir.path().string();
    options.credits_table = false;
    options.measures_table = false;
    auto compiled = engine.compile_file(TALLY_SOURCE_DIR "/bench/workload/plan.tally");
    plan = compiled.plan;
    if (!plan)
      problem = compiled.messages.empty() ? "the plan did not compile"
                                          : compiled.messages.front().rendered;
  }
};

Workload& workload() {
  static Workload w;
  return w;
}

/// The stages of Engine::run (interpreter/api.cpp), in its order.
struct Stage {
  const char* name;
  std::function<void(RunState&)> run;
};

std::vector<Stage> stages(const tally::RunOptions& options) {
  return {
      {"load", [&](RunState& s) { tally::load_sources(s, options); }},
      {"fx", [](RunState& s) { tally::load_fx_rates(s); }},
      {"territories", [&](RunState& s) { tally::resolve_territories(s, options); }},
      {"tables before crediting", [](RunState& s) { tally::fill_tables_before_crediting(s); }},
      {"credit", [](RunState& s) { tally::credit_transactions(s); }},
      {"territory gaps", [](RunState& s) { tally::report_territory_gaps(s); }},
      {"periods", [&](RunState& s) { tally::choose_periods(s, options); }},
      {"tables", [](RunState& s) { tally::fill_tables(s); }},
      {"clawbacks", [](RunState& s) { tally::find_clawbacks(s); }},
      {"aggregate", [](RunState& s) { tally::aggregate_credits(s); }},
      {"payouts",
       [](RunState& s) {
         tally::ResultTable payouts;
         tally::ResultTable measures;
         tally::Decimal total;
         tally::compute_payouts(s, payouts, measures, total);
         benchmark::DoNotOptimize(total);
       }},
  };
}

std::size_t deal_rows(const RunState& s) {
  for (const tally::Table& table : s.tables)
    if (table.name == "deals") return table.rows;
  return 0;
}

/// Times stage `name` alone; `items` counts what it processed, from the
/// state after it.
void run_stage(benchmark::State& state, const std::string& name,
               const std::function<std::size_t(const RunState&)>& items) {
  Workload& w = workload();
  if (!w.plan) {
    state.SkipWithError(w.problem.c_str());
    return;
  }
  const std::vector<Stage> all = stages(w.options);
  std::size_t processed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto run = std::make_unique<RunState>(*w.plan);
    bool found = false;
    for (const Stage& stage : all) {
      if (name == stage.name) {
        found = true;
        state.ResumeTiming();
        stage.run(*run);
        state.PauseTiming();
        break;
      }
      stage.run(*run);
      if (!run->errors.empty()) break;
    }
    if (!found || !run->errors.empty()) {
      state.SkipWithError(found ? run->errors.front().message.c_str() : "no such stage");
      state.ResumeTiming();
      break;
    }
    processed += items(*run);
    run.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(processed));
}

void BM_Load(benchmark::State& state) {
  run_stage(state, "load", deal_rows);
  state.SetBytesProcessed(state.iterations() * workload().bytes);
}

void BM_Credit(benchmark::State& state) {
  std::size_t rows = 0;
  std::size_t credits = 0;
  run_stage(state, "credit", [&](const RunState& s) {
    rows = deal_rows(s);
    credits = s.credits.size();
    return rows;
  });
  if (rows > 0)
    state.counters["credits_per_row"] = static_cast<double>(credits) / static_cast<double>(rows);
}

void BM_Aggregate(benchmark::State& state) {
  run_stage(state, "aggregate", [](const RunState& s) { return s.credits.size(); });
}

void BM_Payouts(benchmark::State& state) {
  run_stage(state, "payouts", [](const RunState& s) { return s.payee_count() * s.periods.size(); });
}

/// Crediting and folding together, as a run loaded whole that keeps no
/// credits does (interpreter/streaming.cpp, fold_while_crediting), in
/// slices of state.range(0) rows: 4,096 make 25 slices, folded as the
/// credits are made (line_fold.cpp); 8,192 make 13, credited and folded
/// in turns (fewer than kFoldLinesSlices).
void BM_FoldWhileCrediting(benchmark::State& state) {
  Workload& w = workload();
  if (!w.plan) {
    state.SkipWithError(w.problem.c_str());
    return;
  }
  const auto slice_rows = static_cast<std::size_t>(state.range(0));
  const std::vector<Stage> all = stages(w.options);
  std::size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto run = std::make_unique<RunState>(*w.plan);
    for (const Stage& stage : all) {
      if (std::string(stage.name) == "credit" || !run->errors.empty()) break;
      stage.run(*run);
    }
    if (!run->errors.empty()) {
      state.SkipWithError(run->errors.front().message.c_str());
      state.ResumeTiming();
      break;
    }
    tally::StreamedAggregates totals(*run);
    state.ResumeTiming();
    const bool folded = tally::fold_while_crediting(*run, totals, slice_rows);
    state.PauseTiming();
    if (!folded) {
      state.SkipWithError("the slices met an error");
      state.ResumeTiming();
      break;
    }
    rows += deal_rows(*run);
    run.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows));
  state.SetLabel(slice_rows == 4'096 ? "folded as made" : "folded in turns");
}

void BM_WholeRun(benchmark::State& state) {
  Workload& w = workload();
  if (!w.plan) {
    state.SkipWithError(w.problem.c_str());
    return;
  }
  for (auto _ : state) {
    tally::RunResult result = w.engine.run(*w.plan, w.options);
    if (!result.ok) {
      state.SkipWithError(result.messages.empty() ? "the run failed"
                                                  : result.messages.front().rendered.c_str());
      break;
    }
    benchmark::DoNotOptimize(result.payouts.rows.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kDeals));
  state.SetBytesProcessed(state.iterations() * w.bytes);
}

}  // namespace

BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Credit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Aggregate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FoldWhileCrediting)
    ->ArgName("slice_rows")
    ->Arg(4'096)
    ->Arg(8'192)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Payouts)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WholeRun)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
