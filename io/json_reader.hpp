// Loads a JSON file — an array of objects, one per row — into a Table with
// nlohmann/json's SAX parser, streamed from the file through a fixed-size
// buffer (no document tree is built). Numbers reach the value parser as
// their original text, so `12345678901234567890.123` stays exact. A missing
// key or a JSON null is a null; keys the schema does not declare are
// ignored. Rows are named by the line of the text where the value is (JSON
// has no rows), so `deals.json:14:3` points into the file.
#pragma once

#include <cstdio>

#include "io/load_errors.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"
#include "io/table_builder.hpp"

namespace tally {

void load_json(std::FILE* file, const SourceSchema& schema, const LoadOptions& options,
               TableBuilder& builder, LoadErrors& errors);

}  // namespace tally
