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

# The `tally` program: the CLI over the library.
file(GLOB repl_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/repl/*.cpp)
add_executable(tally_cli ${repl_sources})
set_target_properties(tally_cli PROPERTIES OUTPUT_NAME tally)
target_link_libraries(tally_cli PRIVATE tally_interpreter CLI11::CLI11 tally_warnings)
