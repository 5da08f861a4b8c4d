// `tally diff`: what-if modelling. Runs two plans on the same data and shows
// how the pay moves from the first to the second: in total, per component,
// per role, per payee, and who moves by more than a threshold.
#include <iostream>
#include <memory>

#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/diff_report.hpp"
#include "repl/period_flag.hpp"
#include "tally/plan_diff.hpp"

namespace tally::cli {

namespace {

/// Payees listed in the text report (--json lists all).
constexpr std::size_t kPayeesShown = 20;

struct DiffArgs {
  std::string before;
  std::string after;
  std::string data = ".";
  std::vector<std::string> binds;
  std::string threshold = "10%";
  std::string period;
  bool lenient = false;
  bool json = false;
};

void usage_error(const std::string& text) {
  std::cerr << "tally diff: error: " << text << "\n";
}

/// Compiles one plan; its errors name its file.
std::shared_ptr<const Plan> compile(const Engine& engine, const std::string& path) {
  auto compiled = engine.compile_file(path);
  print_messages(compiled.messages);
  return compiled.plan;
}

int diff(const Engine& engine, const DiffArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  options.lenient = args.lenient;
  options.credits_table = options.measures_table = false;
  if (auto bad = add_bindings(args.binds, options.bindings)) {
    usage_error(*bad);
    return kExitUsage;
  }
  const auto threshold = parse_threshold(args.threshold);
  if (!threshold) {
    usage_error("--threshold expects a percentage like 10% or an amount like 500, found \"" +
                args.threshold + "\"");
    return kExitUsage;
  }
  if (const auto error = read_period_flag(args.period, options)) {
    usage_error(*error);
    return kExitUsage;
  }

  // Both plans are checked, so the errors of each are seen at once.
  const auto before = compile(engine, args.before);
  const auto after = compile(engine, args.after);
  if (!before || !after) return kExitPlanError;
  const auto differences = compare_sources(*before, args.before, *after, args.after);
  if (!differences.empty()) {
    std::cerr << "tally diff: the plans do not read the data alike, so their pay cannot be "
                 "compared:\n";
    print_messages(differences);
    return kExitPlanError;
  }
  const RunResult run_before = engine.run(*before, options);
  if (!run_before.ok) {
    std::cerr << "tally diff: the run of " << args.before << " failed:\n";
    print_messages(run_before.messages);
    return kExitPlanError;
  }
  const RunResult run_after = engine.run(*after, options);
  if (!run_after.ok) {
    std::cerr << "tally diff: the run of " << args.after << " failed:\n";
    print_messages(run_after.messages);
    return kExitPlanError;
  }
  print_messages(run_before.messages);  // warnings
  print_messages(run_after.messages);
  const PlanDiff result = diff_runs(*before, run_before, *after, run_after, *threshold);
  DiffHeading heading{args.before, args.after, "", args.threshold};
  const auto& periods = run_before.summary.paid_by_period.empty()
                            ? run_after.summary.paid_by_period
                            : run_before.summary.paid_by_period;
  if (!periods.empty())
    heading.periods = periods.size() == 1 ? periods.front().first
                                          : periods.front().first + ".." + periods.back().first;
  if (args.json)
    std::cout << diff_json(result, heading).dump(2) << "\n";
  else
    std::cout << format_diff(result, heading, kPayeesShown);
  return kExitOk;
}

}  // namespace

Command add_diff_command(CLI::App& app) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand(
      "diff", "Run two plans on the same data and show how the pay moves (what-if)");
  cmd->add_option("before", args->before, "The current plan file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("after", args->after, "The proposed plan file")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  add_bind_option(cmd, args->binds);
  cmd->add_option("--threshold", args->threshold,
                  "List the payees whose pay moves by more than this: 10% (of their pay under "
                  "the first plan) or 500 (in the plan currency); default 10%");
  cmd->add_option("--period", args->period,
                  "Compare these periods only: 2026-Q1 or 2026-Q1..2026-Q4 (default: every "
                  "period the runs pay)");
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings and leave out the rows or credits concerned");
  cmd->add_flag("--json", args->json, "Print the comparison as JSON on stdout, every payee listed");
  return {cmd, [args](const Engine& engine) { return diff(engine, *args); }};
}

}  // namespace tally::cli
