// Finds the comments of a plan text, for Plan::comments (the formatter puts
// them back). Internal to grammar/.
#pragma once

#include <string_view>
#include <vector>

#include "grammar/ast.hpp"

namespace tally::grammar {

/// Every `// ...` and `/* ... */` comment of `text`, in order, with its span
/// and its text (delimiters included; a line comment stops before its
/// trailing blanks and the line break, which mean nothing; an unterminated
/// block comment runs to the end). Strings are skipped,
/// so `"a // b"` holds no comment: this follows the lexer of rules.hpp, where
/// `"` always starts a string and `//`, `/*` outside one always a comment.
std::vector<ast::Comment> scan_comments(std::string_view text);

}  // namespace tally::grammar
