# Writes a C++ source that holds a file's bytes, so that a program can serve the file without reading it at run
# time (the admin endpoint's status page). Two ways in:
#   pk_embed_file(<out_var> INPUT <file> SYMBOL <name> NAMESPACE <ns>): adds a build step that regenerates
#     ${CMAKE_CURRENT_BINARY_DIR}/<name>.cc whenever <file> changes and puts its path in <out_var>. The source
#     defines `std::string_view <ns>::<name>()`.
#   cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -DNAMESPACE=... -P embed_file.cmake: the step itself.
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${INPUT}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # 16 bytes a line.
  set(bytes "")
  foreach(offset RANGE 0 ${hex_length} 32)
    string(SUBSTRING "${hex}" ${offset} 32 line)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," line "${line}")
    string(APPEND bytes "${line}\n    ")
  endforeach()
  file(WRITE "${OUTPUT}.tmp"
    "// Generated from ${INPUT} by cmake/embed_file.cmake; do not edit.\n"
    "#include <string_view>\n\n"
    "namespace ${NAMESPACE} {\n"
    "namespace {\n"
    "constexpr char k_${SYMBOL}_bytes[] = {\n    ${bytes}'\\0'};\n"
    "}  // namespace\n\n"
    "std::string_view ${SYMBOL}() {\n  return std::string_view(k_${SYMBOL}_bytes, ${size});\n}\n\n"
    "}  // namespace ${NAMESPACE}\n")
  file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
  return()
endif()

set(PK_EMBED_FILE_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

function(pk_embed_file out_var)
  cmake_parse_arguments(ARG "" "INPUT;SYMBOL;NAMESPACE" "" ${ARGN})
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${ARG_SYMBOL}.cc")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${output} -DSYMBOL=${ARG_SYMBOL}
            -DNAMESPACE=${ARG_NAMESPACE} -P ${PK_EMBED_FILE_SCRIPT}
    DEPENDS "${ARG_INPUT}" "${PK_EMBED_FILE_SCRIPT}"
    COMMENT "Embedding ${ARG_INPUT}"
    VERBATIM)
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()
