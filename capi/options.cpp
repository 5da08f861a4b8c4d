// Run options: where the data is, which periods and payees, limits, cancel tokens.
#include <chrono>
#include <string>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

extern "C" {

tally_status tally_options_new(tally_options** out) {
  return guarded("tally_options_new", [&] {
    if (!out) return null_argument("tally_options_new", "out");
    *out = nullptr;
    *out = new tally_options();
    return TALLY_OK;
  });
}

void tally_options_free(tally_options* options) {
  delete options;
}

tally_status tally_options_set_data_dir(tally_options* options, const char* dir) {
  return guarded("tally_options_set_data_dir", [&] {
    if (!options) return null_argument("tally_options_set_data_dir", "options");
    if (!dir) return null_argument("tally_options_set_data_dir", "dir");
    options->run.data_dir = dir;
    return TALLY_OK;
  });
}

tally_status tally_options_bind(tally_options* options, const char* source, const char* path) {
  return guarded("tally_options_bind", [&] {
    if (!options) return null_argument("tally_options_bind", "options");
    if (!source) return null_argument("tally_options_bind", "source");
    if (!path) return null_argument("tally_options_bind", "path");
    options->run.bindings[source] = path;
    return TALLY_OK;
  });
}

tally_status tally_options_set_periods(tally_options* options, const char* first,
                                       const char* last) {
  return guarded("tally_options_set_periods", [&] {
    if (!options) return null_argument("tally_options_set_periods", "options");
    options->run.first_period.reset();
    options->run.last_period.reset();
    if (first) options->run.first_period = first;
    if (last) options->run.last_period = last;
    return TALLY_OK;
  });
}

tally_status tally_options_add_payee(tally_options* options, const char* payee) {
  return guarded("tally_options_add_payee", [&] {
    if (!options) return null_argument("tally_options_add_payee", "options");
    if (!payee) return null_argument("tally_options_add_payee", "payee");
    options->run.payees.emplace_back(payee);
    return TALLY_OK;
  });
}

tally_status tally_options_set_lenient(tally_options* options, int lenient) {
  return guarded("tally_options_set_lenient", [&] {
    if (!options) return null_argument("tally_options_set_lenient", "options");
    options->run.lenient = lenient != 0;
    return TALLY_OK;
  });
}

tally_status tally_options_set_threads(tally_options* options, unsigned threads) {
  return guarded("tally_options_set_threads", [&] {
    if (!options) return null_argument("tally_options_set_threads", "options");
    options->run.threads = threads;
    return TALLY_OK;
  });
}

tally_status tally_options_set_tables(tally_options* options, int credits, int measures) {
  return guarded("tally_options_set_tables", [&] {
    if (!options) return null_argument("tally_options_set_tables", "options");
    options->run.credits_table = credits != 0;
    options->run.measures_table = measures != 0;
    return TALLY_OK;
  });
}

tally_status tally_options_set_max_instructions(tally_options* options, uint64_t instructions) {
  return guarded("tally_options_set_max_instructions", [&] {
    if (!options) return null_argument("tally_options_set_max_instructions", "options");
    options->run.limits.max_instructions = instructions;
    return TALLY_OK;
  });
}

tally_status tally_options_set_max_memory(tally_options* options, uint64_t bytes) {
  return guarded("tally_options_set_max_memory", [&] {
    if (!options) return null_argument("tally_options_set_max_memory", "options");
    options->run.limits.max_memory_bytes = static_cast<std::size_t>(bytes);
    return TALLY_OK;
  });
}

tally_status tally_options_set_timeout_ms(tally_options* options, uint64_t milliseconds) {
  return guarded("tally_options_set_timeout_ms", [&] {
    if (!options) return null_argument("tally_options_set_timeout_ms", "options");
    if (milliseconds > static_cast<uint64_t>(std::chrono::milliseconds::max().count()))
      return fail(TALLY_INVALID_ARGUMENT, "tally_options_set_timeout_ms: " +
                                              std::to_string(milliseconds) + " ms is too long");
    options->run.limits.timeout =
        std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(milliseconds));
    return TALLY_OK;
  });
}

tally_status tally_cancel_token_new(tally_cancel_token** out) {
  return guarded("tally_cancel_token_new", [&] {
    if (!out) return null_argument("tally_cancel_token_new", "out");
    *out = nullptr;
    *out = new tally_cancel_token();
    return TALLY_OK;
  });
}

void tally_cancel_token_free(tally_cancel_token* token) {
  delete token;
}

void tally_cancel(tally_cancel_token* token) {
  if (token) token->token->cancel();
}

void tally_cancel_token_reset(tally_cancel_token* token) {
  if (token) token->token->reset();
}

int tally_cancel_token_cancelled(const tally_cancel_token* token) {
  return token && token->token->cancelled() ? 1 : 0;
}

tally_status tally_options_set_cancel_token(tally_options* options, tally_cancel_token* token) {
  return guarded("tally_options_set_cancel_token", [&] {
    if (!options) return null_argument("tally_options_set_cancel_token", "options");
    // Shared: the options keep the token alive after the caller frees its handle.
    if (token)
      options->run.limits.cancel = token->token;
    else
      options->run.limits.cancel.reset();
    return TALLY_OK;
  });
}

}  // extern "C"
