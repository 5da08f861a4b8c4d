// `tally reopen [PLAN] PERIOD --reason TEXT`: reopens a closed period of the
// ledger (docs/ledger.md), recording who, when and why.
#include <iostream>
#include <memory>

#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/ledger_location.hpp"
#include "repl/ledger_messages.hpp"

namespace tally::cli {

namespace {

struct ReopenArgs {
  std::vector<std::string> positionals;
  std::string ledger;
  std::string reason;
};

int reopen_period(const ReopenArgs& args) {
  auto target = locate_ledger(args.positionals, args.ledger, "PERIOD");
  if (!target) {
    print_ledger_errors("reopen", target.errors());
    return kExitUsage;
  }
  ledger::OpenOptions open;
  open.create = false;
  auto book = ledger::Ledger::open(target->path, open);
  if (!book) {
    print_ledger_errors("reopen", book.errors());
    return kExitPlanError;
  }
  auto event = book->reopen(target->argument, ledger_user(), utc_timestamp(), args.reason);
  if (!event) {
    print_ledger_errors("reopen", event.errors());
    return kExitPlanError;
  }
  std::cout << "reopened " << event->period << " (" << event->reason << ") in " << book->path()
            << "\n";
  return kExitOk;
}

}  // namespace

Command add_reopen_command(CLI::App& app) {
  auto args = std::make_shared<ReopenArgs>();
  CLI::App* sub = app.add_subcommand(
      "reopen", "Reopen a closed period of the payout ledger; the reason is recorded");
  sub->add_option("args", args->positionals,
                  "[PLAN] PERIOD: the ledger is tally.db beside PLAN (or --ledger, or ./tally.db)")
      ->required()
      ->expected(1, 2);
  sub->add_option("--ledger", args->ledger, "The ledger file (default: tally.db beside the plan)");
  sub->add_option("--reason", args->reason, "Why it reopens (required; recorded)")->required();
  return {sub, [args](const Engine&) { return reopen_period(*args); }};
}

}  // namespace tally::cli
