// Where a credit rule's outputs come from, for crediting that folds them
// straight into totals (line_fold.hpp): the credit date, the amount and each
// line's payee are most often a source field loaded as it is, and a line's
// share and levels a constant. A register that one such load alone fills,
// and that no instruction reads, need not be filled at all: folding reads
// the field from the source's column (lane i of the batch from row
// base + i, as LOAD_FIELD does) or takes the constant, and the rule runs a
// chunk without those loads (docs/performance.md, "Reading a rule's outputs
// from its columns").
#pragma once

#include <cstdint>
#include <vector>

#include "interpreter/bytecode.hpp"
#include "interpreter/leading_select.hpp"
#include "interpreter/program.hpp"

namespace tally {

/// Where one output of a rule comes from.
struct OutputSource {
  enum class From : std::uint8_t {
    reg,       ///< the register the rule names, filled by the chunk
    field,     ///< source field `index`, as it is in the column
    constant,  ///< chunk constant `index`
  };
  From from = From::reg;
  std::uint32_t index = 0;
};

/// A rule's outputs and the chunk that computes what is left of them.
struct RuleOutputs {
  /// The rule's chunk without the loads of the outputs read straight (the
  /// same registers, some left unfilled), nor its leading test of a field.
  Chunk chunk;
  LeadingSelect where;  ///< that test, taken out
  OutputSource date;    ///< a field or the register
  OutputSource amount;  ///< a field or the register
  struct Line {
    OutputSource payee;   ///< a field or the register
    OutputSource share;   ///< a constant or the register
    OutputSource levels;  ///< a constant or the register (managers lines)
  };
  std::vector<Line> lines;
};

/// Works out `rule`'s outputs: the date, the amount and the payees from a
/// field when a lone LOAD_FIELD fills their register, the shares and levels
/// from a constant when a lone CONST does, and in either case only when no
/// instruction reads the register and no output reads it otherwise.
RuleOutputs rule_outputs(const CompiledRule& rule);

}  // namespace tally
