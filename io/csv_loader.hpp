// Loads a delimited text file (.csv, .tsv, .txt) into a Table: the CSV
// reader's records, mapped to fields by header name or position, transcoded
// when the file is Windows-1252, then typed by the TableBuilder.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "io/csv_reader.hpp"
#include "io/load_errors.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"
#include "io/table_builder.hpp"
#include "io/text_encoding.hpp"

namespace tally {

/// How a file's columns map to the schema's fields: `source[f]` is the
/// column of field f (-1: the file has none), and every row must have
/// `expected_fields` fields (0: taken from the first row, without header).
struct CsvLayout {
  std::vector<int> source;
  std::size_t expected_fields = 0;
  std::string expected_why;  ///< "as the header has", for messages
};

/// Reads the header line (when the schema has one) and maps it; nullopt
/// after reporting a missing or unreadable header or missing columns.
std::optional<CsvLayout> read_csv_header(CsvReader& reader, const SourceSchema& schema,
                                         TextEncoding encoding, TableBuilder& builder,
                                         LoadErrors& errors);

/// Reads the records after the header into `builder`. `bytes`, the size of
/// what the reader will read (0: unknown), lets the columns be sized once
/// from the first records instead of growing step by step. At most
/// `max_records` records are read (a chunk of a streamed file,
/// io/csv_chunks.hpp); returns true when the reader reached the file's end.
bool load_csv_records(CsvReader& reader, const CsvLayout& layout, TextEncoding encoding,
                      const LoadOptions& options, TableBuilder& builder, LoadErrors& errors,
                      std::uint64_t bytes = 0, std::size_t max_records = SIZE_MAX);

/// Reads every record of `file` into `builder`, reporting problems to
/// `errors`. `delimiter` overrides the schema's (a .tsv file uses tabs).
void load_csv(std::FILE* file, const SourceSchema& schema, char delimiter, TextEncoding encoding,
              const LoadOptions& options, TableBuilder& builder, LoadErrors& errors);

}  // namespace tally
