// Putting comments back: the formatter prints code from the AST, which has
// no comments, then places each comment of `Plan::comments` beside the code
// it was written beside — at the end of the line it followed (a trailing
// comment) or on its own line before the code that comes after it — and
// keeps the blank lines written between items. Internal to the formatter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/format_layout.hpp"

namespace tally::format {

/// A comment as the formatter prints it: its text with line breaks as LF and
/// no trailing spaces, and where its text lies in the source.
struct SourceComment {
  std::string text;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;  ///< of the text, not counting a line break after a `//` comment
};

/// The source text and its comments, to answer what lies between two
/// offsets: code, comments, blank lines.
class SourceMap {
 public:
  SourceMap(std::string_view text, const std::vector<ast::Comment>& comments);

  const std::vector<SourceComment>& comments() const { return comments_; }
  /// Whether an empty line (only spaces) lies between `from` and `to`;
  /// comments count as text.
  bool blank_line_between(std::uint32_t from, std::uint32_t to) const;
  /// Where the word `word` first occurs as code (not in a comment or string) in [from, to).
  std::optional<std::uint32_t> find_word(std::uint32_t from, std::uint32_t to,
                                         std::string_view word) const;
  /// Whether code precedes the comment on the line it starts on.
  bool follows_code(const SourceComment& comment) const;
  /// Whether the text of `span` holds no line break (false without a source text).
  bool on_one_line(Span span) const;
  /// The offset of the start of the line holding `offset`.
  std::uint32_t line_start(std::uint32_t offset) const;

 private:
  /// The comment covering `offset`, if any.
  const SourceComment* comment_at(std::uint32_t offset) const;

  std::string_view text_;
  std::vector<SourceComment> comments_;  ///< sorted by begin
  std::vector<std::uint32_t> line_starts_;
};

/// The final text: the lines with every comment of `source` placed, blank
/// lines between items as the layout and the source ask. `last_end` is where
/// the last declaration ends (comments after it go at the end of the file);
/// `has_declarations` is false for a plan of comments only.
std::string render_with_comments(const std::vector<Line>& lines, const SourceMap& source,
                                 std::uint32_t last_end, bool has_declarations);

}  // namespace tally::format
