#include "grammar/source.hpp"

#include <algorithm>
#include <utility>

namespace tally {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Location SourceFile::locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  // The last line start not after `offset`.
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line_index = static_cast<std::size_t>(next - line_starts_.begin()) - 1;
  std::uint32_t start = line_starts_[line_index];
  // A byte order mark is invisible in every editor, so columns start after it.
  if (line_index == 0 && text_.starts_with(kByteOrderMark)) {
    start = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(kByteOrderMark.size()));
  }
  int column = 1;
  for (std::uint32_t i = start; i < offset; ++i) {
    if (!is_continuation_byte(text_[i])) ++column;
  }
  return Location{name_, static_cast<int>(line_index) + 1, column, 0};
}

std::string_view SourceFile::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  const auto index = static_cast<std::size_t>(line) - 1;
  std::size_t begin = line_starts_[index];
  std::size_t end = index + 1 < line_starts_.size() ? line_starts_[index + 1] - 1 : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (view.ends_with('\r')) view.remove_suffix(1);
  if (index == 0 && view.starts_with(kByteOrderMark)) view.remove_prefix(kByteOrderMark.size());
  return view;
}

}  // namespace tally
