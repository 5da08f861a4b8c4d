// Reading the messages (diagnostics) of a plan or a result.
#include <string>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

namespace {

tally_status out_of_range(const char* function, const tally_messages* messages, size_t index) {
  return fail(TALLY_INVALID_ARGUMENT, std::string(function) + ": message " + std::to_string(index) +
                                          " does not exist (there are " +
                                          std::to_string(messages->list.size()) + ")");
}

}  // namespace

extern "C" {

size_t tally_messages_count(const tally_messages* messages) {
  return messages ? messages->list.size() : 0;
}

int tally_messages_has_errors(const tally_messages* messages) {
  return messages && tally::has_errors(messages->list) ? 1 : 0;
}

tally_status tally_message_location(const tally_messages* messages, size_t index,
                                    tally_severity* severity, int* line, int* column) {
  return guarded("tally_message_location", [&] {
    if (!messages) return null_argument("tally_message_location", "messages");
    if (index >= messages->list.size())
      return out_of_range("tally_message_location", messages, index);
    const tally::Message& m = messages->list[index];
    if (severity) {
      *severity = m.severity == tally::Message::Severity::error     ? TALLY_SEVERITY_ERROR
                  : m.severity == tally::Message::Severity::warning ? TALLY_SEVERITY_WARNING
                                                                    : TALLY_SEVERITY_NOTE;
    }
    if (line) *line = m.line;
    if (column) *column = m.column;
    return TALLY_OK;
  });
}

tally_status tally_message_text(const tally_messages* messages, size_t index,
                                tally_message_field field, const char** out) {
  return guarded("tally_message_text", [&] {
    if (!out) return null_argument("tally_message_text", "out");
    *out = nullptr;
    if (!messages) return null_argument("tally_message_text", "messages");
    if (index >= messages->list.size()) return out_of_range("tally_message_text", messages, index);
    const tally::Message& m = messages->list[index];
    switch (field) {
      case TALLY_MESSAGE_FILE:
        *out = m.file.c_str();
        break;
      case TALLY_MESSAGE_TEXT:
        *out = m.text.c_str();
        break;
      case TALLY_MESSAGE_HINT:
        *out = m.hint.c_str();
        break;
      case TALLY_MESSAGE_RENDERED:
        *out = m.rendered.c_str();
        break;
      default:
        return fail(TALLY_INVALID_ARGUMENT,
                    "tally_message_text: unknown field " + std::to_string(static_cast<int>(field)));
    }
    return TALLY_OK;
  });
}

}  // extern "C"
