// Character encodings of data files. Fields are split on raw bytes (the
// delimiter, quotes and line ends are ASCII in every supported encoding) and
// only the fields the schema uses are then checked or transcoded, so the
// reader never converts a whole file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tally {

enum class TextEncoding { utf8, windows1252 };

/// The encoding named by a schema's `encoding` option: "utf-8" (also
/// "utf8"), "windows-1252" (also "cp1252"); case-insensitive. Nullopt when
/// unknown.
std::optional<TextEncoding> parse_encoding_name(std::string_view name);

/// True when every byte is below 0x80 (short fields: a tight loop, inlined).
inline bool is_ascii(std::string_view text) {
  unsigned char any = 0;
  for (char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

/// Offset of the first byte that is not part of well-formed UTF-8 (overlong
/// forms, surrogates and code points above U+10FFFF are ill-formed), or
/// nullopt when all of `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

/// Replaces `out` with `text` transcoded from Windows-1252 to UTF-8. The five
/// bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to
/// the C1 control characters of the same value, as the WHATWG encoding
/// standard does, so no byte is ever dropped.
void windows1252_to_utf8(std::string_view text, std::string& out);

/// `text` quoted for an error message: control characters and bytes that are
/// not valid UTF-8 are escaped (`\n`, `\xE4`), and values longer than 60
/// characters are cut with "...".
std::string quote_value(std::string_view text);

}  // namespace tally
