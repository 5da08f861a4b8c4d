// `tally explain --json`: an explain tree as JSON for other tools. Every
// node keeps its text (label, value, note, children) and adds the parts a
// tool would otherwise parse out of it: the number and unit of the value,
// what the step is, and for a credit its transaction, rule, kind, share and
// amount. docs: `tally explain` in docs/cli.md.
#pragma once

#include <nlohmann/json.hpp>

#include "tally/tally.hpp"

namespace tally::cli {

/// The node and its children as JSON (see the schema in docs/cli.md).
nlohmann::json explain_json(const ExplainNode& node);

}  // namespace tally::cli
