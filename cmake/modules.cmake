# pk_module(<name> SOURCES ... DEPS ...): one CMake library per folder under src/, named pk_<name>,
# aliased pk::<name>. Includes are rooted at src/ ("common/result.h"). DEPS are the modules and packages
# this one may use; they are the module's public interface dependencies.
function(pk_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(pk_${name} STATIC ${ARG_SOURCES})
  add_library(pk::${name} ALIAS pk_${name})
  target_include_directories(pk_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(pk_${name} PUBLIC ${ARG_DEPS} PRIVATE pk_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# pk_test(<name> LABEL unit|integration SOURCES ... DEPS ...): a GoogleTest binary whose tests are
# registered with ctest one by one and carry the label.
function(pk_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "pk_test(${name}) needs LABEL unit or integration")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main pk_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)  # "support/..." and "fakes/..."
  target_compile_definitions(${name} PRIVATE
    PK_TESTDATA_DIR="${PK_TESTDATA_DIR}" PK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name}
    PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
    DISCOVERY_TIMEOUT 30)
endfunction()
