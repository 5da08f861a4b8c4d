#include "io/csv_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace tally {

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  append_csv_line(line, fields);
  return line;
}

void append_csv_line(std::string& line, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      line += f;
      continue;
    }
    line += '"';
    for (char c : f) {
      if (c == '"') line += '"';
      line += c;
    }
    line += '"';
  }
  line += '\n';
}

Status write_csv(const std::string& path, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
  if (!file)
    return Error{{path, 0, 0, 0}, "cannot write " + path + ": " + std::strerror(errno), ""};
  std::string buffer = csv_line(header);
  for (const auto& row : rows) {
    append_csv_line(buffer, row);  // in place: no string per row
    if (buffer.size() > (1u << 20)) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size())
        return Error{{path, 0, 0, 0}, "cannot write " + path + ": " + std::strerror(errno), ""};
      buffer.clear();
    }
  }
  if (std::fwrite(buffer.data(), 1, buffer.size(), file.get()) != buffer.size() ||
      std::fflush(file.get()) != 0)
    return Error{{path, 0, 0, 0}, "cannot write " + path + ": " + std::strerror(errno), ""};
  return ok_status();
}

}  // namespace tally
