// The per-run result of territory resolution (territory_resolution.cpp): for
// every row of the credited source, the territory it falls in and that
// territory's owner; and the items of every named list (`list("NAME")`).
// The VM reads them through VmEnv::territories.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/large_buffers.hpp"
#include "interpreter/runtime/symbols.hpp"

namespace tally {

/// What resolution found for one row.
enum class TerritoryMatch : std::uint8_t {
  none,      ///< no territory matches: territory(row) has no value
  owned,     ///< a territory with an owner
  no_owner,  ///< a territory that has no owner (nor an ancestor with one)
};

/// What resolution found for a row.
struct TerritoryFound {
  TerritoryMatch match = TerritoryMatch::none;
  SymbolId territory = 0;  ///< the territory's name (unless none)
  SymbolId owner = 0;      ///< its owner (where match == owned)
};

/// An allocator whose resize leaves new integers unwritten: a fresh
/// per-row column of 10M rows is 40 MB of pages that zeroing would touch
/// (14 ms of page faults at 10M deals) before the rows are written anyway,
/// half of them on another thread. A large one is in huge pages, faulted in
/// at once (large_buffers.hpp).
template <class T>
struct UnwrittenAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UnwrittenAllocator<U>;
  };
  UnwrittenAllocator() = default;
  template <class U>
  UnwrittenAllocator(const UnwrittenAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_large_buffer(n * sizeof(T)));
  }
  void deallocate(T* at, std::size_t n) noexcept { release_large_buffer(at, n * sizeof(T)); }
  template <class U>
  void construct(U* at) noexcept {
    ::new (static_cast<void*>(at)) U;  // default-initialized: left unwritten
  }
  template <class U, class... Args>
  void construct(U* at, Args&&... args) {
    ::new (static_cast<void*>(at)) U(std::forward<Args>(args)...);
  }
};

struct TerritoryData {
  const Table* rows = nullptr;         ///< the credited source: the rows resolved
  const SymbolTable* names = nullptr;  ///< the run's symbols, for messages
  int key_field = -1;                  ///< its key field, to name a transaction in errors
  /// Per row: the index in `found` of what the row found (0: no territory).
  /// Rows share their findings, territories and owners being few: four
  /// bytes a row, where three columns took nine (90 MB at 10M deals).
  /// Resized unwritten (UnwrittenAllocator): whoever resizes it writes every row.
  std::vector<std::uint32_t, UnwrittenAllocator<std::uint32_t>> row_found;
  std::vector<TerritoryFound> found{TerritoryFound{}};  ///< each finding once; [0]: none
  std::size_t unmatched = 0;                            ///< rows with no territory
  SymbolId no_territory = 0;  ///< the value of territory(row) for a row in none

  std::size_t size() const { return row_found.size(); }
  const TerritoryFound& at(std::size_t row) const { return found[row_found[row]]; }
  /// Forgets every row and finding, keeping the room of row_found.
  void clear_rows() {
    row_found.clear();
    found.assign(1, TerritoryFound{});
    unmatched = 0;
  }
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
