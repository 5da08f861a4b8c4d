// `tally run`: runs a plan over its data, writes the result tables and prints a summary.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/ledger_messages.hpp"
#include "repl/ledger_run.hpp"
#include "repl/period_flag.hpp"
#include "repl/progress.hpp"
#include "repl/summary.hpp"

namespace tally::cli {

namespace {

struct RunArgs {
  std::string plan;
  std::string data = ".";
  std::string out;
  std::vector<std::string> binds;
  std::string period;
  std::string from;
  std::string to;
  std::vector<std::string> payees;
  std::string format = "csv";
  bool quiet = false;
  bool lenient = false;
  std::vector<std::string> outputs;
  bool timings = false;
  unsigned threads = 0;
  StreamFlags streaming;
  bool use_ledger = false;  ///< --ledger was given (with or without a path)
  std::string ledger;       ///< its path; empty: tally.db beside the plan
};

int usage_error(const std::string& text) {
  std::cerr << "tally run: error: " << text << "\n";
  return kExitUsage;
}

/// Sets the periods paid from --period (`A..B`, `A..`, `..B` or `A`) or
/// --from/--to; giving both forms is a usage error. The labels themselves
/// are checked by the run against the plan's calendar.
int choose_periods(const RunArgs& args, RunOptions& options) {
  if (!args.period.empty() && (!args.from.empty() || !args.to.empty()))
    return usage_error("give the periods either as --period or as --from/--to, not both");
  if (args.period.empty()) {
    if (!args.from.empty()) options.first_period = args.from;
    if (!args.to.empty()) options.last_period = args.to;
    return kExitOk;
  }
  if (const auto error = read_period_flag(args.period, options)) return usage_error(*error);
  return kExitOk;
}

/// The run checks the labels under the names --from and --to; when the user
/// gave --period, its messages name --period, once for `--period A`.
std::vector<Message> as_period_messages(const std::vector<Message>& messages) {
  std::vector<Message> out;
  for (Message m : messages) {
    for (const char* flag : {"--from ", "--to "}) {
      const std::string prefix = flag;
      if (m.text.rfind(prefix, 0) != 0) continue;
      const std::string renamed = "--period " + m.text.substr(prefix.size());
      if (const auto at = m.rendered.find(m.text); at != std::string::npos)
        m.rendered.replace(at, m.text.size(), renamed);
      m.text = renamed;
    }
    const bool repeated = std::any_of(out.begin(), out.end(),
                                      [&](const Message& o) { return o.rendered == m.rendered; });
    if (!repeated) out.push_back(std::move(m));
  }
  return out;
}

int run(const Engine& engine, const RunArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) return usage_error(*bad);
  if (const int chosen = choose_periods(args, options); chosen != kExitOk) return chosen;
  for (const auto& payee : args.payees) {
    if (payee.empty()) return usage_error("--payee expects roster ids, found an empty one");
    options.payees.push_back(payee);
  }
  if (args.format != "csv" && args.out.empty())
    return usage_error("--format " + args.format + " writes files: give the folder with --out");
  options.lenient = args.lenient;
  options.threads = args.threads;
  if (auto bad = args.streaming.apply(options)) return usage_error(*bad);
  if (!args.outputs.empty()) {
    options.credits_table = options.measures_table = false;
    for (const auto& name : args.outputs) {
      if (name == "credits") options.credits_table = true;
      if (name == "measures") options.measures_table = true;
    }
  }

  std::optional<LedgerRunPlan> ledger_run;
  if (args.use_ledger) {
    if (!options.payees.empty())
      return usage_error("--payee cannot be used with --ledger: a ledger run records every payee");
    std::optional<std::string> single;
    if (options.first_period && options.first_period == options.last_period)
      single = options.first_period;
    auto prepared =
        prepare_ledger_run(ledger::ledger_path(args.plan, args.ledger), args.plan, single);
    if (!prepared) {
      print_ledger_errors("run", prepared.errors());
      return kExitPlanError;
    }
    ledger_run.emplace(std::move(*prepared));
    options.settled = ledger_run->settled;  // balances carried over from closed periods
  }

