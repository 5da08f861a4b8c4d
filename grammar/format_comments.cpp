#include "grammar/format_comments.hpp"

#include <algorithm>
#include <utility>

namespace tally::format {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// CRLF becomes LF and every line loses its trailing spaces, so that a
/// comment prints the same on every platform and formatting it twice changes
/// nothing.
std::string normalized(std::string_view text) {
  std::string out;
  std::string line;
  auto flush = [&](bool more) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.pop_back();
    }
    out += line;
    if (more) out += '\n';
    line.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush(true);
    } else {
      line += c;
    }
  }
  flush(false);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

SourceMap::SourceMap(std::string_view text, const std::vector<ast::Comment>& comments)
    : text_(text) {
  const auto size = static_cast<std::uint32_t>(text_.size());
  for (const ast::Comment& comment : comments) {
    SourceComment placed;
    placed.text = normalized(comment.text);
    placed.begin = std::min(comment.span.begin, size);
    placed.end = std::max(placed.begin, std::min(comment.span.end, size));
    // A `//` comment may or may not own its line break; the text ends before it.
    while (placed.end > placed.begin &&
           (text_[placed.end - 1] == '\n' || text_[placed.end - 1] == '\r')) {
      --placed.end;
    }
    comments_.push_back(std::move(placed));
  }
  std::stable_sort(
      comments_.begin(), comments_.end(),
      [](const SourceComment& a, const SourceComment& b) { return a.begin < b.begin; });
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < size; ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

const SourceComment* SourceMap::comment_at(std::uint32_t offset) const {
  auto after =
      std::upper_bound(comments_.begin(), comments_.end(), offset,
                       [](std::uint32_t value, const SourceComment& c) { return value < c.begin; });
  if (after == comments_.begin()) return nullptr;
  const SourceComment& candidate = *(after - 1);
  return offset < candidate.end ? &candidate : nullptr;
}

std::uint32_t SourceMap::line_start(std::uint32_t offset) const {
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return *(after - 1);
}

bool SourceMap::on_one_line(Span span) const {
  if (text_.empty() || span.begin >= span.end || span.end > text_.size()) return false;
  return text_.substr(span.begin, span.end - span.begin).find('\n') == std::string_view::npos;
}

bool SourceMap::blank_line_between(std::uint32_t from, std::uint32_t to) const {
  to = std::min(to, static_cast<std::uint32_t>(text_.size()));
  int line_breaks = 0;
  bool text_on_line = false;
  for (std::uint32_t i = from; i < to;) {
    if (const SourceComment* comment = comment_at(i)) {
      text_on_line = true;
      i = std::max(comment->end, i + 1);
      continue;
    }
    const char c = text_[i];
    if (c == '\n') {
      if (line_breaks > 0 && !text_on_line) return true;
      ++line_breaks;
      text_on_line = false;
    } else if (!is_space(c)) {
      text_on_line = true;
    }
    ++i;
  }
  return false;
}

std::optional<std::uint32_t> SourceMap::find_word(std::uint32_t from, std::uint32_t to,
                                                  std::string_view word) const {
  to = std::min(to, static_cast<std::uint32_t>(text_.size()));
  for (std::uint32_t i = from; i < to;) {
    if (const SourceComment* comment = comment_at(i)) {
      i = std::max(comment->end, i + 1);
      continue;
    }
    if (text_[i] == '"') {  // skip a string literal, escapes included
      for (++i; i < to && text_[i] != '"' && text_[i] != '\n'; ++i) {
        if (text_[i] == '\\') ++i;
      }
      ++i;
      continue;
    }
    const bool starts_word = i == 0 || !is_word_char(text_[i - 1]);
    if (starts_word && text_.substr(i, word.size()) == word &&
        (i + word.size() >= text_.size() || !is_word_char(text_[i + word.size()]))) {
      return i;
    }
    ++i;
  }
  return std::nullopt;
}

bool SourceMap::follows_code(const SourceComment& comment) const {
  for (std::uint32_t i = line_start(comment.begin); i < comment.begin;) {
    if (const SourceComment* other = comment_at(i)) {
      i = std::max(other->end, i + 1);
      continue;
    }
    if (!is_space(text_[i])) return true;
    ++i;
  }
  return false;
}

namespace {

/// Where each comment goes: before a line (`leading`, index lines.size() for
/// the end of the file) or at the end of one (`trailing`).
struct Placement {
  std::vector<std::vector<const SourceComment*>> leading;
  std::vector<std::vector<const SourceComment*>> trailing;
};

Placement place(const std::vector<Line>& lines, const SourceMap& source) {
  Placement placement;
  placement.leading.resize(lines.size() + 1);
  placement.trailing.resize(lines.size());

  // The code positions in source order, each with its line, for trailing comments.
  std::vector<std::pair<std::uint32_t, std::size_t>> positions;
  // The furthest position on any line so far: a comment goes before the first
  // line whose code reaches past it.
  std::vector<std::uint32_t> reach(lines.size(), 0);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::uint32_t furthest = i > 0 ? reach[i - 1] : 0;
    for (std::uint32_t p : lines[i].positions) {
      positions.emplace_back(p, i);
      furthest = std::max(furthest, p);
    }
    reach[i] = furthest;
  }
  std::sort(positions.begin(), positions.end());

  for (const SourceComment& comment : source.comments()) {
    if (source.follows_code(comment)) {
      // The last line holding code from the comment's own line, before it.
      const std::uint32_t from = source.line_start(comment.begin);
      auto first = std::lower_bound(positions.begin(), positions.end(),
                                    std::make_pair(from, std::size_t{0}));
      std::optional<std::size_t> target;
      for (auto it = first; it != positions.end() && it->first <= comment.begin; ++it) {
        target = std::max(target.value_or(0), it->second);
      }
      if (target) {
        placement.trailing[*target].push_back(&comment);
        continue;
      }
    }
    const auto line = static_cast<std::size_t>(
        std::lower_bound(reach.begin(), reach.end(), comment.end) - reach.begin());
    placement.leading[line].push_back(&comment);
  }

  // A `//` comment ends its line, and so does a block comment spanning lines:
  // what would follow moves to the start of the next line's comments.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& trailing = placement.trailing[i];
    std::sort(trailing.begin(), trailing.end(),
              [](const SourceComment* a, const SourceComment* b) { return a->begin < b->begin; });
    for (std::size_t k = 0; k < trailing.size(); ++k) {
      const std::string& text = trailing[k]->text;
      const bool ends_line = text.rfind("//", 0) == 0 || text.find('\n') != std::string::npos;
      if (ends_line && k + 1 < trailing.size()) {
        auto& next = placement.leading[i + 1];
        next.insert(next.begin(), trailing.begin() + static_cast<std::ptrdiff_t>(k) + 1,
                    trailing.end());
        trailing.resize(k + 1);
        break;
      }
    }
  }
  return placement;
}

