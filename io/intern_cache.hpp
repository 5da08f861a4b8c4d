// A small per-column cache in front of the SymbolTable. Text columns of real
// data repeat a few values (states, stages, segments) millions of times; a
// direct-mapped cache with a cheap hash answers those without the general
// hash table. A miss, or a collision, falls through to SymbolTable::intern.
#pragma once

#include <cstdint>
#include <cstring>
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
    Entry& entry = entries_[(hash ^ (hash >> 29)) & (kSize - 1)];
    if (entry.filled && entry.hash == hash && entry.length == text.size() &&
        (text.size() <= kInline ? std::memcmp(entry.text, text.data(), text.size()) == 0
                                : symbols.text(entry.id) == text))
      return entry.id;
    entry.hash = hash;
    entry.id = symbols.intern(text);
    entry.filled = true;
    entry.length = static_cast<std::uint32_t>(text.size());
    if (text.size() <= kInline) std::memcpy(entry.text, text.data(), text.size());
    return entry.id;
  }

 private:
  // 4,096 slots hold a column of a thousand payee ids with few collisions;
  // texts up to 16 bytes are kept in the slot, so a hit reads no other memory.
  static constexpr std::size_t kSize = 4096;
  static constexpr std::size_t kInline = 16;
  struct Entry {
    std::uint64_t hash = 0;
    SymbolId id = 0;
    std::uint32_t length = 0;
    char text[kInline] = {};
    bool filled = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace tally
