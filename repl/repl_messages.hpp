// How `tally repl` shows the messages of one input: each message's rendering,
// with the input line and a caret under the spot when the message points into
// the REPL input (`<repl>`) and its rendering does not show the line already.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tally/tally.hpp"

namespace tally::cli {

/// Writes `messages` to `out`; `input` is the text submitted (several lines
/// for a multi-line input), which a `<repl>` message's line and column point into.
void print_repl_messages(const std::vector<Message>& messages, const std::string& input,
                         std::ostream& out);

/// The rendering of one message as print_repl_messages writes it.
std::string render_repl_message(const Message& message, const std::string& input);

}  // namespace tally::cli
