// `tally fmt`: print, rewrite (--write) or verify (--check) the canonical layout.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "repl/command.hpp"

namespace tally::cli {

namespace {

struct FmtArgs {
  std::vector<std::string> plans;
  bool write = false;
  bool check = false;
};

int fmt(const Engine& engine, const FmtArgs& args) {
  int status = kExitOk;
  for (const auto& path : args.plans) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << path << ": error: cannot read the file\n";
      status = kExitPlanError;
      continue;
    }
    const std::string original = text.str();
    const auto formatted = engine.format(original, path);
    print_messages(formatted.messages);
    if (!formatted.ok) {
      status = kExitPlanError;
      continue;
    }
    if (args.check) {
      if (formatted.text != original) {
        std::cout << path << ": not formatted\n";
        status = kExitPlanError;
      }
    } else if (args.write) {
      if (formatted.text == original) continue;
      const std::string temporary = path + ".tally-fmt";
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << formatted.text;
      out.close();
      if (!out || std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        std::cerr << path << ": error: cannot write the file\n";
        status = kExitPlanError;
      }
    } else {
      std::cout << formatted.text;
    }
  }
  return status;
}

}  // namespace

Command add_fmt_command(CLI::App& app) {
  auto args = std::make_shared<FmtArgs>();
  auto* cmd = app.add_subcommand(
      "fmt", "Print plans in canonical layout (--write rewrites them, --check verifies)");
  cmd->add_option("plan", args->plans, "Plan files")->required()->check(CLI::ExistingFile);
  auto* write_flag = cmd->add_flag("--write,-w", args->write, "Rewrite the files in place");
  cmd->add_flag("--check", args->check, "Exit 1 when a file is not in canonical layout")
      ->excludes(write_flag);
  return {cmd, [args](const Engine& engine) { return fmt(engine, *args); }};
}

}  // namespace tally::cli
