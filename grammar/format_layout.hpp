// The formatter's output before comments are placed: a list of lines, each
// remembering which source offsets its code came from, so that a comment can
// later be put back beside the code it was written beside. Internal to the
// formatter (grammar/format_*.cpp, grammar/formatter.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/source.hpp"

namespace tally::format {

/// Lines never grow past this many characters when a layout can avoid it.
inline constexpr int kLineLimit = 100;
/// Indentation of block contents and of continuation lines.
inline constexpr int kIndent = 2;

/// How a line relates to the list of items around it; this decides where
/// blank lines may go (only between items) and how comments before the line
/// are indented.
enum class LineRole {
  continuation,  ///< inside a declaration: no blank line before it
  item_start,    ///< the first line of a declaration or of a block item
  block_close,   ///< a closing `}` (or the end of the file)
};

struct Line {
  int indent = 0;
  std::string text;
  /// Source offsets of the code on this line (node begins and ends).
  std::vector<std::uint32_t> positions;
  LineRole role = LineRole::continuation;
  /// item_start: the first item of its block or file (no blank line before it).
  bool first_in_block = true;
  /// item_start: the layout wants a blank line before this item whatever the source had.
  bool structural_blank = false;
  /// item_start: where the item begins; block_close: unused.
  std::uint32_t item_begin = 0;
  /// item_start and block_close: where the previous item ended (blank lines
  /// written between them in the source are kept).
  std::uint32_t previous_end = 0;
};

/// Number of characters (UTF-8 code points) in `text`: the width of a column.
int display_width(std::string_view text);

/// The line buffer the declaration and expression printers write into.
class Layout {
 public:
  /// Starts a new line at `indent`; the returned line may be given a role.
  Line& start_line(int indent);
  /// Appends text to the current line.
  void write(std::string_view text);
  /// Records that the code at source offset `offset` is on the current line.
  void mark(std::uint32_t offset);
  /// Records both ends of a node on the current line.
  void mark(Span span);
  /// The column the next character would be written at.
  int column() const;
  Line& current() { return lines_.back(); }
  std::size_t size() const { return lines_.size(); }
  std::vector<Line>& lines() { return lines_; }

 private:
  std::vector<Line> lines_;
  int width_ = 0;  ///< of the current line's text
};

}  // namespace tally::format
