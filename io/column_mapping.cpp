#include "io/column_mapping.hpp"

#include "interpreter/runtime/spelling.hpp"
#include "io/text_encoding.hpp"
#include "io/value_parser.hpp"

namespace tally {

const std::string& column_name(const FieldSpec& field) {
  return field.from.empty() ? field.name : field.from;
}

std::string loose_name(std::string_view name) {
  if (name.substr(0, 3) == "\xEF\xBB\xBF") name.remove_prefix(3);
  name = trim_spaces(name);
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

FieldLookup::FieldLookup(const SourceSchema& schema) {
  for (std::size_t i = 0; i < schema.fields.size(); ++i) {
    const std::string& name = column_name(schema.fields[i]);
    exact_.try_emplace(name, i);
    loose_.try_emplace(loose_name(name), i);
  }
}

std::optional<std::size_t> FieldLookup::find_exact(std::string_view name) const {
  if (auto it = exact_.find(std::string(name)); it != exact_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::size_t> FieldLookup::find_loose(std::string_view name) const {
  if (auto it = loose_.find(loose_name(name)); it != loose_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::size_t> FieldLookup::find(std::string_view name) const {
  if (auto exact = find_exact(name)) return exact;
  return find_loose(name);
}

std::vector<int> map_header(const SourceSchema& schema, const std::vector<std::string>& header,
                            LoadErrors& errors) {
  std::vector<int> source(schema.fields.size(), -1);
  // Exact matches first, so that a column spelt exactly wins over one that
  // only matches ignoring case.
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const std::string& wanted = column_name(schema.fields[f]);
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == wanted) {
        source[f] = static_cast<int>(c);
        break;
      }
    }
  }
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    if (source[f] >= 0) continue;
    const std::string wanted = loose_name(column_name(schema.fields[f]));
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (loose_name(header[c]) == wanted) {
        source[f] = static_cast<int>(c);
        break;
      }
    }
  }
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const FieldSpec& field = schema.fields[f];
    if (source[f] >= 0 || (field.type.optional && !field.key)) continue;
    std::string message = "column \"" + column_name(field) + "\"";
    if (!field.from.empty()) message += " (for field \"" + field.name + "\")";
    message += " is missing from the header; the header has: ";
    constexpr std::size_t kMaxListed = 40;
    for (std::size_t c = 0; c < header.size() && c < kMaxListed; ++c) {
      if (c > 0) message += ", ";
      const bool plain = !header[c].empty() && !find_invalid_utf8(header[c]) &&
                         header[c].find_first_of(",\n\r\"") == std::string::npos;
      message += plain ? header[c] : quote_value(header[c]);
    }
    if (header.size() > kMaxListed) {
      message += " and " + std::to_string(header.size() - kMaxListed) + " more";
    }
    std::string hint;
    if (auto closest = closest_match(column_name(field), header)) {
      hint = "did you mean \"" + *closest + "\"?";
      if (field.from.empty()) hint += " (write `from \"" + *closest + "\"` to read it)";
    }
    errors.add(1, 0, std::move(message), std::move(hint));
  }
  return source;
}

std::vector<int> map_positions(const SourceSchema& schema) {
  std::vector<int> source;
  source.reserve(schema.fields.size());
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const int position = schema.fields[f].position;
    source.push_back(position > 0 ? position - 1 : static_cast<int>(f));
  }
  return source;
}

}  // namespace tally
