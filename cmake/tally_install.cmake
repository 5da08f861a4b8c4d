# `cmake --install`: the library (shared and static), the public headers, the
# `tally` program, a CMake package (find_package(Tally) gives Tally::tally and
# Tally::tally_static) and a pkg-config file (tally.pc).

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(tally_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/Tally)
set(tally_installed_targets tally_static)
if(TARGET tally_shared)
  list(APPEND tally_installed_targets tally_shared)
endif()

install(TARGETS ${tally_installed_targets} EXPORT TallyTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tally_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tally DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(EXPORT TallyTargets NAMESPACE Tally:: DESTINATION ${tally_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TallyConfig.cmake.in
  ${PROJECT_BINARY_DIR}/TallyConfig.cmake INSTALL_DESTINATION ${tally_cmake_dir})
# 0.x releases may break the C++ API, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TallyConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TallyConfig.cmake ${PROJECT_BINARY_DIR}/TallyConfigVersion.cmake
  DESTINATION ${tally_cmake_dir})

# tally.pc finds its prefix from its own place (${pcfiledir}), so an installed
# tree can be moved, e.g. a temporary prefix in scripts/check-install.sh.
set(tally_pkgconfig_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH tally_pc_to_prefix /prefix/${tally_pkgconfig_dir} /prefix)
string(REGEX REPLACE "/$" "" tally_pc_to_prefix "${tally_pc_to_prefix}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/tally.pc.in ${PROJECT_BINARY_DIR}/tally.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tally.pc DESTINATION ${tally_pkgconfig_dir})
