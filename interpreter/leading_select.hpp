// A chunk that starts by narrowing its lanes on a field's text (`where
// deal.stage == "Won"`: LOAD_FIELD r f, SELECT_SYM_EQ r k) loads the field
// into a register only to test it. When nothing else reads that register,
// crediting folded as made (line_fold.hpp) tests the column itself, lane
// by lane into the selection, and runs the chunk without the pair
// (docs/performance.md, "Reading a rule's outputs from its columns").
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/runtime/column.hpp"

namespace tally {

struct LeadingSelect {
  bool present = false;
  std::uint32_t field = 0;     ///< the source field tested
  std::uint32_t constant = 0;  ///< the chunk's text constant it is compared with
  bool equal = true;           ///< SELECT_SYM_EQ (else SELECT_SYM_NE)
};

/// Takes the leading field test out of `chunk` and returns it, when its
/// register is read by nothing else and no SELECT_POP would widen the
/// lanes past it; else leaves the chunk as it is.
LeadingSelect take_leading_select(Chunk& chunk);

/// The lanes lane_at(0) .. lane_at(count - 1) (rising) whose row
/// (base + lane) has, in the symbol column `column`, the text `symbol` (or
/// not, with !equal), into `out`.
template <class LaneAt>
void select_rows(const Column& column, std::size_t base, SymbolId symbol, bool equal,
                 std::size_t count, LaneAt lane_at, std::vector<std::uint32_t>& out) {
  out.resize(count);
  const SymbolId* texts = column.symbols.data() + base;
  std::size_t n = 0;
  // Every lane written, kept when it passes: no branch per lane.
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t lane = lane_at(i);
    out[n] = lane;
    n += static_cast<std::size_t>((texts[lane] == symbol) == equal);
  }
  out.resize(n);
}

/// The same over the lanes `from` (another chunk left active).
inline void select_rows(const Column& column, std::size_t base, SymbolId symbol, bool equal,
                        const std::vector<std::uint32_t>& from, std::vector<std::uint32_t>& out) {
  select_rows(
      column, base, symbol, equal, from.size(), [&](std::size_t i) { return from[i]; }, out);
}

/// The same over every lane below `lanes`.
inline void select_rows(const Column& column, std::size_t base, SymbolId symbol, bool equal,
                        std::size_t lanes, std::vector<std::uint32_t>& out) {
  select_rows(
      column, base, symbol, equal, lanes,
      [](std::size_t i) { return static_cast<std::uint32_t>(i); }, out);
}

}  // namespace tally
