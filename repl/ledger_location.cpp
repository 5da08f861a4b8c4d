#include "repl/ledger_location.hpp"

#include "ledger/ledger.hpp"

namespace tally::cli {

Result<LedgerTarget> locate_ledger(const std::vector<std::string>& positionals,
                                   const std::string& explicit_path,
                                   const std::string& argument_name) {
  const std::size_t wanted = argument_name.empty() ? 0 : 1;
  if (positionals.size() < wanted)
    return Error{{},
                 "expected " + argument_name + ", found nothing",
                 "e.g. tally close plan.tally 2026-01 (or --ledger PATH instead of the plan)"};
  if (positionals.size() > wanted + 1)
    return Error{{},
                 "expected [PLAN]" + (wanted ? " " + argument_name : std::string()) + ", found " +
                     std::to_string(positionals.size()) + " arguments",
                 ""};
  LedgerTarget target;
  if (wanted) target.argument = positionals.back();
  const bool has_plan = positionals.size() > wanted;
  target.path = ledger::ledger_path(has_plan ? positionals.front() : std::string(), explicit_path);
  return target;
}

}  // namespace tally::cli
