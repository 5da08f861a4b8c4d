// The balance of a plan's territories (`tally territories`,
// docs/territories.md): per territory its accounts, opportunities, bookings
// and potential; the transactions that match several territories or none;
// and how unequal the territories are (Gini, max/min). Counts and sums are
// exact; only the Gini and max/min ratio are doubles (estimates).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "repl/statement_amount.hpp"
#include "tally/territories.hpp"

namespace tally::cli {

/// Which fields of the credited source hold the account, the amount booked
/// and the potential: empty asks for the default (`account` or the one
/// text field whose name holds "account" and not "state", else `customer`; the field the
/// credit rule credits; a field named `potential`).
struct BalanceFields {
  std::string account;
  std::string amount;
  std::string potential;
};

/// The fields chosen, or a message naming the unknown one with a hint.
struct ChosenFields {
  int account = -1;  ///< -1: none, so accounts are not counted
  int amount = -1;   ///< -1: none, so bookings are not summed
  int potential = -1;
  std::vector<std::string> notes;  ///< what was not found, for the output
  std::string error;               ///< a field asked for that is not in the source
};
ChosenFields choose_fields(const TerritoryReport& report, const BalanceFields& asked);

struct TerritoryBalance {
  std::string name;
  std::string owner;
  std::size_t opportunities = 0;  ///< transactions it wins
  std::size_t accounts = 0;       ///< distinct accounts among them
  Amount bookings;                ///< the amount of those a credit rule credits
  Amount potential;               ///< over its distinct accounts (each once), else its rows
};

/// How unequal a figure is across the territories; nullopt where undefined
/// (all zero, or a zero smallest value for max/min).
struct Spread {
  std::optional<double> gini;
  std::optional<double> max_min;
};

/// Transactions matching the same several territories.
struct Overlap {
  std::vector<std::string> matched;  ///< highest priority first
  std::string winner;                ///< "" for a tie
  bool nested = false;               ///< all on one line of descent (a child and its ancestors)
  std::size_t count = 0;
  std::vector<std::size_t> examples;  ///< the first few rows (indices into the report's rows)
};

struct Balance {
  std::vector<TerritoryBalance> territories;  ///< the report's order
  std::size_t none = 0;                       ///< transactions in no territory
  std::vector<std::size_t> none_examples;
  std::size_t ties = 0;
  std::vector<Overlap> overlaps;  ///< most transactions first
  Spread opportunities, accounts, bookings, potential;
  ChosenFields fields;
};

/// How many example rows each list keeps.
constexpr std::size_t kExamples = 5;

/// The balance of `report` with the fields `fields` (from choose_fields).
Balance balance_of(const TerritoryReport& report, const ChosenFields& fields);

/// Gini and max/min of one figure across territories (stdlib/distribution.hpp).
Spread spread_of(const std::vector<double>& values);

}  // namespace tally::cli
