// Plan source text and positions in it. Every AST node carries a Span of
// byte offsets; SourceFile turns an offset into a line and column only when
// a message needs one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/runtime/result.hpp"

namespace tally {

/// Half-open byte range [begin, end) in one SourceFile.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  /// 1-based line and column (columns count UTF-8 characters) of an offset.
  Location locate(std::uint32_t offset) const;
  /// The text of 1-based line `line`, without its line break.
  std::string_view line_text(int line) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

}  // namespace tally
