// Grouping a territory report into books of business or by a field.
#include "repl/territory_books.hpp"

#include <algorithm>
#include <set>

#include "interpreter/runtime/spelling.hpp"

namespace tally::cli {

namespace {

bool groupable(const std::string& type) {
  return type.rfind("text", 0) == 0 || type.rfind("payee", 0) == 0;
}

void note(std::size_t& count, std::vector<std::size_t>& examples, std::size_t row) {
  ++count;
  if (examples.size() < 5) examples.push_back(row);
}

}  // namespace

GroupedReport group_report(const TerritoryReport& report, const std::string& by) {
  GroupedReport out;
  out.grouping.by = by;
  out.grouping.declares_territories = report.declares_territories;
  int field = -1;
  if (!by.empty()) {
    std::vector<std::string> candidates;
    for (std::size_t i = 0; i < report.fields.size(); ++i) {
      if (!groupable(report.field_types[i])) continue;
      candidates.push_back(report.fields[i]);
      if (report.fields[i] == by) field = static_cast<int>(i);
    }
    if (field < 0) {
      const auto near = closest_match(by, candidates);
      std::string list;
      for (const std::string& c : candidates) list += (list.empty() ? "" : ", ") + c;
      out.error = "--by " + by + ": `" + report.source + "` has no text or payee field `" + by +
                  "`" + (near ? " (did you mean `" + *near + "`?)" : "") +
                  "; its fields: " + (list.empty() ? "none" : list);
      return out;
    }
  }
  TerritoryReport& grouped = out.report;
  grouped = report;
  grouped.territories.clear();
  // Bookings of a book are what the credit rules credit directly, exact
  // from the engine, whether the rule credits a field or an expression.
  grouped.fields.push_back(std::string(kDirectAmount));
  grouped.field_types.push_back("money");
  grouped.amount_field = static_cast<int>(grouped.fields.size()) - 1;
  std::set<std::string> groups;
  for (std::size_t r = 0; r < grouped.rows.size(); ++r) {
    TerritoryRow& row = grouped.rows[r];
    row.cells.push_back(row.direct_amount);
    row.matched.clear();
    row.winner.clear();
    row.owner.clear();
    row.tie = false;
    if (!row.credited) note(out.grouping.not_credited, out.grouping.not_credited_examples, r);
    if (row.payees.size() > 1) ++out.grouping.splits;
    if (field >= 0) {
      row.winner = row.cells[static_cast<std::size_t>(field)];
      if (row.winner.empty()) note(out.grouping.no_value, out.grouping.no_value_examples, r);
    } else if (row.payees.size() == 1) {
      row.winner = row.owner = row.payees.front();
    } else if (row.payees.size() > 1) {
      row.matched = row.payees;
      row.tie = true;
    } else if (row.credited) {
      note(out.grouping.no_payee, out.grouping.no_payee_examples, r);
    }
    if (!row.winner.empty()) groups.insert(row.winner);
  }
  for (const std::string& name : groups) {
    TerritoryInfo info;
    info.name = name;
    info.owner = field >= 0 ? "" : name;
    info.declared = false;
    grouped.territories.push_back(std::move(info));
  }
  return out;
}

}  // namespace tally::cli
