// Small helpers to write schemas and check load results in tests.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "io/loader.hpp"
#include "temp_file.hpp"

namespace tally::testing {

inline FieldSpec field(std::string name, Type type) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = std::move(type);
  return spec;
}
inline FieldSpec key(std::string name, Type type) {
  FieldSpec spec = field(std::move(name), std::move(type));
  spec.key = true;
  return spec;
}
inline Type text() {
  return Type::of(Kind::text);
}
inline Type money() {
  return Type::money_in("USD");
}

inline SourceSchema schema(std::vector<FieldSpec> fields) {
  SourceSchema s;
  s.name = "deals";
  s.fields = std::move(fields);
  return s;
}

/// Each error as `file:row:column: message` with the file name only (the
/// folder is the test's temporary one), plus ` [hint]` when there is one.
inline std::vector<std::string> rendered(const Errors& errors) {
  std::vector<std::string> out;
  for (const Error& e : errors) {
    std::string line = std::filesystem::path(e.where.file).filename().string() + ":" +
                       std::to_string(e.where.line) + ":" + std::to_string(e.where.column) + ": " +
                       e.message;
    if (!e.hint.empty()) line += " [" + e.hint + "]";
    out.push_back(line);
  }
  return out;
}

/// Writes `content` to `name` and loads it.
inline Result<Table> load_text(const SourceSchema& s, const std::string& name,
                               const std::string& content, SymbolTable& symbols,
                               LoadOptions options = {}) {
  return load_table(s, write_temp_file(name, content), symbols, options);
}

/// The errors of a load that must fail.
inline std::vector<std::string> load_errors(const SourceSchema& s, const std::string& name,
                                            const std::string& content, LoadOptions options = {}) {
  SymbolTable symbols;
  auto result = load_text(s, name, content, symbols, options);
  REQUIRE_FALSE(result.ok());
  return rendered(result.errors());
}

inline std::string text_at(const Table& table, const SymbolTable& symbols, std::string_view column,
                           std::size_t row) {
  return std::string(symbols.text(table.column(column).symbols.at(row)));
}

}  // namespace tally::testing
