// `tally close [PLAN] PERIOD`: freezes a period's latest run as paid in the
// ledger (docs/ledger.md). Refused while that run has errors.
#include <iostream>
#include <memory>

#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/ledger_location.hpp"
#include "repl/ledger_messages.hpp"

namespace tally::cli {

namespace {

struct CloseArgs {
  std::vector<std::string> positionals;
  std::string ledger;
  std::string reason;
};

int close_period(const CloseArgs& args) {
  auto target = locate_ledger(args.positionals, args.ledger, "PERIOD");
  if (!target) {
    print_ledger_errors("close", target.errors());
    return kExitUsage;
  }
  ledger::OpenOptions open;
  open.create = false;
  auto book = ledger::Ledger::open(target->path, open);
  if (!book) {
    print_ledger_errors("close", book.errors());
    return kExitPlanError;
  }
  auto event = book->close(target->argument, ledger_user(), utc_timestamp(), args.reason);
  if (!event) {
    print_ledger_errors("close", event.errors());
    return kExitPlanError;
  }
  auto paid = book->paid(target->argument);
  std::cout << "closed " << event->period << ": run #" << event->run_id.value_or(0)
            << " frozen as paid (" << (paid ? paid->size() : 0) << " rows) in " << book->path()
            << "\n";
  return kExitOk;
}

}  // namespace

Command add_close_command(CLI::App& app) {
  auto args = std::make_shared<CloseArgs>();
  CLI::App* sub = app.add_subcommand(
      "close",
      "Close a period of the payout ledger: freeze its latest run's payouts and adjustments as "
      "paid (refused while that run has errors)");
  sub->add_option("args", args->positionals,
                  "[PLAN] PERIOD: the ledger is tally.db beside PLAN (or --ledger, or ./tally.db)")
      ->required()
      ->expected(1, 2);
  sub->add_option("--ledger", args->ledger, "The ledger file (default: tally.db beside the plan)");
  sub->add_option("--reason", args->reason, "Why it closes (recorded; optional)");
  return {sub, [args](const Engine&) { return close_period(*args); }};
}

}  // namespace tally::cli