  ProgressLine progress(!args.quiet);
  if (progress.active())
    options.progress = [&progress](const RunProgress& p) { progress.run_progress(p); };
  const std::string started_utc = utc_timestamp();
  const auto started = std::chrono::steady_clock::now();
  progress.command_stage("compile", 1);
  // A ledger run compiles the version in force for its period, which is
  // today's file unless the file is a version effective after that period.
  const auto compiled = ledger_run ? engine.compile(ledger_run->version.text, args.plan)
                                   : engine.compile_file(args.plan);
  if (!compiled.plan) {
    progress.finish();
    print_messages(compiled.messages);
    return kExitPlanError;
  }
  const auto compiled_at = std::chrono::steady_clock::now();
  const auto result = engine.run(*compiled.plan, options);
  const auto ran_at = std::chrono::steady_clock::now();
  auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  std::vector<Message> written;
  if (result.ok && !args.out.empty()) {
    progress.command_stage(
        "write", ProgressLine::kStepsBefore + static_cast<int>(result.summary.stages.size()) + 1);
    RunRecord record;
    record.plan_path = args.plan;
    record.started_utc = started_utc;
    record.seconds = seconds(started, ran_at);
    record.first_period = options.first_period;
    record.last_period = options.last_period;
    record.payees = options.payees;
    record.lenient = options.lenient;
    const OutputFormat format = args.format == "json"     ? OutputFormat::json
                                : args.format == "sqlite" ? OutputFormat::sqlite
                                                          : OutputFormat::csv;
    written = write_outputs(result, args.out, format, record);
  }
  progress.finish();
  print_messages(compiled.messages);
  print_messages(args.period.empty() ? result.messages : as_period_messages(result.messages));
  if (ledger_run) {
    LedgerRunFacts facts{args.plan, started_utc, &options, compiled.plan.get(), &result};
    auto recorded = record_ledger_run(engine, *ledger_run, facts, args.quiet);
    if (!recorded) {
      print_ledger_errors("run", recorded.errors());
      return kExitPlanError;
    }
  }
  if (!result.ok) return kExitPlanError;
  print_messages(written);
  if (has_errors(written)) return kExitPlanError;
  if (args.timings) {
    std::vector<RunSummary::Stage> stages = {{"compile", seconds(started, compiled_at), 0}};
    stages.insert(stages.end(), result.summary.stages.begin(), result.summary.stages.end());
    stages.push_back({"write", seconds(ran_at, std::chrono::steady_clock::now()),
                      result.summary.stages.empty() ? 0 : result.summary.stages.back().peak_mb});
    std::cerr << cli::format_timings(stages);
  }
  if (!args.quiet) {
    SummaryOptions summary;
    summary.out_dir = args.out;
    summary.format = args.format;
    std::cout << cli::format_summary(result, args.plan, summary);
  }
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "Run a plan over data, print a summary and write payouts, credits and measures");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", args->out,
                  "Folder to write the result tables to (created if missing)");
  cmd->add_option("--format", args->format,
                  "Files written to --out: csv (payouts.csv, ...), json (payouts.json, ..., "
                  "run.json) or sqlite (tally.sqlite)")
      ->check(CLI::IsMember({"csv", "json", "sqlite"}));
  add_bind_option(cmd, args->binds);
  cmd->add_option("--period,-p", args->period,
                  "Periods to pay: one (2026-Q2) or a range (2026-Q1..2026-Q4)");
  cmd->add_option("--from", args->from, "First period to pay, e.g. 2026-Q1 (or use --period)");
  cmd->add_option("--to", args->to, "Last period to pay, e.g. 2026-Q4 (or use --period)");
  cmd->add_option("--payee", args->payees,
                  "Keep only these payees in the outputs and summary (roster ids; repeatable or "
                  "comma-separated); everybody is still computed")
      ->delimiter(',');
  cmd->add_flag("--quiet,-q", args->quiet, "Print no summary and no progress line");
  cmd->add_option("--outputs", args->outputs,
                  "Tables to write: payouts plus any of credits, measures (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"payouts", "credits", "measures"}));
  cmd->add_option("--threads", args->threads,
                  "Threads the run may use (1 = one; default 0 = one per core); results do not "
                  "depend on it")
      ->check(CLI::Range(0u, 1024u));
  cmd->add_flag("--timings", args->timings, "Print the wall time of each stage to stderr");
  args->streaming.add_to(
      cmd, "folding each into the measures, so that memory does not grow with the data");
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings: leave out the rows or credits concerned and "
                "list them in rejects.csv");

  auto* ledger_flag =
      cmd->add_option("--ledger", args->ledger,
                      "Record the run in the payout ledger (docs/ledger.md): PATH, or tally.db "
                      "beside the plan when no PATH is given. Closed periods are not recorded "
                      "again; a later period gets adjustments for them")
          ->expected(0, 1);
  return {cmd, [args, ledger_flag](const Engine& engine) {
            args->use_ledger = ledger_flag->count() > 0;
            return run(engine, *args);
          }};
}

}  // namespace tally::cli
