// Rendering errors for people: `file:line:col: error: message`, the source
// line, a caret under the spot, and the hint if any.
#pragma once

#include <string>

#include "grammar/source.hpp"
#include "interpreter/runtime/result.hpp"

namespace tally {

enum class Severity { error, warning, note };

/// One error as text. When `source` is the file the error points into, the
/// offending line is shown with a caret; otherwise only the first line.
std::string render_error(const Error& error, const SourceFile* source = nullptr,
                         Severity severity = Severity::error);

}  // namespace tally
