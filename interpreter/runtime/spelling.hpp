// "Did you mean ...?" suggestions for misspelt names, shared by the parser
// (keywords), the checker (declared names) and the loader (column names).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tally {

/// Levenshtein distance between two strings, compared case-insensitively.
int edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if one is close enough to be a plausible
/// typo (distance at most a third of the word's length, and at least 1 edit
/// allowed); ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace tally
