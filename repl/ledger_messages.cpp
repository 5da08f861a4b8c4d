#include "repl/ledger_messages.hpp"

#include <cstdlib>
#include <ctime>
#include <iostream>

namespace tally::cli {

void print_ledger_errors(const std::string& command, const Errors& errors) {
  for (const Error& e : errors) {
    std::cerr << "tally " << command << ": ";
    if (!e.where.file.empty() && e.where.line > 0) {
      std::cerr << e.where.file << ":" << e.where.line;
      if (e.where.column > 0) std::cerr << ":" << e.where.column;
      std::cerr << ": ";
    }
    std::cerr << "error: " << e.message << "\n";
    if (!e.hint.empty()) std::cerr << "  hint: " << e.hint << "\n";
  }
}

std::string ledger_user() {
  for (const char* name : {"TALLY_USER", "USER"})
    if (const char* value = std::getenv(name); value && *value) return value;
  return "unknown";
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace tally::cli
