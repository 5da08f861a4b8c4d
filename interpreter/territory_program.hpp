// Territories compiled (LANGUAGE.md §4 step 2): the predicates of declared
// territories as one chunk over batches of the credited rows, and each
// `territories from SOURCE as t` set as a chunk over batches of
// (transaction, map row) pairs, with the equality keys of its `match`
// condition so that the engine can index the map rows instead of testing
// every pair.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/plan_model.hpp"

namespace tally {

struct Unsupported;

/// `territory NAME = COND [owner EXPR] [priority N]`.
struct CompiledTerritory {
  std::string name;
  int parent = -1;  ///< index of `West` for `West.CA`
  std::int64_t priority = 0;
  std::uint16_t match_reg = 0;  ///< bool on every row lane
  bool has_owner = false;
  std::uint16_t owner_reg = 0;  ///< symbol, valid where match_reg holds
};

/// `territories from SOURCE as t match COND owner EXPR [priority EXPR] [name EXPR]`.
struct CompiledTerritorySet {
  int source = -1;  ///< the map source, one territory per row
  /// Lanes are (transaction, map row) pairs: the chunk's row loads read the
  /// pair's transaction, its `t.x` loads the pair's map row. After the chunk
  /// the active lanes are the pairs whose `match` holds.
  Chunk chunk;
  std::uint16_t owner_reg = 0;
  bool has_priority = false;
  std::uint16_t priority_reg = 0;  ///< integer
  bool has_name = false;
  std::uint16_t name_reg = 0;  ///< symbol
  /// Equality keys of `match` (a conjunction): `deal.f == t.g` as
  /// (f, g, false) and `deal.f in t.g` with `g` a list column as (f, g, true).
  /// Every pair the chunk accepts agrees on all of them, so the engine looks
  /// up candidate map rows by these keys; empty: every map row is a candidate.
  struct Key {
    int row_field = -1;
    int map_field = -1;
    bool member = false;
  };
  std::vector<Key> keys;
};

struct CompiledTerritories {
  int source = -1;    ///< the credited source: the rows whose territory is resolved
  bool used = false;  ///< some expression calls territory(...)
  Chunk chunk;        ///< declared territories, over batches of rows
  std::vector<CompiledTerritory> declared;
  std::vector<CompiledTerritorySet> sets;
  std::vector<std::string> named_lists;  ///< every `list("NAME")` of the plan
};

/// Compiles the territories of `model` (compile_territories.cpp).
CompiledTerritories compile_territories(const PlanModel& model,
                                        std::vector<Unsupported>* unsupported,
                                        const std::unordered_map<int, Constant>& known);

}  // namespace tally
