// Tally's results as JSON (nlohmann/json), for hosts that pass them on to
// other systems: a web service, a BI tool, another language. Kept apart from
// tally.hpp so that only hosts that want JSON need nlohmann/json.
//
// Every amount is an exact decimal string ("1234.50"), never a binary
// floating-point number, so that no cent is lost on the way.
#pragma once

#include <nlohmann/json.hpp>

#include "tally/tally.hpp"

// The public API is what the shared library exports; the rest is hidden
// (-fvisibility=hidden, docs/embedding.md).
#pragma GCC visibility push(default)

namespace tally {

/// {"file", "line", "column", "severity", "text", "hint", "rendered"}.
nlohmann::json to_json(const Message& message);
/// An array of messages.
nlohmann::json to_json(const std::vector<Message>& messages);
/// {"columns": [...], "rows": [[...], ...]}: cells as the CSV has them.
nlohmann::json to_json(const ResultTable& table);
/// {"ok", "status", "messages", "summary": {...}, "payouts", "credits",
/// "measures", "rejects", "payees"}: the tables a run built (a table it
/// did not build is absent), each as to_json(ResultTable).
nlohmann::json to_json(const RunResult& result);
/// The explain tree: {"label", "value", "note", "children": [...]}, and for
/// an Explanation {"ok", "messages", "tree", "text"}.
nlohmann::json to_json(const ExplainNode& node);
nlohmann::json to_json(const Explanation& explanation);

}  // namespace tally

#pragma GCC visibility pop
