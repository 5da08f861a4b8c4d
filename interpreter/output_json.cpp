// The json format: one array of objects per result table, and run.json.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "interpreter/output_formats.hpp"

namespace tally {

namespace {

/// `text` as a JSON string literal. Bytes of 0x80 and above pass through:
/// the loaders only accept UTF-8, and JSON text is UTF-8.
void append_json_string(std::string& out, const std::string& text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kDigits[byte >> 4];
          out += kDigits[byte & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

nlohmann::ordered_json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::ordered_json(*text) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json inputs_array(const RunProvenance& provenance) {
  auto inputs = nlohmann::ordered_json::array();
  for (const auto& input : provenance.inputs)
    inputs.push_back({{"source", input.source},
                      {"path", input.path.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(input.path)},
                      {"sha256", input.sha256.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(input.sha256)}});
  return inputs;
}

/// Paths may hold bytes that are not UTF-8; they are replaced rather than
/// failing the whole write.
std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

Status write_json_table(const std::string& path, const ResultTable& table) {
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "wb"));
  auto failed = [&] {
    return Error{{path, 0, 0, 0}, "cannot write " + path + ": " + std::strerror(errno), ""};
  };
  if (!file) return failed();
  // Written a block at a time: a credits table can have millions of rows.
  std::string block = "[";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    block += r == 0 ? "\n  {" : ",\n  {";
    const auto& row = table.rows[r];
    for (std::size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
      if (c) block += ", ";
      append_json_string(block, table.columns[c]);
      block += ": ";
      append_json_string(block, row[c]);
    }
    block += '}';
    if (block.size() > (1u << 20)) {
      if (std::fwrite(block.data(), 1, block.size(), file.get()) != block.size()) return failed();
      block.clear();
    }
  }
  block += table.rows.empty() ? "]\n" : "\n]\n";
  if (std::fwrite(block.data(), 1, block.size(), file.get()) != block.size()) return failed();
  if (std::fclose(file.release()) != 0) return failed();
  return ok_status();
}

std::string inputs_json(const RunProvenance& provenance) {
  return dump(inputs_array(provenance), -1);
}

std::string provenance_json(const RunProvenance& p, const RunSummary& summary) {
  const RunRecord& r = p.record;
  nlohmann::ordered_json run = {
      {"tally_version", p.tally_version},
      {"format", p.format},
      {"started_utc", r.started_utc},
      {"seconds", r.seconds},
      {"plan", {{"path", r.plan_path}, {"sha256", p.plan_sha256}}},
      {"inputs", inputs_array(p)},
      {"parameters",
       {{"first_period", optional_text(r.first_period)},
        {"last_period", optional_text(r.last_period)},
        {"payees", r.payees},
        {"lenient", r.lenient},
        {"tables", p.tables}}},
      {"periods_paid", p.periods_paid},
      {"summary",
       {{"payees", summary.payees},
        {"periods", summary.periods},
        {"transactions", summary.rows_loaded},
        {"credits", summary.credits},
        {"total_paid", summary.total_paid},
        {"currency", summary.currency}}},
  };
  return dump(run, 2) + "\n";
}

}  // namespace tally
