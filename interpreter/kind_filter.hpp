// A filtering aggregate's chunk made for the credits of one credit line,
// when crediting folds them as it makes them (line_fold.hpp): lane i is the
// credit of source row base + i, and every credit of the line has the
// line's kind. So credit.kind is a constant, a credit's source field is the
// row's field (LOAD_CREDIT_FIELD becomes LOAD_FIELD), and a test of the kind
// is known before the batch: one that passes is left out, one that fails
// leaves no credit of the line to count. The chunk then runs over the
// batch's rows with no table of credits behind them (docs/performance.md,
// "Filters made for a line").
#pragma once

#include <string_view>

#include "interpreter/bytecode.hpp"
#include "interpreter/leading_select.hpp"

namespace tally {

struct KindFilter {
  /// No credit of the kind passes: a test of the kind fails, with no
  /// SELECT_POP to widen the lanes again.
  bool none = false;
  /// `chunk` reads source rows (lane i is row base + i). False when the
  /// filter reads a credit attribute other than the kind: it must then run
  /// over credits.
  bool rows = false;
  Chunk chunk;
  /// The chunk's leading test of a field, taken out (when `rows`).
  LeadingSelect where;
};

/// `filter` made for credits of kind `kind` (its name, as credit.kind reads).
KindFilter filter_for_kind(const Chunk& filter, std::string_view kind);

}  // namespace tally
