#include "grammar/format_layout.hpp"

namespace tally::format {

int display_width(std::string_view text) {
  int width = 0;
  for (char c : text) {
    // Continuation bytes of a multi-byte character do not start a column.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

Line& Layout::start_line(int indent) {
  lines_.emplace_back();
  lines_.back().indent = indent;
  width_ = 0;
  return lines_.back();
}

void Layout::write(std::string_view text) {
  if (lines_.empty()) start_line(0);
  lines_.back().text += text;
  width_ += display_width(text);
}

void Layout::mark(std::uint32_t offset) {
  if (lines_.empty()) start_line(0);
  lines_.back().positions.push_back(offset);
}

void Layout::mark(Span span) {
  mark(span.begin);
  mark(span.end);
}

int Layout::column() const {
  return lines_.empty() ? 0 : lines_.back().indent + width_;
}

}  // namespace tally::format
