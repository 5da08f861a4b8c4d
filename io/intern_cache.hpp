// A small per-column cache in front of the SymbolTable. Text columns of real
// data repeat a few values (states, stages, segments, payee ids) millions of
// times; a direct-mapped cache with a cheap hash answers those without the
// general hash table. A miss, or a collision, falls through to
// SymbolTable::intern.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "interpreter/runtime/symbols.hpp"

namespace tally {

class InternCache {
 public:
  /// The bytes of `text` (at most 8) in a word, zero above them: with the
  /// length, the text's own key. Two overlapping loads, never a read past
  /// the text.
  static std::uint64_t pack(std::string_view text) {
    const char* p = text.data();
    const std::size_t n = text.size();
    if constexpr (std::endian::native == std::endian::little) {
      if (n >= 4) {
        std::uint32_t low = 0;
        std::uint32_t high = 0;
        std::memcpy(&low, p, 4);
        std::memcpy(&high, p + n - 4, 4);
        return low | (std::uint64_t{high} << (8 * (n - 4)));
      }
      if (n == 0) return 0;
      return std::uint64_t{static_cast<unsigned char>(p[0])} |
             std::uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2)) |
             std::uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1));
    } else {
      std::uint64_t word = 0;
      for (std::size_t i = 0; i < n; ++i)
        word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
      return word;
    }
  }

  /// The id of `text`, at most 8 bytes, whose pack() is `word`.
  SymbolId intern_packed(std::uint64_t word, std::string_view text, SymbolTable& symbols) {
    if (entries_.empty()) entries_.resize(kSize);  // only text fields pay for a cache
    const std::uint64_t hash = (word ^ text.size()) * 0x9E3779B97F4A7C15ULL;
    Entry& entry = entries_[hash >> (64 - kBits)];
    // An empty slot's length (kEmpty) is no short text's: no test of `filled`.
    if (entry.word == word && entry.length == text.size()) return entry.id;
    return fill(entry, word, text, symbols);
  }

  SymbolId intern(std::string_view text, SymbolTable& symbols) {
    // Short texts (codes, ids) are their own key: compared as a whole word.
    if (text.size() <= 8) return intern_packed(pack(text), text, symbols);
    if (entries_.empty()) entries_.resize(kSize);
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    Entry& entry = entries_[(hash * 0x9E3779B97F4A7C15ULL) >> (64 - kBits)];
    // word holds the hash for long texts; their length tells the two apart.
    if (entry.filled && entry.word == hash && entry.length == (text.size() & 0xFFFF) &&
        symbols.text(entry.id) == text)
      return entry.id;
    return fill(entry, hash, text, symbols);
  }

 private:
  struct Entry;
  // Out of line: a hit, the usual case, then needs no registers saved.
  [[gnu::noinline]] static SymbolId fill(Entry& entry, std::uint64_t word, std::string_view text,
                                         SymbolTable& symbols) {
    entry = Entry{word, symbols.intern(text), static_cast<std::uint16_t>(text.size()), true};
    return entry.id;
  }

  // 4,096 slots hold a column of a thousand payee ids with few collisions.
  static constexpr int kBits = 12;
  static constexpr std::size_t kSize = std::size_t{1} << kBits;
  static constexpr std::uint16_t kEmpty = 0xFFFF;
  // 16 bytes: four entries to a cache line.
  struct Entry {
    std::uint64_t word = 0;  ///< the packed text (up to 8 bytes), else its hash
    SymbolId id = 0;
    std::uint16_t length = kEmpty;  ///< of a long text: its low 16 bits
    bool filled = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace tally
