# flowdistill_add_test(<name> SOURCES src... [LIBS lib...] [PROPERTIES prop value...])
# One Catch2 executable; every TEST_CASE becomes its own ctest test.
function(flowdistill_add_test name)
  if(NOT FLOWDISTILL_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBS;PROPERTIES")
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE Catch2::Catch2WithMain ${arg_LIBS})
  target_compile_definitions(${name} PRIVATE
    FLOWDISTILL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    FLOWDISTILL_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  catch_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ${arg_PROPERTIES})
endfunction()
