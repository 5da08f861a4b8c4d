// Interned text: every distinct string gets a dense 32-bit id, so text
// columns are arrays of ids and `x in {"CA", "OR"}` compares integers.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tally {

using SymbolId = std::uint32_t;

class SymbolTable {
 public:
  /// The id of `text`, adding it when new. Ids are dense, from 0.
  SymbolId intern(std::string_view text);
  /// The id of `text` if it was interned.
  std::optional<SymbolId> find(std::string_view text) const;
  std::string_view text(SymbolId id) const { return strings_[id]; }
  std::size_t size() const { return strings_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::deque<std::string> strings_;  // deque: stable addresses for the views below
  std::unordered_map<std::string_view, SymbolId, Hash, std::equal_to<>> ids_;
};

}  // namespace tally
