#include "grammar/comment_scan.hpp"

#include <cstdint>
#include <string>

namespace tally::grammar {

std::vector<ast::Comment> scan_comments(std::string_view text) {
  std::vector<ast::Comment> comments;
  const std::size_t n = text.size();
  auto add = [&](std::size_t begin, std::size_t end) {
    comments.push_back(
        ast::Comment{Span{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)},
                     std::string(text.substr(begin, end - begin))});
  };
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (c == '"') {
      // A string ends at its closing quote or, unterminated, at the line end.
      ++i;
      while (i < n && text[i] != '"' && text[i] != '\n' && text[i] != '\r') {
        i += (text[i] == '\\' && i + 1 < n) ? 2 : 1;
      }
      if (i < n && text[i] == '"') ++i;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      const std::size_t begin = i;
      while (i < n && text[i] != '\n' && text[i] != '\r') ++i;
      std::size_t end = i;
      while (end > begin + 2 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
      add(begin, end);
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      const std::size_t begin = i;
      const std::size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      add(begin, i);
    } else {
      ++i;
    }
  }
  return comments;
}

}  // namespace tally::grammar
