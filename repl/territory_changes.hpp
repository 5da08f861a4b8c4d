// The change file of `tally territories --what-if FILE` (docs/territories.md,
// "What-if"): one move a line,
//
//   # a comment
//   move state CA to West
//   move account "Acme Corp" to East
//
// moves every transaction whose field (`state`, `account`, or any text field
// of the credited source by its name) has the value into the territory. Every
// mistake is a message located at its line, with a "did you mean" where a
// name is close to a known one.
#pragma once

#include <string>
#include <vector>

#include "tally/territories.hpp"

namespace tally::cli {

struct ChangeFile {
  std::vector<TerritoryMove> moves;  ///< in file order, fields resolved to their names
  std::vector<Message> messages;     ///< errors; the moves are unusable when any
};

/// Parses `text` (read from `path`, named in messages) and checks each move
/// against `report`: the field exists and is text, the territory exists,
/// some transaction has the value, no value is moved twice and no
/// transaction is taken by two moves to different territories. `target`
/// names what a move goes to in messages: "territory", or "payee" when the
/// report's territories are books of business (territory_books.hpp).
ChangeFile read_changes(const std::string& path, const std::string& text,
                        const TerritoryReport& report, int account_field,
                        const std::string& target = "territory");

}  // namespace tally::cli
