// `tally history [PLAN] PAYEE`: a payee's timeline in the payout ledger
// (docs/ledger.md): what each run calculated, the adjustments posted, and
// what each close froze as paid.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "interpreter/runtime/spelling.hpp"
#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/ledger_export.hpp"
#include "repl/ledger_location.hpp"
#include "repl/ledger_messages.hpp"

namespace tally::cli {

namespace {

struct HistoryArgs {
  std::vector<std::string> positionals;
  std::string ledger;
  std::string format = "text";
};

int show_history(const HistoryArgs& args) {
  auto target = locate_ledger(args.positionals, args.ledger, "PAYEE");
  if (!target) {
    print_ledger_errors("history", target.errors());
    return kExitUsage;
  }
  ledger::OpenOptions open;
  open.create = false;
  auto book = ledger::Ledger::open(target->path, open);
  if (!book) {
    print_ledger_errors("history", book.errors());
    return kExitPlanError;
  }
  auto lines = book->history(target->argument);
  if (!lines) {
    print_ledger_errors("history", lines.errors());
    return kExitPlanError;
  }
  if (lines->empty()) {
    auto payees = book->payees();
    std::string hint;
    if (payees)
      if (auto near = closest_match(target->argument, *payees))
        hint = "did you mean " + *near + "?";
    print_ledger_errors(
        "history", {Error{{book->path(), 0, 0, 0},
                          "payee " + target->argument + " has no row in the ledger " + book->path(),
                          hint}});
    return kExitPlanError;
  }
  if (args.format == "csv") {
    std::cout << "at,kind,period,origin_period,component,amount,run_id\n";
    for (const auto& l : *lines)
      std::cout << l.at_utc << "," << l.kind << "," << csv_field(l.period) << ","
                << csv_field(l.origin_period) << "," << csv_field(l.component) << "," << l.amount
                << "," << l.run_id << "\n";
    return kExitOk;
  }
  if (args.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& l : *lines)
      out.push_back({{"at", l.at_utc},
                     {"kind", l.kind},
                     {"period", l.period},
                     {"origin_period", l.origin_period},
                     {"component", l.component},
                     {"amount", l.amount},
                     {"run_id", l.run_id}});
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "history of " << target->argument << " in " << book->path() << "\n";
  for (const auto& l : *lines) {
    std::cout << "  " << l.at_utc << "  " << l.kind << "  " << l.period << "  " << l.component
              << "  " << l.amount;
    if (l.origin_period != l.period) std::cout << "  (for " << l.origin_period << ")";
    std::cout << "  run #" << l.run_id << "\n";
  }
  return kExitOk;
}

}  // namespace

Command add_history_command(CLI::App& app) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* sub = app.add_subcommand(
      "history",
      "A payee's history in the payout ledger: calculated, adjusted and paid, in time order");
  sub->add_option("args", args->positionals,
                  "[PLAN] PAYEE: the ledger is tally.db beside PLAN (or --ledger, or ./tally.db)")
      ->required()
      ->expected(1, 2);
  sub->add_option("--ledger", args->ledger, "The ledger file (default: tally.db beside the plan)");
  sub->add_option("--format", args->format, "text (default), csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}));
  return {sub, [args](const Engine&) { return show_history(*args); }};
}

}  // namespace tally::cli
