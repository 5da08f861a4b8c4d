// Engines, compile options and compiled plans.
#include <memory>
#include <optional>
#include <string>

#include "capi/call_guard.hpp"
#include "capi/handles.hpp"

using tally::capi::fail;
using tally::capi::guarded;
using tally::capi::null_argument;

namespace {

/// A plan handle from a compile: usable when there is a plan, else its errors.
tally_status to_plan(const tally::Engine& engine, tally::CompileResult compiled, std::string path,
                     tally_plan** out) {
  auto plan = std::make_unique<tally_plan>();
  plan->path = std::move(path);
  plan->messages.list = std::move(compiled.messages);
  plan->plan = std::move(compiled.plan);
  if (plan->plan) plan->name = engine.plan_name(*plan->plan);
  tally_status status = TALLY_OK;
  if (!plan->plan) {
    status = TALLY_PLAN_ERROR;
    std::string first = "the plan has errors";
    for (const auto& m : plan->messages.list)
      if (m.severity == tally::Message::Severity::error) {
        first = m.rendered.empty() ? m.text : m.rendered;
        break;
      }
    tally::capi::set_last_error(first);
  }
  *out = plan.release();
  return status;
}

}  // namespace

extern "C" {

tally_status tally_engine_new(tally_engine** out) {
  return guarded("tally_engine_new", [&] {
    if (!out) return null_argument("tally_engine_new", "out");
    *out = nullptr;
    *out = new tally_engine();
    return TALLY_OK;
  });
}

void tally_engine_free(tally_engine* engine) {
  delete engine;
}

tally_status tally_compile_options_new(tally_compile_options** out) {
  return guarded("tally_compile_options_new", [&] {
    if (!out) return null_argument("tally_compile_options_new", "out");
    *out = nullptr;
    *out = new tally_compile_options();
    return TALLY_OK;
  });
}

void tally_compile_options_free(tally_compile_options* options) {
  delete options;
}

tally_status tally_compile_options_set_imports(tally_compile_options* options,
                                               tally_import_policy policy) {
  return guarded("tally_compile_options_set_imports", [&] {
    if (!options) return null_argument("tally_compile_options_set_imports", "options");
    switch (policy) {
      case TALLY_IMPORT_FILES:
        options->imports = tally::ImportPolicy::files;
        break;
      case TALLY_IMPORT_REFUSE:
        options->imports = tally::ImportPolicy::refuse;
        break;
      case TALLY_IMPORT_RESOLVER:
        if (!options->resolver)
          return fail(TALLY_INVALID_ARGUMENT,
                      "tally_compile_options_set_imports: TALLY_IMPORT_RESOLVER needs a resolver; "
                      "set one with tally_compile_options_set_resolver");
        options->imports = tally::ImportPolicy::resolver;
        break;
      default:
        return fail(TALLY_INVALID_ARGUMENT, "tally_compile_options_set_imports: unknown policy " +
                                                std::to_string(static_cast<int>(policy)));
    }
    return TALLY_OK;
  });
}

tally_status tally_compile_options_set_resolver(tally_compile_options* options,
                                                tally_import_resolver resolver, void* user_data) {
  return guarded("tally_compile_options_set_resolver", [&] {
    if (!options) return null_argument("tally_compile_options_set_resolver", "options");
    if (!resolver) return null_argument("tally_compile_options_set_resolver", "resolver");
    options->resolver = resolver;
    options->user_data = user_data;
    options->imports = tally::ImportPolicy::resolver;
    return TALLY_OK;
  });
}

tally_status tally_compile(const tally_engine* engine, const char* source, const char* name,
                           const tally_compile_options* options, tally_plan** out) {
  return guarded("tally_compile", [&] {
    if (!out) return null_argument("tally_compile", "out");
    *out = nullptr;
    if (!engine) return null_argument("tally_compile", "engine");
    if (!source) return null_argument("tally_compile", "source");
    if (!name) return null_argument("tally_compile", "name");
    tally::CompileOptions compile_options;
    if (options) {
      compile_options.imports = options->imports;
      if (options->imports == tally::ImportPolicy::resolver) {
        tally_import_resolver resolver = options->resolver;
        void* user_data = options->user_data;
        compile_options.resolve_import =
            [resolver, user_data](const std::string& path) -> std::optional<std::string> {
          const char* text = resolver(user_data, path.c_str());
          if (!text) return std::nullopt;
          return std::string(text);
        };
      }
    }
    return to_plan(engine->engine, engine->engine.compile(source, name, compile_options), name,
                   out);
  });
}

tally_status tally_compile_file(const tally_engine* engine, const char* path, tally_plan** out) {
  return guarded("tally_compile_file", [&] {
    if (!out) return null_argument("tally_compile_file", "out");
    *out = nullptr;
    if (!engine) return null_argument("tally_compile_file", "engine");
    if (!path) return null_argument("tally_compile_file", "path");
    return to_plan(engine->engine, engine->engine.compile_file(path), path, out);
  });
}

void tally_plan_free(tally_plan* plan) {
  delete plan;
}

int tally_plan_ok(const tally_plan* plan) {
  return plan && plan->plan ? 1 : 0;
}

const char* tally_plan_name(const tally_plan* plan) {
  return plan ? plan->name.c_str() : "";
}

const tally_messages* tally_plan_messages(const tally_plan* plan) {
  return plan ? &plan->messages : nullptr;
}

}  // extern "C"
