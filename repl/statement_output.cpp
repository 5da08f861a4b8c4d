#include "repl/statement_output.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "repl/statement_html.hpp"

namespace tally::cli {

namespace {

namespace fs = std::filesystem;

Message write_error(const std::string& path, const std::string& why) {
  Message m;
  m.file = path;
  m.text = "cannot write statements: " + why;
  m.rendered = path + ": error: " + m.text;
  return m;
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

std::vector<Message> write_statements(const StatementBook& book, const std::string& directory) {
  const fs::path out(directory);
  std::error_code ec;
  const bool existed = fs::exists(out, ec);
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out, ec)) return {write_error(directory, "not a folder")};
  // the temporary folder is inside the output, so the renames stay on one file system
  const fs::path staging = out / (".tally-statements-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  auto fail = [&](const std::string& path, const std::string& why) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    if (!existed) fs::remove(out, ignored);  // only if still empty
    return std::vector<Message>{write_error(path, why)};
  };
  if (!fs::create_directory(staging, ec)) return fail(staging.string(), ec.message());

  const std::size_t periods = book.periods.size();
  for (std::size_t p = 0; p < book.payees.size(); ++p) {
    const StatementPayee& payee = book.payees[p];
    fs::create_directory(staging / payee.folder, ec);
    if (ec) return fail((out / payee.folder).string(), ec.message());
    for (std::size_t q = 0; q < periods; ++q) {
      const Statement& s = book.statements[p * periods + q];
      if (!write_file(staging / s.file, statement_page(book, payee, s)))
        return fail((out / s.file).string(), "the file cannot be written");
    }
  }
  if (!write_file(staging / "index.html", index_page(book)))
    return fail((out / "index.html").string(), "the file cannot be written");

  // everything is written: move it into place
  for (const auto& payee : book.payees) {
    fs::remove_all(out / payee.folder, ec);
    fs::rename(staging / payee.folder, out / payee.folder, ec);
    if (ec) return fail((out / payee.folder).string(), ec.message());
  }
  fs::rename(staging / "index.html", out / "index.html", ec);
  if (ec) return fail((out / "index.html").string(), ec.message());
  fs::remove_all(staging, ec);
  return {};
}

}  // namespace tally::cli
