#include "grammar/diagnostics.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace tally {
namespace {

constexpr std::size_t kTabWidth = 4;
// Long lines are cut to a window around the caret so that the caret line
// still fits a terminal.
constexpr std::size_t kMaxShownWidth = 100;
constexpr std::size_t kContextBeforeCaret = 40;
constexpr std::string_view kEllipsis = "...";

const char* severity_word(Severity severity) {
  switch (severity) {
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
    case Severity::error:
      break;
  }
  return "error";
}

/// One character of the source line as it is shown: tabs become spaces and
/// control characters or stray bytes become '?', so the caret line can be
/// aligned by counting cells.
struct Cell {
  std::string shown;
  std::size_t column = 0;  ///< display column where the character starts
};

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

std::vector<Cell> to_cells(std::string_view line, std::size_t& total_width) {
  std::vector<Cell> cells;
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t length = utf8_sequence_length(lead);
    bool valid = length > 0 && i + length <= line.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    }
    Cell cell;
    cell.column = column;
    if (lead == '\t') {
      cell.shown.assign(kTabWidth - column % kTabWidth, ' ');
    } else if (!valid || lead < 0x20 || lead == 0x7F) {
      cell.shown = "?";
    } else {
      cell.shown.assign(line.substr(i, length));
    }
    column += lead == '\t' ? cell.shown.size() : 1;
    cells.push_back(std::move(cell));
    i += valid ? length : 1;
  }
  total_width = column;
  return cells;
}

std::string header_line(const Error& error, Severity severity) {
  std::string out;
  const Location& where = error.where;
  if (!where.file.empty()) out += where.file;
  if (where.line > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(where.line);
    if (where.column > 0) {
      out += ':';
      out += std::to_string(where.column);
    }
  }
  if (!out.empty()) out += ": ";
  out += severity_word(severity);
  out += ": ";
  out += error.message;
  out += '\n';
  return out;
}

std::string source_excerpt(const Error& error, const SourceFile& source) {
  const Location& where = error.where;
  const std::string_view line = source.line_text(where.line);
  std::size_t total_width = 0;
  const std::vector<Cell> cells = to_cells(line, total_width);

  // The caret spans [first, last) in characters, at least one, clamped so an
  // error at the end of a line points just past its last character.
  const std::size_t first =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(where.column, 1)) - 1, cells.size());
  const std::size_t length = static_cast<std::size_t>(std::max(where.length, 1));
  const std::size_t last = std::max(first + 1, std::min(first + length, cells.size()));
  auto display_column = [&](std::size_t index) {
    return index < cells.size() ? cells[index].column : total_width + (index - cells.size());
  };
  const std::size_t caret_begin = display_column(first);
  const std::size_t caret_end = display_column(last);

  std::size_t window_begin = 0;
  if (total_width > kMaxShownWidth && caret_begin > kContextBeforeCaret) {
    window_begin = std::min(caret_begin - kContextBeforeCaret, total_width - kMaxShownWidth);
  }
  const std::size_t window_end = std::min(total_width, window_begin + kMaxShownWidth);

  std::string shown;
  if (window_begin > 0) shown += kEllipsis;
  for (const Cell& cell : cells) {
    if (cell.column >= window_begin && cell.column < window_end) shown += cell.shown;
  }
  if (window_end < total_width) shown += kEllipsis;

  const std::size_t prefix = window_begin > 0 ? kEllipsis.size() : 0;
  const std::size_t shown_end = std::max(caret_begin + 1, std::min(caret_end, window_end + 1));
  std::string caret(prefix + caret_begin - window_begin, ' ');
  caret += '^';
  caret.append(shown_end - caret_begin - 1, '~');

  const std::string number = std::to_string(where.line);
  const std::string gutter(number.size(), ' ');
  std::string out;
  out += " " + number + " | " + shown + "\n";
  out += " " + gutter + " | " + caret + "\n";
  return out;
}

}  // namespace

std::string render_error(const Error& error, const SourceFile* source, Severity severity) {
  std::string out = header_line(error, severity);
  if (source != nullptr && error.where.line > 0) out += source_excerpt(error, *source);
  if (!error.hint.empty()) out += "hint: " + error.hint + "\n";
  return out;
}

}  // namespace tally
