// A small per-column cache in front of the SymbolTable. Text columns of real
// data repeat a few values (states, stages, segments, payee ids) millions of
// times; a direct-mapped cache with a cheap hash answers those without the
// general hash table. A miss, or a collision, falls through to
// SymbolTable::intern.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "interpreter/runtime/symbols.hpp"

namespace tally {

class InternCache {
 public:
  SymbolId intern(std::string_view text, SymbolTable& symbols) {
    if (entries_.empty()) entries_.resize(kSize);  // only text fields pay for a cache
    if (text.size() <= 8) {
      // Short texts (codes, ids) are their own key: the bytes packed in a
      // word, compared as a whole.
      std::uint64_t word = 0;
      for (char c : text) word = (word << 8) | static_cast<unsigned char>(c);
      const std::uint64_t hash = (word ^ text.size()) * 0x9E3779B97F4A7C15ULL;
      Entry& entry = entries_[hash >> (64 - kBits)];
      if (entry.filled && entry.word == word && entry.length == text.size()) return entry.id;
      entry = Entry{word, symbols.intern(text), static_cast<std::uint16_t>(text.size()), true};
      return entry.id;
    }
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    Entry& entry = entries_[(hash * 0x9E3779B97F4A7C15ULL) >> (64 - kBits)];
    // word holds the hash for long texts; their length tells the two apart.
    if (entry.filled && entry.word == hash && entry.length == (text.size() & 0xFFFF) &&
        symbols.text(entry.id) == text)
      return entry.id;
    entry = Entry{hash, symbols.intern(text), static_cast<std::uint16_t>(text.size()), true};
    return entry.id;
  }

 private:
  // 4,096 slots hold a column of a thousand payee ids with few collisions.
  static constexpr int kBits = 12;
  static constexpr std::size_t kSize = std::size_t{1} << kBits;
  // 16 bytes: four entries to a cache line.
  struct Entry {
    std::uint64_t word = 0;  ///< the packed text (up to 8 bytes), else its hash
    SymbolId id = 0;
    std::uint16_t length = 0;  ///< of a long text: its low 16 bits
    bool filled = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace tally
