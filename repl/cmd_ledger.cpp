// `tally ledger export|periods`: reads the payout ledger (docs/ledger.md).
// `export` writes what was paid, for payroll, as CSV or JSON; `periods`
// lists each period's state and its last close or reopen.
#include <fstream>
#include <iostream>
#include <memory>

#include "ledger/ledger.hpp"
#include "repl/command.hpp"
#include "repl/ledger_export.hpp"
#include "repl/ledger_location.hpp"
#include "repl/ledger_messages.hpp"

namespace tally::cli {

namespace {

struct LedgerArgs {
  std::vector<std::string> positionals;
  std::string ledger;
  std::string format = "csv";
  std::string out;
  std::string period;
};

Result<ledger::Ledger> open_existing(const LedgerArgs& args) {
  auto target = locate_ledger(args.positionals, args.ledger, "");
  if (!target) return target.take_errors();
  ledger::OpenOptions open;
  open.create = false;
  return ledger::Ledger::open(target->path, open);
}

int export_paid(const LedgerArgs& args) {
  auto book = open_existing(args);
  if (!book) {
    print_ledger_errors("ledger export", book.errors());
    return kExitPlanError;
  }
  auto rows = args.period.empty() ? book->all_paid() : book->paid(args.period);
  if (!rows) {
    print_ledger_errors("ledger export", rows.errors());
    return kExitPlanError;
  }
  if (!args.period.empty()) {
    auto known = book->period(args.period);
    if (known && (!*known || !(*known)->closed)) {
      print_ledger_errors(
          "ledger export",
          {Error{{book->path(), 0, 0, 0},
                 "period " + args.period + (*known ? " is not closed" : " is not in the ledger") +
                     ", so nothing of it is paid",
                 "close it first: tally close PLAN " + args.period}});
      return kExitPlanError;
    }
  }
  const std::string text = args.format == "json" ? paid_rows_json(*rows) : paid_rows_csv(*rows);
  if (args.out.empty() || args.out == "-") {
    std::cout << text;
    return kExitOk;
  }
  // Written beside and renamed, so payroll never reads half a file.
  const std::string temporary = args.out + ".partial";
  {
    std::ofstream file(temporary, std::ios::binary);
    file << text;
    if (!file) {
      print_ledger_errors("ledger export",
                          {Error{{args.out, 0, 0, 0}, "cannot write " + args.out, ""}});
      return kExitPlanError;
    }
  }
  if (std::rename(temporary.c_str(), args.out.c_str()) != 0) {
    std::remove(temporary.c_str());
    print_ledger_errors("ledger export",
                        {Error{{args.out, 0, 0, 0}, "cannot write " + args.out, ""}});
    return kExitPlanError;
  }
  return kExitOk;
}

int list_periods(const LedgerArgs& args) {
  auto book = open_existing(args);
  if (!book) {
    print_ledger_errors("ledger periods", book.errors());
    return kExitPlanError;
  }
  auto periods = book->periods();
  if (!periods) {
    print_ledger_errors("ledger periods", periods.errors());
    return kExitPlanError;
  }
  std::cout << "period\tstate\tlatest_run\tlast_action\tuser\tat\treason\n";
  for (const auto& p : *periods)
    std::cout << p.label << "\t" << (p.closed ? "closed" : "open") << "\t"
              << (p.latest_run ? std::to_string(*p.latest_run) : std::string("-")) << "\t"
              << (p.last_action.empty() ? "-" : p.last_action) << "\t" << p.last_user << "\t"
              << p.last_at_utc << "\t" << p.last_reason << "\n";
  return kExitOk;
}

}  // namespace

Command add_ledger_command(CLI::App& app) {
  auto args = std::make_shared<LedgerArgs>();
  CLI::App* sub = app.add_subcommand("ledger", "Read the payout ledger: export, periods");
  sub->require_subcommand(1);
  CLI::App* exporter = sub->add_subcommand(
      "export",
      "Write what was paid, for payroll: per payee, period and component, plus adjustments "
      "with their origin period; exact amounts");
  exporter
      ->add_option("plan", args->positionals,
                   "[PLAN]: the ledger is tally.db beside it (or --ledger, or ./tally.db)")
      ->expected(0, 1);
  exporter->add_option("--ledger", args->ledger, "The ledger file");
  exporter->add_option("--format", args->format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  exporter->add_option("--out,-o", args->out, "File to write (default: standard output)");
  exporter->add_option("--period,-p", args->period, "Only what was paid in this closed period");
  CLI::App* lister = sub->add_subcommand("periods", "List the periods, open or closed");
  lister->add_option("plan", args->positionals, "[PLAN]")->expected(0, 1);
  lister->add_option("--ledger", args->ledger, "The ledger file");
  return {sub, [args, exporter](const Engine&) {
            return exporter->parsed() ? export_paid(*args) : list_periods(*args);
          }};
}

}  // namespace tally::cli
