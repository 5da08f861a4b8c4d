#include "io/csv_loader.hpp"

#include <algorithm>

#include "io/column_mapping.hpp"
#include "io/csv_reader.hpp"

namespace tally {

namespace {

std::string field_list(const SourceSchema& schema) {
  std::string list;
  for (const FieldSpec& field : schema.fields) {
    if (!list.empty()) list += ", ";
    list += column_name(field);
  }
  return list;
}

}  // namespace

void load_csv(std::FILE* file, const SourceSchema& schema, char delimiter, TextEncoding encoding,
              const LoadOptions& options, TableBuilder& builder, LoadErrors& errors) {
  const bool transcode = encoding == TextEncoding::windows1252;
  CsvReader reader(file, CsvOptions{delimiter, !transcode, options.read_buffer_size});
  CsvRecord record;
  CsvSyntaxError syntax;
  std::string converted;  // reused for Windows-1252 fields

  std::vector<int> source;
  std::size_t expected_fields = 0;  // 0 until known
  std::string expected_why;
  if (schema.header) {
    const auto status = reader.next(record, syntax);
    if (status == CsvReader::Status::end) {
      errors.add(
          0, 0,
          "the file is empty; expected a header line naming the columns " + field_list(schema));
      return;
    }
    if (status == CsvReader::Status::error) {
      errors.add(syntax.row, syntax.column, syntax.message);
      return;
    }
    std::vector<std::string> header;
    for (std::size_t c = 0; c < record.size(); ++c) {
      if (transcode) {
        windows1252_to_utf8(record.field(c), converted);
        header.push_back(converted);
      } else {
        header.emplace_back(record.field(c));
      }
    }
    const std::size_t errors_before = errors.total();
    source = map_header(schema, header, errors);
    // Without its columns no row can be read meaningfully.
    if (errors.total() != errors_before) return;
    for (std::size_t f = 0; f < source.size(); ++f) {
      if (source[f] >= 0) builder.set_label(f, header[static_cast<std::size_t>(source[f])]);
    }
    expected_fields = record.size();
    expected_why = "as the header has";
  } else {
    source = map_positions(schema);
  }
  const int needed = source.empty() ? 0 : *std::max_element(source.begin(), source.end()) + 1;

  ValueProblem problem;
  for (;;) {
    const auto status = reader.next(record, syntax);
    if (status == CsvReader::Status::end) break;
    if (status == CsvReader::Status::error) {
      errors.add(syntax.row, syntax.column, syntax.message);
      continue;
    }
    const int row = record.row();
    if (expected_fields == 0) {  // the first row of a file without header
      if (static_cast<int>(record.size()) < needed) {
        errors.add(row, 0,
                   "row has " + std::to_string(record.size()) + " field" +
                       (record.size() == 1 ? "" : "s") + ", but the schema needs at least " +
                       std::to_string(needed) +
                       " (the file has no header: fields are read by "
                       "position)");
        continue;
      }
      expected_fields = record.size();
      expected_why = "as the first row has";
    }
    if (record.size() != expected_fields) {
      errors.add(row, 0,
                 "row has " + std::to_string(record.size()) + " field" +
                     (record.size() == 1 ? "" : "s") + ", expected " +
                     std::to_string(expected_fields) + " " + expected_why,
                 record.size() > expected_fields
                     ? "a field that contains the delimiter must be quoted: \"a, b\""
                     : "");
      continue;
    }
    builder.begin_row(static_cast<std::uint32_t>(row));
    bool bad = false;
    for (std::size_t f = 0; f < source.size(); ++f) {
      const int c = source[f];
      bool ok;
      if (c < 0) {
        ok = builder.append_absent(f, problem, "the file has no such column");
      } else if (transcode) {
        windows1252_to_utf8(record.field(static_cast<std::size_t>(c)), converted);
        ok = builder.append(f, converted, problem);
      } else {
        ok = builder.append(f, record.field(static_cast<std::size_t>(c)), problem);
      }
      if (ok) continue;
      if (options.bad_rows) {
        bad = true;
        options.bad_rows->push_back(BadRow{row, c + 1, builder.label(f), std::move(problem.found),
                                           std::move(problem.expected), std::move(problem.message),
                                           std::move(problem.hint)});
        continue;
      }
      errors.add(row, c + 1, std::move(problem.message), std::move(problem.hint));
    }
    builder.end_row();
    if (bad) builder.drop_last_row();
  }
  if (reader.io_failed()) errors.add(0, 0, "cannot read the file: an I/O error occurred");
}

}  // namespace tally
