// The pieces every `tally` command shares: exit codes, how messages are
// printed, and how a command registers itself with the command line.
//
// Each command owns one file (cmd_run.cpp, cmd_explain.cpp, ...) with one
// `add_*_command` function: it declares its flags on a CLI11 subcommand and
// returns what to do when that subcommand is chosen. main.cpp only lists them.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

constexpr int kExitOk = 0;
constexpr int kExitPlanError = 1;  ///< the plan or the data has an error
constexpr int kExitUsage = 2;      ///< the command line is wrong

/// Prints each message's full rendering to stderr.
void print_messages(const std::vector<Message>& messages);

/// A registered subcommand and what runs when it is chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int(const Engine&)> run;
};

Command add_check_command(CLI::App& app);
Command add_fmt_command(CLI::App& app);
Command add_run_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_disasm_command(CLI::App& app);
Command add_test_command(CLI::App& app);
Command add_explain_command(CLI::App& app);
Command add_diff_command(CLI::App& app);
Command add_statements_command(CLI::App& app);
Command add_repl_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_territories_command(CLI::App& app);
Command add_forecast_command(CLI::App& app);
Command add_close_command(CLI::App& app);
Command add_reopen_command(CLI::App& app);
Command add_history_command(CLI::App& app);
Command add_ledger_command(CLI::App& app);

}  // namespace tally::cli
