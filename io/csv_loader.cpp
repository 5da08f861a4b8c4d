#include "io/csv_loader.hpp"

#include <algorithm>

#include <sys/stat.h>

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

std::optional<CsvLayout> read_csv_header(CsvReader& reader, const SourceSchema& schema,
                                         TextEncoding encoding, TableBuilder& builder,
                                         LoadErrors& errors) {
  const bool transcode = encoding == TextEncoding::windows1252;
  CsvLayout layout;
  if (!schema.header) {
    layout.source = map_positions(schema);
    return layout;
  }
  CsvRecord record;
  CsvSyntaxError syntax;
  const auto status = reader.next(record, syntax);
  if (status == CsvReader::Status::end) {
    errors.add(
        0, 0, "the file is empty; expected a header line naming the columns " + field_list(schema));
    return std::nullopt;
  }
  if (status == CsvReader::Status::error) {
    errors.add(syntax.row, syntax.column, syntax.message);
    return std::nullopt;
  }
  std::vector<std::string> header;
  std::string converted;
  for (std::size_t c = 0; c < record.size(); ++c) {
    if (transcode) {
      windows1252_to_utf8(record.field(c), converted);
      header.push_back(converted);
    } else {
      header.emplace_back(record.field(c));
    }
  }
  const std::size_t errors_before = errors.total();
  layout.source = map_header(schema, header, errors);
  // Without its columns no row can be read meaningfully.
  if (errors.total() != errors_before) return std::nullopt;
  for (std::size_t f = 0; f < layout.source.size(); ++f) {
    if (layout.source[f] >= 0)
      builder.set_label(f, header[static_cast<std::size_t>(layout.source[f])]);
  }
  layout.expected_fields = record.size();
  layout.expected_why = "as the header has";
  return layout;
}

bool load_csv_records(CsvReader& reader, const CsvLayout& given, TextEncoding encoding,
                      const LoadOptions& options, TableBuilder& builder, LoadErrors& errors,
                      std::uint64_t bytes, std::size_t max_records) {
  CsvLayout layout = given;
  const bool transcode = encoding == TextEncoding::windows1252;
  CsvRecord record;
  CsvSyntaxError syntax;
  std::string converted;  // reused for Windows-1252 fields
  const std::vector<int>& source = layout.source;
  const int needed = source.empty() ? 0 : *std::max_element(source.begin(), source.end()) + 1;
  ValueProblem problem;
  // After a sample of records, the rows to come are estimated from their
  // average length (with 10% to spare).
  constexpr std::size_t kSample = 256;
  const std::uint64_t start = reader.bytes_consumed();
  bool reached_end = false;
  for (std::size_t records = 0;; ++records) {
    if (records == max_records) break;
    if (records == kSample && bytes > 0) {
      const std::uint64_t sampled = reader.bytes_consumed() - start;
      if (sampled > 0)
        builder.reserve(static_cast<std::size_t>(static_cast<double>(bytes - start) /
                                                 static_cast<double>(sampled) * kSample * 1.1));
    }
    if (options.progress && records % 65'536 == 0 && records > 0)
      options.progress(reader.bytes_consumed());
    const auto status = reader.next(record, syntax);
    if (status == CsvReader::Status::end) {
      reached_end = true;
      break;
    }
    if (status == CsvReader::Status::error) {
      errors.add(syntax.row, syntax.column, syntax.message);
      continue;
    }
    const int row = record.row();
    if (layout.expected_fields == 0) {  // the first row of a file without header
      if (static_cast<int>(record.size()) < needed) {
        errors.add(row, 0,
                   "row has " + std::to_string(record.size()) + " field" +
                       (record.size() == 1 ? "" : "s") + ", but the schema needs at least " +
                       std::to_string(needed) +
                       " (the file has no header: fields are read by "
                       "position)");
        continue;
      }
      layout.expected_fields = record.size();
      layout.expected_why = "as the first row has";
    }
    if (record.size() != layout.expected_fields) {
      errors.add(row, 0,
                 "row has " + std::to_string(record.size()) + " field" +
                     (record.size() == 1 ? "" : "s") + ", expected " +
                     std::to_string(layout.expected_fields) + " " + layout.expected_why,
                 record.size() > layout.expected_fields
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
  return reached_end;
}

void load_csv(std::FILE* file, const SourceSchema& schema, char delimiter, TextEncoding encoding,
              const LoadOptions& options, TableBuilder& builder, LoadErrors& errors) {
  const bool transcode = encoding == TextEncoding::windows1252;
  CsvReader reader(file, CsvOptions{delimiter, !transcode, options.read_buffer_size});
  auto layout = read_csv_header(reader, schema, encoding, builder, errors);
  struct stat info {};  // the size, without moving the stream
  const std::uint64_t bytes = fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode)
                                  ? static_cast<std::uint64_t>(info.st_size)
                                  : 0;
  // The whole file into one table: a header and a record per line need no
  // list of file rows.
  builder.use_implicit_file_rows();
  if (layout) load_csv_records(reader, *layout, encoding, options, builder, errors, bytes);
}

}  // namespace tally
