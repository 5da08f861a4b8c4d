// Loads fuzz input through io/loader.hpp, the same entry point a run uses:
// the loader reads files, so the bytes go to a file in a RAM-backed folder
// (one per process, so parallel fuzzers never share one), and the result is
// checked for the invariants every loaded table keeps.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_schema.hpp"
#include "io/loader.hpp"

namespace tally::fuzz {

inline std::string scratch_path(const char* extension) {
  const char* folder = std::getenv("TMPDIR");
  std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (folder ? folder : "/tmp");
  return base + "/tally-fuzz-" + std::to_string(getpid()) + extension;
}

[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
  std::abort();
}

/// Loads `data` (its first byte picks the schema variant) as a file with
/// `extension`; aborts when the outcome breaks an invariant.
inline void load_and_check(const std::uint8_t* data, std::size_t size, const char* extension,
                           bool delimited) {
  if (size == 0) return;
  const SourceSchema schema = fuzz_schema(data[0], delimited);
  static const std::string path = scratch_path(extension);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return;
  if (size > 1) std::fwrite(data + 1, 1, size - 1, file);
  std::fclose(file);

  SymbolTable symbols;
  LoadOptions options;
  options.read_buffer_size = 64 + data[0];  // records cross buffer boundaries
  options.threads = 1;
  std::vector<BadRow> bad_rows;
  if (data[0] & 0x10) options.bad_rows = &bad_rows;
  Result<Table> loaded = load_table(schema, path, symbols, options);
  if (!loaded) {
    if (loaded.errors().empty()) broken("a failed load with no error");
    for (const Error& e : loaded.errors())
      if (e.message.empty()) broken("an error without a message");
    return;
  }
  const Table& table = loaded.value();
  if (table.columns.size() != schema.fields.size()) broken("a column per field");
  for (const Column& column : table.columns) {
    if (column.size() != table.rows) broken("column " + column.name + " has the wrong length");
    if (!column.valid.empty() && column.valid.size() != table.rows)
      broken("column " + column.name + " has a null mask of the wrong length");
    if (!column.type.optional && !column.valid.empty())
      for (std::uint8_t present : column.valid)
        if (!present) broken("a null in required column " + column.name);
  }
  if (!table.file_rows.empty() && table.file_rows.size() != table.rows)
    broken("file_rows of the wrong length");
}

}  // namespace tally::fuzz
