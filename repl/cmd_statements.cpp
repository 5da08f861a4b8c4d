// `tally statements`: one HTML statement per payee and period, and an index,
// from one run of the plan and one explain_many (statement_data.hpp).
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "repl/command.hpp"
#include "repl/data_flags.hpp"
#include "repl/page_date.hpp"
#include "repl/statement_data.hpp"
#include "repl/statement_output.hpp"

namespace tally::cli {

namespace {

struct StatementsArgs {
  std::string plan;
  std::string data = ".";
  std::string out;
  std::vector<std::string> binds;
  std::vector<std::string> periods;
  std::vector<std::string> payees;
  bool lenient = false;
  bool quiet = false;
  bool timings = false;
};

int run(const Engine& engine, const StatementsArgs& args) {
  RunOptions options;
  options.data_dir = args.data;
  if (auto bad = add_bindings(args.binds, options.bindings)) {
    std::cerr << "tally statements: error: " << *bad << "\n";
    return kExitUsage;
  }
  options.lenient = args.lenient;
  const auto generated = generated_date();
  if (!generated) {
    std::cerr << "tally statements: error: SOURCE_DATE_EPOCH must be a number of seconds, found \""
              << std::getenv("SOURCE_DATE_EPOCH") << "\"\n";
    return kExitUsage;
  }

  const auto started = std::chrono::steady_clock::now();
  const auto compiled = engine.compile_file(args.plan);
  print_messages(compiled.messages);
  if (!compiled.plan) return kExitPlanError;
  std::string title = engine.plan_name(*compiled.plan);
  if (title.empty()) title = args.plan;

  StatementFilter filter;
  filter.payees = args.payees;
  filter.periods = args.periods;
  const auto gathered =
      gather_statements(engine, *compiled.plan, options, filter, title, *generated);
  print_messages(gathered.messages);
  if (!gathered.ok) return kExitPlanError;
  const auto write_started = std::chrono::steady_clock::now();
  const auto written = write_statements(gathered.book, args.out);
  print_messages(written);
  if (has_errors(written)) return kExitPlanError;
  if (args.timings) {
    for (const auto& [step, seconds] : gathered.timings)
      std::cerr << std::left << std::setw(20) << step << std::right << std::fixed
                << std::setprecision(3) << seconds << " s\n";
    std::cerr
        << std::left << std::setw(20) << "write" << std::right << std::fixed << std::setprecision(3)
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - write_started).count()
        << " s\n";
  }
  if (!args.quiet) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto& book = gathered.book;
    std::cout << "Wrote " << book.statements.size() << " statements (" << book.payees.size()
              << (book.payees.size() == 1 ? " payee" : " payees") << " x " << book.periods.size()
              << (book.periods.size() == 1 ? " period" : " periods") << ") and index.html to "
              << args.out << " in " << std::fixed << std::setprecision(2) << seconds << " s\n";
  }
  return kExitOk;
}

}  // namespace

Command add_statements_command(CLI::App& app) {
  auto args = std::make_shared<StatementsArgs>();
  auto* cmd = app.add_subcommand(
      "statements",
      "Write one HTML statement per payee and period (pay, attainment, tiers, measures, credited "
      "deals) and an index.html");
  cmd->add_option("plan", args->plan, "The plan file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data,-d", args->data, "Folder where each source NAME is NAME.csv or NAME.json")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", args->out,
                  "Folder to write index.html and PAYEE/PERIOD.html into (created if missing)")
      ->required();
  add_bind_option(cmd, args->binds);
  cmd->add_option("--period,-p", args->periods,
                  "Only these periods of the run: a label (2026-Q1) or a range (2026-Q1..2026-Q2); "
                  "repeatable or comma-separated")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--payee", args->payees,
                  "Only these payees (roster ids; repeatable or comma-separated)")
      ->delimiter(',')
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--lenient", args->lenient,
                "Turn data errors into warnings: leave out the rows or credits concerned");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing on success");
  cmd->add_flag("--timings", args->timings,
                "Print the wall time of each step (run, explain, write) to stderr");
  return {cmd, [args](const Engine& engine) { return run(engine, *args); }};
}

}  // namespace tally::cli
