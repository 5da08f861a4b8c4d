#include "grammar/parse_state.hpp"

#include <cstdio>

#include "grammar/keywords.hpp"

namespace tally::grammar {
namespace {

constexpr std::size_t kLongestShownToken = 24;

bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c);
}

const char* end_of_line(const char* p, const char* end) {
  while (p < end && *p != '\n' && *p != '\r') ++p;
  return p;
}

std::string quoted(std::string_view text) {
  if (text.size() > kLongestShownToken) {
    return concat({"\"", text.substr(0, kLongestShownToken), "...\""});
  }
  return concat({"\"", text, "\""});
}

std::size_t utf8_length(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace

int count_characters(const char* begin, const char* end) {
  int count = 0;
  for (const char* p = begin; p < end; ++p) {
    if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) ++count;
  }
  return count;
}

const char* skip_blank_text(const char* p, const char* end) {
  while (p < end) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
      ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
      p = end_of_line(p, end);
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      const std::string_view rest(p + 2, static_cast<std::size_t>(end - p - 2));
      const auto close = rest.find("*/");
      p = close == std::string_view::npos ? end : p + 2 + close + 2;
    } else {
      break;
    }
  }
  return p;
}

FoundToken describe_token(const char* p, const char* end) {
  p = skip_blank_text(p, end);
  if (p == end) return {"end of file", 0, 0};
  const char* q = p;
  std::string description;
  if (is_word_start(*p)) {
    while (q < end && is_word_char(*q)) ++q;
    const std::string_view word(p, static_cast<std::size_t>(q - p));
    description = is_reserved_word(word) ? concat({"the keyword ", quoted(word)}) : quoted(word);
  } else if (is_digit(*p)) {
    while (q < end && (is_word_char(*q) || *q == '.' || *q == '%' || *q == '-')) ++q;
    description = quoted(std::string_view(p, static_cast<std::size_t>(q - p)));
  } else if (*p == '"') {
    q = p + 1;
    while (q < end && *q != '"' && *q != '\n' && *q != '\r')
      q += (*q == '\\' && q + 1 < end) ? 2 : 1;
    const std::string_view inside(p + 1, static_cast<std::size_t>(q - p - 1));
    if (q < end && *q == '"') ++q;
    description = concat({"the string ", quoted(inside)});
  } else if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "the control character U+%04X",
                  static_cast<unsigned>(static_cast<unsigned char>(*p)));
    description = buffer;
    q = p + 1;
  } else {
    static constexpr std::string_view kTwoCharacterOperators[] = {
        "==", "!=", "<=", ">=", "..", "??"};
    q = p + utf8_length(static_cast<unsigned char>(*p));
    if (q > end) q = end;
    for (std::string_view op : kTwoCharacterOperators) {
      if (std::string_view(p, static_cast<std::size_t>(end - p)).starts_with(op)) q = p + 2;
    }
    description = quoted(std::string_view(p, static_cast<std::size_t>(q - p)));
  }
  return {description, static_cast<std::uint32_t>(q - p), count_characters(p, q)};
}

void ParseState::fail_expected(const char* p, std::string_view expected) const {
  const char* at = skip_blank_text(p, end);
  // At the end of the file, point just past the last token rather than at
  // an empty line after it.
  if (at == end && last_token_end <= offset(p)) at = base + last_token_end;
  const FoundToken found = describe_token(at, end);
  throw SyntaxError{offset(at), found.characters, concat({expected, ", found ", found.description}),
                    ""};
}

void ParseState::fail_at(const char* p, int length, std::string message) const {
  throw SyntaxError{offset(p), length, std::move(message), ""};
}

void ParseState::fail_at(Span span, std::string message) const {
  throw SyntaxError{span.begin, count_characters(base + span.begin, base + span.end),
                    std::move(message), ""};
}

}  // namespace tally::grammar
