// How `tally territories` prints its findings: a text report for people and
// the same figures as JSON (docs/territories.md lists both). Gini
// coefficients are printed with 4 decimals, max/min ratios with 2 and
// shares with 1; counts and amounts exactly.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "repl/cross_sell.hpp"
#include "repl/territory_balance.hpp"
#include "repl/territory_books.hpp"
#include "repl/territory_what_if.hpp"
#include "tally/territories.hpp"

namespace tally::cli {

/// Everything one invocation found; the optional parts were asked for.
struct TerritoryFindings {
  std::string plan_name;
  const TerritoryReport* report =
      nullptr;  ///< null with --cross-sell on a plan without territories
  std::optional<Balance> balance;
  std::optional<WhatIf> what_if;
  std::optional<CrossSellResult> cross_sell;
  std::string cross_sell_basis;  ///< e.g. "sector and employees band"
  /// Set when `report`'s territories are books of business or the values
  /// of a field (territory_books.hpp) rather than declared territories.
  std::optional<Grouping> grouping;
};

std::string territories_text(const TerritoryFindings& findings);
nlohmann::json territories_json(const TerritoryFindings& findings);

/// A double with `decimals` decimals, or "n/a" for nullopt.
std::string fixed(std::optional<double> value, int decimals);

}  // namespace tally::cli
