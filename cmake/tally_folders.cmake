# One static library per architecture layer, so that a layer can only use the
# layers below it (see docs/architecture.md). Sources are globbed per folder:
# each folder owns its files, and adding a file needs no edit here.

function(tally_layer name folder)
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
  if(NOT sources)  # a layer still being written: an empty archive keeps the build whole
    set(sources ${PROJECT_SOURCE_DIR}/cmake/empty_layer.cpp)
  endif()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${name} PRIVATE tally_warnings)
endfunction()

tally_layer(tally_runtime interpreter/runtime)
target_link_libraries(tally_runtime PUBLIC Boost::headers)

tally_layer(tally_grammar grammar)
target_link_libraries(tally_grammar PUBLIC tally_runtime PRIVATE taocpp::pegtl)

tally_layer(tally_io io)
target_link_libraries(tally_io PUBLIC tally_runtime Threads::Threads PRIVATE nlohmann_json::nlohmann_json)

tally_layer(tally_stdlib stdlib)
target_link_libraries(tally_stdlib PUBLIC tally_runtime)

tally_layer(tally_interpreter interpreter)
target_link_libraries(tally_interpreter PUBLIC tally_grammar tally_io tally_stdlib tally_runtime)
# `tally run --format sqlite|json` (interpreter/output_*.cpp) and the version a run records.
target_link_libraries(tally_interpreter PRIVATE SQLite::SQLite3 nlohmann_json::nlohmann_json)
target_compile_definitions(tally_interpreter PRIVATE TALLY_VERSION="${PROJECT_VERSION}")

# The payout ledger (docs/ledger.md): runs, closed periods and adjustments
# kept in SQLite, over the interpreter's runs.
tally_layer(tally_ledger ledger)
target_link_libraries(tally_ledger PUBLIC tally_interpreter PRIVATE SQLite::SQLite3 nlohmann_json::nlohmann_json)

# The `tally` program: the CLI over the library. Its commands are a library
# of their own, so that unit tests (tests/unit/repl) can reach them.
file(GLOB repl_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/repl/*.cpp)
list(REMOVE_ITEM repl_sources ${PROJECT_SOURCE_DIR}/repl/main.cpp)
add_library(tally_commands STATIC ${repl_sources})
target_include_directories(tally_commands PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(tally_commands PUBLIC tally_interpreter tally_ledger CLI11::CLI11 PRIVATE tally_warnings)
add_executable(tally_cli ${PROJECT_SOURCE_DIR}/repl/main.cpp)
set_target_properties(tally_cli PROPERTIES OUTPUT_NAME tally)
target_link_libraries(tally_cli PRIVATE tally_commands tally_warnings)

# libedit (Debian: libedit-dev) for the REPL's line editing. Its libedit.pc
# is read through pkg-config when there is one; else the header and library
# are looked for directly, so pkg-config is not a hard dependency.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(LIBEDIT QUIET IMPORTED_TARGET libedit)
endif()
if(LIBEDIT_FOUND)
  target_link_libraries(tally_commands PRIVATE PkgConfig::LIBEDIT)
else()
  find_path(LIBEDIT_INCLUDE_DIR histedit.h REQUIRED)
  find_library(LIBEDIT_LIBRARY edit REQUIRED)
  target_include_directories(tally_commands PRIVATE ${LIBEDIT_INCLUDE_DIR})
  target_link_libraries(tally_commands PRIVATE ${LIBEDIT_LIBRARY})
endif()

# The C API (include/tally/tally.h) over the C++ API; no exception crosses it.
tally_layer(tally_capi capi)
target_link_libraries(tally_capi PUBLIC tally_interpreter)
