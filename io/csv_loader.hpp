// Loads a delimited text file (.csv, .tsv, .txt) into a Table: the CSV
// reader's records, mapped to fields by header name or position, transcoded
// when the file is Windows-1252, then typed by the TableBuilder.
#pragma once

#include <cstdio>
#include <string>

#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "io/load_errors.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"
#include "io/table_builder.hpp"
#include "io/text_encoding.hpp"

namespace tally {

/// Reads every record of `file` into `builder`, reporting problems to
/// `errors`. `delimiter` overrides the schema's (a .tsv file uses tabs).
void load_csv(std::FILE* file, const SourceSchema& schema, char delimiter, TextEncoding encoding,
              const LoadOptions& options, TableBuilder& builder, LoadErrors& errors);

}  // namespace tally
