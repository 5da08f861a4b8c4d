# The library embedders link: every layer below the `tally` program's
# commands (runtime, grammar, io, stdlib, interpreter and the C API), as
# libtally.so and as one static archive, libtally.a. Both are built from the
# layers' own object files, so nothing is compiled twice.

set(tally_library_layers tally_runtime tally_grammar tally_io tally_stdlib tally_interpreter
                         tally_capi)
set(tally_library_objects)
foreach(layer IN LISTS tally_library_layers)
  list(APPEND tally_library_objects $<TARGET_OBJECTS:${layer}>)
endforeach()

# What the layers link besides each other (cmake/tally_folders.cmake); the
# header-only ones (PEGTL, Boost.Multiprecision, nlohmann/json) leave nothing.
set(tally_library_link_dependencies Threads::Threads SQLite::SQLite3)

add_library(tally_static STATIC ${tally_library_objects})
set_target_properties(tally_static PROPERTIES OUTPUT_NAME tally EXPORT_NAME tally_static)
target_include_directories(tally_static INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                  $<INSTALL_INTERFACE:include>)
target_link_libraries(tally_static INTERFACE ${tally_library_link_dependencies})
target_compile_features(tally_static INTERFACE cxx_std_20)

if(TALLY_BUILD_SHARED)
  # The version script keeps the dynamic symbol table to the public API even
  # for what -fvisibility=hidden cannot hide (instantiations of std templates
  # over public types); check_exported_symbols.py (ctest package.symbols)
  # proves it.
  set(tally_version_script ${PROJECT_SOURCE_DIR}/cmake/libtally.map)
  add_library(tally_shared SHARED ${tally_library_objects})
  set_target_properties(tally_shared PROPERTIES
    OUTPUT_NAME tally
    EXPORT_NAME tally
    VERSION ${PROJECT_VERSION}
    SOVERSION ${TALLY_ABI_VERSION}
    LINK_DEPENDS ${tally_version_script})
  target_include_directories(tally_shared INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                    $<INSTALL_INTERFACE:include>)
  target_link_libraries(tally_shared PRIVATE ${tally_library_link_dependencies})
  target_link_options(tally_shared PRIVATE -Wl,--version-script=${tally_version_script})
  if(NOT TALLY_SANITIZE AND NOT TALLY_SANITIZE_THREAD AND NOT TALLY_FUZZ)
    # A symbol the layers forgot to link is an error here, not in the host.
    # (Sanitizer runtimes are linked by the program, so not under them.)
    target_link_options(tally_shared PRIVATE -Wl,--no-undefined)
  endif()
  target_compile_features(tally_shared INTERFACE cxx_std_20)
endif()
