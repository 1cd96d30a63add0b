# Installs lies into a temporary prefix, builds examples/embed against it with a fresh
# CMake configuration, runs it and checks its output. ctest runs it as
#
#   cmake -DBUILD_DIR=... -DEXAMPLE_DIR=... -DWORK_DIR=... -DGENERATOR=... \
#         -DCXX_COMPILER=... -DCXX_FLAGS=... -DLINKER_FLAGS=... -P install_test.cmake
#
# Everything it writes goes under WORK_DIR, which is removed before it starts and when it
# ends, whether it passes or fails. Nothing is downloaded.
cmake_minimum_required(VERSION 3.22)

foreach(variable BUILD_DIR EXAMPLE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "install_test.cmake: -D${variable}=... is missing")
  endif()
endforeach()

# Removes WORK_DIR and stops the test with `message`.
function(fail message)
  file(REMOVE_RECURSE "${WORK_DIR}")
  message(FATAL_ERROR "${message}")
endfunction()

# Runs a command; on a non-zero exit, fails with its output. Sets `step_output` to the
# standard output.
function(run_step description)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  if(NOT result EQUAL 0)
    fail("${description} failed (exit status ${result}):\n${output}\n${errors}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(example_build "${WORK_DIR}/embed-build")
file(REMOVE_RECURSE "${WORK_DIR}")

# The library must be up to date before it is installed; this is quick when it is.
run_step("building the library" "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target lies)
run_step("installing" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")

# The public headers, the archive and the package files are installed, internal headers not.
file(GLOB_RECURSE config_files "${prefix}/*/liesConfig.cmake")
file(GLOB_RECURSE version_files "${prefix}/*/liesConfigVersion.cmake")
file(GLOB_RECURSE archives "${prefix}/*/liblies.a")
file(GLOB_RECURSE internal_headers "${prefix}/include/engine/*" "${prefix}/include/io/*"
  "${prefix}/include/autodiff/*" "${prefix}/include/simplify/*" "${prefix}/include/verify/*")
if(NOT EXISTS "${prefix}/include/lies/lies.hpp")
  fail("include/lies/lies.hpp is not installed")
endif()
if(NOT config_files OR NOT version_files OR NOT archives)
  fail("liesConfig.cmake, liesConfigVersion.cmake or liblies.a is not installed")
endif()
if(internal_headers)
  fail("internal headers are installed: ${internal_headers}")
endif()

# A fresh configuration that can find lies only in the temporary prefix.
run_step("configuring examples/embed"
  "${CMAKE_COMMAND}" -S "${EXAMPLE_DIR}" -B "${example_build}" -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
  -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_PREFIX_PATH=${prefix}"
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
run_step("building examples/embed" "${CMAKE_COMMAND}" --build "${example_build}")
run_step("running embed" "${example_build}/embed")
set(output "${step_output}")

# Expected: "E = <formula of m and v>", "R² = <at least 0.999>", "E(m = 2, v = 3) = 9".
if(NOT output MATCHES "(^|\n)E = ([^\n]*)\n")
  fail("no line 'E = ...' in the output of embed:\n${output}")
endif()
set(formula "${CMAKE_MATCH_2}")
if(NOT formula MATCHES "m" OR NOT formula MATCHES "v")
  fail("the formula '${formula}' does not use both m and v")
endif()
if(NOT output MATCHES "\nR² = ([^\n]*)\n")
  fail("no line 'R² = ...' in the output of embed:\n${output}")
endif()
set(r2 "${CMAKE_MATCH_1}")
if(NOT r2 GREATER_EQUAL 0.999)
  fail("R² is ${r2}, expected at least 0.999, for the formula '${formula}'")
endif()
if(NOT output MATCHES "\nE\\(m = 2, v = 3\\) = ([^\n]*)\n")
  fail("no line 'E(m = 2, v = 3) = ...' in the output of embed:\n${output}")
endif()
set(energy "${CMAKE_MATCH_1}")
if(NOT (energy GREATER 8.99 AND energy LESS 9.01))
  fail("E(m = 2, v = 3) is ${energy}, expected 9, for the formula '${formula}'")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
