// `tally explain`: how a payee's pay in one period was computed — every
// payout's formula with its sub-values, tier slices, caps and floors, the
// measures with the credits that fed them, and the rounding — as an indented
// tree, or as JSON for other tools.
#include <chrono>
#include <iostream>
#include <memory>

#include "repl/command.hpp"
#include "repl/summary.hpp"
#include "tally/explain.hpp"
#include "tally/json.hpp"

namespace tally::cli {

namespace {

/// Credits listed under a measure in text unless --all-credits.
constexpr std::size_t kCreditsShown = 20;

struct ExplainArgs {
  std::string plan;
  std::string data = ".";
  std::vector<std::string> binds;
  std::string payee;
  std::string period;
  std::string component;
  bool json = false;
  bool lenient = false;
  bool all_credits = false;
  bool timings = false;
};

int explain(const Engine& engine, const ExplainArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  for (const auto& bind : args.binds) {
    const auto eq = bind.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == bind.size()) {
      std::cerr << "tally explain: error: --bind expects NAME=PATH, found \"" << bind << "\"\n";
      return kExitUsage;
    }
    options.bindings[bind.substr(0, eq)] = bind.substr(eq + 1);
  }
  options.lenient = args.lenient;

  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const auto compiled_at = Clock::now();
  const PayExplanation explained =
      explain_pay(engine, *compiled.plan, options, args.payee, args.period, args.component);
  const auto explained_at = Clock::now();
  print_messages(explained.messages);
  if (!explained.ok) return kExitPlanError;
  if (args.json) {
    nlohmann::json out;
    out["plan"] = args.plan;
    out["payee"] = args.payee;
    out["period"] = explained.period;
    out["component"] = args.component.empty() ? nlohmann::json() : nlohmann::json(args.component);
    out["currency"] = explained.summary.currency;
    out["tree"] = to_json(explained.root);
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << render_explanation(explained.root, args.all_credits ? 0 : kCreditsShown);
  }
  if (args.timings) {
    auto seconds = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    const auto& run_stages = explained.summary.stages;
    std::vector<RunSummary::Stage> stages = {{"compile", seconds(started, compiled_at), 0}};
    stages.insert(stages.end(), run_stages.begin(), run_stages.end());
    double in_run = 0;
    double load = 0;
    for (const auto& stage : run_stages) {
      in_run += stage.seconds;
      if (stage.name == "load") load = stage.seconds;
    }
    // the explain chunk is compiled before the run starts, the trees are
    // built during `payouts`: what the stages do not cover is that setup.
    const double explain_total = seconds(compiled_at, explained_at);
    stages.push_back({"explain setup", std::max(0.0, explain_total - in_run),
                      run_stages.empty() ? 0 : run_stages.back().peak_mb});
    stages.push_back({"print", seconds(explained_at, Clock::now()), stages.back().peak_mb});
    std::cerr << format_timings(stages);
    char line[128];
    std::snprintf(line, sizeof line, "  after load: %.4f s (explain minus compile and load)\n",
                  explain_total - load + stages.back().seconds);
    std::cerr << line;
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain",
                                 "Show how a payee's pay in one period was computed, step by step");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--bind,-b", args->binds, "Bind a source to a file: NAME=PATH (repeatable)");
  cmd->add_option("--payee", args->payee, "The payee's roster id, e.g. ann")->required();
  cmd->add_option("--period", args->period, "The period, e.g. 2026-Q1")->required();
  cmd->add_option("--component,-c", args->component,
                  "Explain only this payout, measure or let (default: every payout of the payee)");
  cmd->add_flag("--json", args->json, "Print the tree as JSON on stdout");
  cmd->add_flag("--all-credits", args->all_credits,
                "List every credit of a measure (text shows the 20 largest, then their count "
                "and total)");
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings and leave out the rows or credits concerned");
  cmd->add_flag("--timings", args->timings,
                "Print the wall time of each stage to stderr, and the time after the load");
  return {cmd, [args](const Engine& engine) { return explain(engine, *args); }};
}

}  // namespace tally::cli
