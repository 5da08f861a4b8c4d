// Sources an embedding host hands over in memory instead of files
// (tally::RowSource, tally::ColumnTable), loaded into the typed columns a
// file would load into. Values are read by the same parsers as files, so a
// cell means the same whether it comes from a CSV file or from the host.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "interpreter/runtime/calendar.hpp"
#include "interpreter/runtime/column.hpp"
#include "interpreter/runtime/result.hpp"
#include "interpreter/runtime/symbols.hpp"
#include "io/loader.hpp"
#include "io/source_schema.hpp"
#include "tally/tally.hpp"

namespace tally {

/// For each field of `schema`, the index of the host column named after it
/// (`names`), or -1; an error for a column that names no field or a field
/// named twice.
Result<std::vector<int>> match_host_columns(const SourceSchema& schema,
                                            const std::vector<std::string>& names,
                                            const std::string& origin);

/// The rows `given.next` hands over, as a Table of `schema` (keys are not
/// checked here: the caller does, as for files). Rows are numbered from 1 in
/// messages, after `given.origin`. With `bad_rows` (--lenient) a row with a
/// bad value is left out and recorded there instead of being an error.
/// `keep_going` (the run's limits, as LoadOptions::keep_going) is asked
/// before memory is taken and every 65,536 rows; when it answers false the
/// load stops with an error.
Result<Table> load_row_source(const SourceSchema& schema, const RowSource& given,
                              SymbolTable& symbols, const Calendar& calendar,
                              std::vector<BadRow>* bad_rows,
                              const std::function<bool(std::uint64_t)>& keep_going = {});

/// The host's typed arrays as a Table of `schema`: numbers and dates copied
/// straight into the typed columns, text columns parsed as file cells are. A
/// column whose kind does not suit its field (dates for a money field), a
/// length that differs from the others', a null in a required field or a
/// value out of range is an error naming `given.origin`, the column and the
/// row (numbered from 1). `keep_going` is asked for the memory of the
/// columns before they are filled.
Result<Table> load_column_table(const SourceSchema& schema, const ColumnTable& given,
                                SymbolTable& symbols, const Calendar& calendar,
                                const std::function<bool(std::uint64_t)>& keep_going = {});

}  // namespace tally
