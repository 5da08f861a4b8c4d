#include "io/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "io/csv_loader.hpp"
#include "io/json_reader.hpp"
#include "io/load_errors.hpp"
#include "io/parallel_csv.hpp"
#include "io/table_builder.hpp"
#include "io/text_encoding.hpp"

namespace tally {

unsigned load_threads(unsigned asked) {
  return asked > 0 ? asked : std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
}

std::string lowercase_extension(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot);
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return ext;
}

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

Result<Table> load_table(const SourceSchema& schema, const std::string& path, SymbolTable& symbols,
                         const LoadOptions& options) {
  const Location whole_file{path, 0, 0, 0};
  const std::string ext = lowercase_extension(path);
  const bool json = ext == ".json";
  if (!json && ext != ".csv" && ext != ".tsv" && ext != ".txt") {
    return Error{whole_file,
                 "cannot read " + path + ": unknown file type \"" + ext +
                     "\"; expected .csv, .tsv, .txt or .json",
                 {}};
  }
  const auto encoding = parse_encoding_name(schema.encoding);
  if (!encoding) {
    return Error{whole_file, "unknown encoding \"" + schema.encoding + "\"",
                 "use \"utf-8\" or \"windows-1252\""};
  }
  if (json && *encoding != TextEncoding::utf8) {
    return Error{whole_file, "JSON files are always UTF-8, not " + schema.encoding, {}};
  }

  auto builder =
      TableBuilder::make(schema, path, symbols, options.calendar, *encoding == TextEncoding::utf8);
  if (!builder) return builder.take_errors();
  if (options.keep_going) builder->set_guard(&options.keep_going);
  const Error stopped{whole_file, "the load of " + path + " was stopped before its end", {}};

  const char delimiter = ext == ".tsv" && schema.delimiter == ',' ? '\t' : schema.delimiter;
  if (!json && *encoding == TextEncoding::utf8) {
    bool told_to_stop = false;
    if (auto table = load_csv_in_parts(schema, path, delimiter, symbols, options, &told_to_stop)) {
      table->compact_file_rows();
      return std::move(*table);
    }
    if (told_to_stop) return stopped;  // not read again
  }

  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int code = errno;
    return Error{whole_file,
                 "cannot open " + path + ": " +
                     (code != 0 ? std::string(std::strerror(code)) : "unknown error"),
                 {}};
  }

  LoadErrors errors(path, options.max_errors);
  try {
    if (json) {
      load_json(file.get(), schema, options, *builder, errors);
    } else {
      load_csv(file.get(), schema, delimiter, *encoding, options, *builder, errors);
    }
  } catch (const LoadStopped&) {
    return stopped;
  }
  if (!errors.empty()) return errors.take();
  Table table = builder->finish();
  table.compact_file_rows();
  return table;
}

}  // namespace tally
