#include "stdlib/builtins.hpp"

#include "stdlib/kpi_module.hpp"

namespace tally {

const std::vector<Builtin>& builtins() {
  static const std::vector<Builtin> table{
      {"round", BuiltinId::round, 2, 3, "2 or 3 arguments: round(x, 0.01, half_even)",
       "x rounded to a multiple of the quantum, with a rounding mode (default: half_even)"},
      {"min", BuiltinId::min, 2, 2, "2 arguments: min(a, b)", "the smaller of two numbers"},
      {"max", BuiltinId::max, 2, 2, "2 arguments: max(a, b)", "the larger of two numbers"},
      {"abs", BuiltinId::abs, 1, 1, "1 argument: abs(x)", "the absolute value"},
      {"period_of", BuiltinId::period_of, 1, 1, "1 argument: period_of(date)",
       "the plan period that contains a date"},
  };
  return table;
}

const std::vector<LibraryFunction>& library_functions() {
  static const std::vector<LibraryFunction> table{
      {"apply",
       LibraryId::apply,
       2,
       3,
       {"base"},
       "apply(rates, x[, base: b])",
       "what a tiered rates table pays on x (tiers over x / b when a base is given)"},
      {"tier_of",
       LibraryId::tier_of,
       2,
       3,
       {"base"},
       "tier_of(rates, x[, base: b])",
       "the number of the tier x falls in, from 1"},
      {"lookup",
       LibraryId::lookup,
       2,
       2,
       {},
       "lookup(rates, key)",
       "the entry of a lookup rates table for a key (its `else` entry when none matches)"},
      {"allocate",
       LibraryId::allocate,
       2,
       2,
       {"weights"},
       "allocate(x, even) or allocate(x, weights: {Q1: 20%, ...})",
       "an annual amount spread over the periods of a goal, evenly or by weights"},
      {"rollup",
       LibraryId::rollup,
       1,
       1,
       {},
       "rollup(table)",
       "a table summed over a payee's reports (a team quota)"},
      {"months_employed",
       LibraryId::months_employed,
       1,
       1,
       {},
       "months_employed(payee)",
       "whole months from the payee's hire date to the end of the period"},
      {"days_between",
       LibraryId::days_between,
       2,
       2,
       {},
       "days_between(a, b)",
       "the days from date a to date b"},
      {"add_months",
       LibraryId::add_months,
       2,
       2,
       {},
       "add_months(date, n)",
       "the date n months later (clamped to the month's last day)"},
      {"year", LibraryId::year, 1, 1, {}, "year(date)", "the calendar year of a date"},
      {"quarter",
       LibraryId::quarter,
       1,
       1,
       {},
       "quarter(date)",
       "the calendar quarter of a date, 1 to 4"},
      {"month", LibraryId::month, 1, 1, {}, "month(date)", "the month of a date, 1 to 12"},
      {"days_in",
       LibraryId::days_in,
       1,
       1,
       {},
       "days_in(period)",
       "the number of days of a period"},
      {"prorate",
       LibraryId::prorate,
       1,
       3,
       {"from", "to"},
       "prorate(x[, from: date][, to: date])",
       "x times the share of the period the payee was employed (or the given dates cover)"},
      {"upper", LibraryId::upper, 1, 1, {}, "upper(text)", "the text in upper case"},
      {"lower", LibraryId::lower, 1, 1, {}, "lower(text)", "the text in lower case"},
      {"starts_with",
       LibraryId::starts_with,
       2,
       2,
       {},
       "starts_with(text, prefix)",
       "whether the text starts with the prefix"},
      {"contains",
       LibraryId::contains,
       2,
       2,
       {},
       "contains(text, part)",
       "whether the text contains the part"},
      {"list",
       LibraryId::list,
       1,
       1,
       {},
       "list(\"name\")",
       "a named list of text values bound at run time (named accounts)"},
      {"territory",
       LibraryId::territory,
       1,
       1,
       {},
       "territory(row)",
       "the territory a transaction falls in (highest priority)"},
      {"owner", LibraryId::owner, 1, 1, {}, "owner(territory)", "the payee who owns a territory"},
      {"managers",
       LibraryId::managers,
       1,
       2,
       {"levels", "to"},
       "managers(payee[, levels: n | to: \"ROLE\"])",
       "the payee's managers, up to n levels (1 by default) or up to the first with a role: a "
       "list of payees"},
      {"convert",
       LibraryId::convert,
       3,
       3,
       {"to", "on"},
       "convert(x, to: EUR, on: date)",
       "money converted to another currency at the FX rate of a date"},
      {"ytd",
       LibraryId::ytd,
       1,
       1,
       {},
       "ytd(measure)",
       "a measure summed from the start of the year"},
      {"qtd",
       LibraryId::qtd,
       1,
       1,
       {},
       "qtd(measure)",
       "a measure summed from the start of the quarter"},
      {"to_date",
       LibraryId::to_date,
       1,
       1,
       {},
       "to_date(measure)",
       "a measure summed from the first period of the run"},
      {"clamp", LibraryId::clamp, 3, 3, {}, "clamp(x, low, high)", "x limited to [low, high]"},
      {"forecast",
       LibraryId::forecast,
       1,
       3,
       {"method", "bound"},
       "forecast(measure[, method: linear|holt][, bound: low|high])",
       "the measure's value expected this period from the payee's earlier periods of the run"},
  };
  return table;
}

const LibraryFunction* find_library_function(const std::string& name) {
  for (const LibraryFunction& f : library_functions())
    if (name == f.name) return &f;
  return nullptr;
}

const std::vector<StdlibModule>& stdlib_modules() {
  static const std::vector<StdlibModule> table{{"kpi", kpi_module_text()}};
  return table;
}

const StdlibModule* find_stdlib_module(const std::string& name) {
  for (const StdlibModule& m : stdlib_modules())
    if (name == m.name) return &m;
  return nullptr;
}

const Builtin* find_builtin(const std::string& name) {
  for (const Builtin& b : builtins())
    if (name == b.name) return &b;
  return nullptr;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const Builtin& b : builtins()) names.emplace_back(b.name);
  for (const LibraryFunction& f : library_functions()) names.emplace_back(f.name);
  names.insert(names.end(), {"sum", "count", "avg"});
  return names;
}

}  // namespace tally
