// `tally run`: runs a plan over its data, writes the result tables and prints a summary.
#include <chrono>
#include <iostream>
#include <memory>

#include "repl/command.hpp"
#include "repl/summary.hpp"

namespace tally::cli {

namespace {

struct RunArgs {
  std::string plan;
  std::string data = ".";
  std::string out;
  std::vector<std::string> binds;
  std::string from;
  std::string to;
  bool quiet = false;
  bool lenient = false;
  std::vector<std::string> outputs;
  bool timings = false;
};

int run(const Engine& engine, const RunArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  for (const auto& bind : args.binds) {
    const auto eq = bind.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == bind.size()) {
      std::cerr << "tally run: error: --bind expects NAME=PATH, found \"" << bind << "\"\n";
      return kExitUsage;
    }
    options.bindings[bind.substr(0, eq)] = bind.substr(eq + 1);
  }
  if (!args.from.empty()) options.first_period = args.from;
  if (!args.to.empty()) options.last_period = args.to;
  options.lenient = args.lenient;
  if (!args.outputs.empty()) {
    options.credits_table = options.measures_table = false;
    for (const auto& name : args.outputs) {
      if (name == "credits") options.credits_table = true;
      if (name == "measures") options.measures_table = true;
    }
  }

  const auto started = std::chrono::steady_clock::now();
  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  const auto compiled_at = std::chrono::steady_clock::now();
  const auto result = engine.run(*compiled.plan, options);
  print_messages(result.messages);
  if (!result.ok) return kExitPlanError;
  const auto ran_at = std::chrono::steady_clock::now();
  if (!args.out.empty()) {
    const auto written = write_outputs(result, args.out);
    print_messages(written);
    if (has_errors(written)) return kExitPlanError;
  }
  if (args.timings) {
    auto seconds = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    std::vector<RunSummary::Stage> stages = {{"compile", seconds(started, compiled_at), 0}};
    stages.insert(stages.end(), result.summary.stages.begin(), result.summary.stages.end());
    stages.push_back({"write", seconds(ran_at, std::chrono::steady_clock::now()),
                      result.summary.stages.empty() ? 0 : result.summary.stages.back().peak_mb});
    std::cerr << cli::format_timings(stages);
  }
  if (!args.quiet) std::cout << cli::format_summary(result, args.plan, args.out);
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd =
      app.add_subcommand("run", "Run a plan over data and write payouts, credits and measures");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", args->out,
                  "Folder to write payouts.csv, credits.csv and measures.csv");
  cmd->add_option("--bind,-b", args->binds, "Bind a source to a file: NAME=PATH (repeatable)");
  cmd->add_option("--from", args->from, "First period to pay, e.g. 2026-Q1");
  cmd->add_option("--to", args->to, "Last period to pay, e.g. 2026-Q4");
  cmd->add_flag("--quiet,-q", args->quiet, "Print no summary");
  cmd->add_option("--outputs", args->outputs,
                  "Tables to write: payouts plus any of credits, measures (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"payouts", "credits", "measures"}));
  cmd->add_flag("--timings", args->timings, "Print the wall time of each stage to stderr");
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings: leave out the rows or credits concerned and "
                "list them in rejects.csv");

  return {cmd, [args](const Engine& engine) { return run(engine, *args); }};
}

}  // namespace tally::cli
