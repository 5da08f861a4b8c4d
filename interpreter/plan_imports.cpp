// Import resolution: see plan_imports.hpp.
#include "interpreter/plan_imports.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "grammar/parser.hpp"
#include "interpreter/runtime/spelling.hpp"
#include "stdlib/builtins.hpp"

namespace tally {

std::string read_plan_file(const std::string& path, std::string& problem) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    problem = path + " is a directory, not a plan file";
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem = "cannot open " + path + ": " + std::strerror(errno);
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

/// The hint of an unknown module: the modules there are, and the closest one.
std::string stdlib_modules_hint(const std::string& module) {
  std::vector<std::string> names;
  std::string list;
  for (const StdlibModule& m : stdlib_modules()) {
    names.emplace_back(m.name);
    list += (list.empty() ? "" : ", ") + std::string("\"stdlib/") + m.name + "\"";
  }
  std::string hint = "its modules are " + list;
  if (auto near = closest_match(module, names)) hint += "; did you mean \"stdlib/" + *near + "\"?";
  return hint;
}

}  // namespace

Errors resolve_imports(ast::Plan& plan, const CompileOptions& options) {
  namespace fs = std::filesystem;
  Errors errors;
  std::vector<std::string> seen;
  std::error_code ec;
  seen.push_back(options.imports == ImportPolicy::resolver
                     ? plan.file->name()
                     : fs::weakly_canonical(fs::path(plan.file->name()), ec).string());
  std::uint32_t next_base = static_cast<std::uint32_t>(plan.file->text().size()) + 1;
  for (std::size_t i = 0; i < plan.imports.size(); ++i) {
    const ast::ImportDecl& decl = plan.imports[i];
    const Location where = ast::locate(plan, decl.span);
    std::string name;  // the file's name in messages, and what makes it the same file
    std::string text;
    std::string problem;
    if (decl.path.rfind("stdlib/", 0) == 0) {
      // A module of the standard library is text compiled into the library,
      // not a file: it is read under every import policy, refuse included.
      const std::string module = decl.path.substr(7);
      const StdlibModule* found = find_stdlib_module(module);
      if (!found) {
        errors.push_back(Error{where, "the standard library has no module \"" + module + "\"",
                               stdlib_modules_hint(module)});
        continue;
      }
      name = decl.path;
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;  // imported already
      seen.push_back(name);
      text = found->text;
    } else if (options.imports == ImportPolicy::refuse) {
      errors.push_back(Error{where, "cannot import \"" + decl.path + "\": imports are turned off",
                             "the program compiling this plan refuses imports (its import "
                             "policy); write the declarations into the plan itself"});
      continue;
    } else if (options.imports == ImportPolicy::resolver) {
      name = decl.path;
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;  // imported already
      seen.push_back(name);
      std::optional<std::string> given;
      if (options.resolve_import) given = options.resolve_import(decl.path);
      if (!given) {
        errors.push_back(Error{where, "cannot import \"" + decl.path + "\": no such plan file",
                               "the program compiling this plan resolves imports itself, and "
                               "has no file of that name"});
        continue;
      }
      text = std::move(*given);
    } else {
      const fs::path from = fs::path(where.file).parent_path();
      const fs::path path = (from / decl.path).lexically_normal();
      const std::string key = fs::weakly_canonical(path, ec).string();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;  // imported already
      seen.push_back(key);
      name = path.string();
      text = read_plan_file(name, problem);
      if (!problem.empty()) {
        errors.push_back(Error{where, "cannot import \"" + decl.path + "\": " + problem, ""});
        continue;
      }
    }
    auto file = std::make_shared<const SourceFile>(std::move(name), std::move(text));
    auto parsed = parse_plan(file);
    if (!parsed) {
      for (auto& e : parsed.take_errors()) errors.push_back(std::move(e));
      continue;
    }
    ast::Plan& imported = parsed.value();
    if (imported.header) {
      errors.push_back(Error{imported.file->locate(imported.header->span.begin),
                             "an imported file cannot have its own `plan` header",
                             "the importing plan's header applies; remove this one"});
      continue;
    }
    const std::uint32_t base = next_base;
    if (file->text().size() > 0xFFFFFFFFu - base - 1) {
      errors.push_back(Error{where, "the imported files are too large together", ""});
      break;
    }
    next_base = base + static_cast<std::uint32_t>(file->text().size()) + 1;
    ast::shift_spans(imported, base);
    plan.imported.push_back(ast::ImportedFile{file, base});
    for (auto& nested : imported.imported) plan.imported.push_back(std::move(nested));
    ast::append_declarations(plan, std::move(imported));  // appends its imports to the loop, too
  }
  return errors;
}

}  // namespace tally
