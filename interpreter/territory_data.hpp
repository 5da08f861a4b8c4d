// The per-run result of territory resolution (territory_resolution.cpp): for
// every row of the credited source, the territory it falls in and that
// territory's owner; and the items of every named list (`list("NAME")`).
// The VM reads them through VmEnv::territories.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/symbols.hpp"

namespace tally {

/// What resolution found for one row.
enum class TerritoryMatch : std::uint8_t {
  none,      ///< no territory matches: territory(row) has no value
  owned,     ///< a territory with an owner
  no_owner,  ///< a territory that has no owner (nor an ancestor with one)
};

struct TerritoryData {
  const Table* rows = nullptr;         ///< the credited source: the rows resolved
  const SymbolTable* names = nullptr;  ///< the run's symbols, for messages
  int key_field = -1;                  ///< its key field, to name a transaction in errors
  std::vector<TerritoryMatch> match;   ///< per row
  std::vector<SymbolId> territory;     ///< per row: the territory's name
  std::vector<SymbolId> owner;         ///< per row: its owner (where match == owned)
  SymbolId no_territory = 0;           ///< the value of territory(row) for a row in none
  /// owner(t) of a territory value t that is not the row's own territory:
  /// territory name -> owner, from the declared owners written as text and
  /// from what resolution found; kAmbiguousOwner where rows of one
  /// territory found different owners (an owner read from the row).
  std::unordered_map<SymbolId, SymbolId> owner_by_name;
  static constexpr SymbolId kAmbiguousOwner = static_cast<SymbolId>(-1);
  /// list("NAME"): the symbol of NAME -> the list's items, sorted.
  std::unordered_map<SymbolId, std::vector<SymbolId>> named_lists;
};

/// The lanes of a `territories from` match chunk: lane i is the pair
/// (transaction row[i], map row map_row[i]).
struct TerritoryPairs {
  const Table* map = nullptr;
  std::vector<std::uint32_t> row;
  std::vector<std::uint32_t> map_row;
};

}  // namespace tally
