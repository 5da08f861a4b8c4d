// A small per-column cache in front of the SymbolTable. Text columns of real
// data repeat a few values (states, stages, segments) millions of times; a
// direct-mapped cache with a cheap hash answers those without the general
// hash table. A miss, or a collision, falls through to SymbolTable::intern.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "interpreter/runtime/symbols.hpp"

namespace tally {

class InternCache {
 public:
  SymbolId intern(std::string_view text, SymbolTable& symbols) {
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    if (entries_.empty()) entries_.resize(kSize);  // only text fields pay for a cache
    Entry& entry = entries_[hash & (kSize - 1)];
    if (entry.filled && entry.hash == hash && symbols.text(entry.id) == text) return entry.id;
    entry = Entry{hash, symbols.intern(text), true};
    return entry.id;
  }

 private:
  static constexpr std::size_t kSize = 1024;
  struct Entry {
    std::uint64_t hash = 0;
    SymbolId id = 0;
    bool filled = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace tally