class Writer {
 public:
  void line(int indent, std::string_view text) {
    out_.append(static_cast<std::size_t>(indent), ' ');
    out_ += text;
    out_ += '\n';
    last_blank_ = false;
  }
  void blank() {
    if (out_.empty() || last_blank_) return;
    out_ += '\n';
    last_blank_ = true;
  }
  std::string take() {
    if (last_blank_) out_.pop_back();
    return std::move(out_);
  }

 private:
  std::string out_;
  bool last_blank_ = false;
};

}  // namespace

std::string render_with_comments(const std::vector<Line>& lines, const SourceMap& source,
                                 std::uint32_t last_end, bool has_declarations) {
  const Placement placement = place(lines, source);
  Line end_of_file;
  end_of_file.role = LineRole::block_close;
  end_of_file.indent = -kIndent;
  end_of_file.first_in_block = !has_declarations;
  end_of_file.previous_end = last_end;

  Writer out;
  for (std::size_t i = 0; i <= lines.size(); ++i) {
    const Line& line = i < lines.size() ? lines[i] : end_of_file;
    const auto& leading = placement.leading[i];
    const bool between_items = line.role != LineRole::continuation;

    bool blank_first = false;
    if (!line.first_in_block) {
      if (line.role == LineRole::item_start) {
        const std::uint32_t next = leading.empty() ? line.item_begin : leading.front()->begin;
        blank_first = line.structural_blank || source.blank_line_between(line.previous_end, next);
      } else if (line.role == LineRole::block_close && !leading.empty()) {
        blank_first = source.blank_line_between(line.previous_end, leading.front()->begin);
      }
    }
    const int comment_indent =
        line.role == LineRole::block_close ? line.indent + kIndent : line.indent;
    for (std::size_t k = 0; k < leading.size(); ++k) {
      const bool blank = k == 0 ? blank_first
                                : between_items && source.blank_line_between(leading[k - 1]->end,
                                                                             leading[k]->begin);
      if (blank) out.blank();
      out.line(comment_indent, leading[k]->text);
    }
    if (line.role == LineRole::item_start) {
      if (leading.empty() ? blank_first
                          : source.blank_line_between(leading.back()->end, line.item_begin)) {
        out.blank();
      }
    }
    if (i == lines.size()) break;

    std::string text = line.text;
    for (std::size_t k = 0; k < placement.trailing[i].size(); ++k) {
      text += k == 0 ? "  " : " ";
      text += placement.trailing[i][k]->text;
    }
    out.line(line.indent, text);
  }
  return out.take();
}

}  // namespace tally::format
