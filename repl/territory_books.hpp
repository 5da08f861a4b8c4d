// Books of business (`tally territories` on a plan without territories, or
// with --by FIELD; docs/territories.md): the credited source's transactions
// grouped by the payee a credit rule credits them to directly (each payee's
// book), or by the value of one text field, as a territory report whose
// "territories" are the groups, so that the balance, Gini and max/min are
// worked exactly as for territories.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tally/territories.hpp"

namespace tally::cli {

/// The field group_report adds to every row: the amount credited to it
/// directly (TerritoryRow::direct_amount), the default bookings of a group.
/// Its dot keeps it apart from the source's own fields.
constexpr std::string_view kDirectAmount = "credit.amount";

/// What the groups are and the transactions in none.
struct Grouping {
  std::string by;  ///< the field grouped by; "" for the payees' books
  bool declares_territories = false;
  std::size_t not_credited = 0;  ///< rows no credit rule credits (a `where` excludes them)
  std::vector<std::size_t> not_credited_examples;
  std::size_t no_payee = 0;  ///< rows credited, but to no payee directly (overlay/rollup only)
  std::vector<std::size_t> no_payee_examples;
  std::size_t no_value = 0;  ///< --by: rows whose field is empty
  std::vector<std::size_t> no_value_examples;
  std::size_t splits = 0;  ///< rows credited directly to several payees
};

struct GroupedReport {
  TerritoryReport report;  ///< `territories` are the groups, sorted by name
  Grouping grouping;
  std::string error;  ///< --by names no text or payee field of the source
};

/// `report` (from territory_report) grouped by the payees' books (`by`
/// empty) or by the field `by`. In the payees' books a row credited
/// directly to several payees (a split) belongs to no single book, as a tie
/// belongs to no territory: it is listed with the payees it matches.
GroupedReport group_report(const TerritoryReport& report, const std::string& by);

}  // namespace tally::cli
