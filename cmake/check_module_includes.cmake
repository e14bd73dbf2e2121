# cmake -DRULES=<file> -DSOURCE_DIR=<src dir> -P check_module_includes.cmake
# Fails when a file under SOURCE_DIR/<m>/ includes "<x>/..." for a folder <x> of SOURCE_DIR that module <m> may not
# use. RULES (written by pk_check_module_includes, cmake/modules.cmake) sets PK_CHECKED_FOLDERS and, for each,
# PK_ALLOWED_<m>: its own folder and those of every module it depends on. Every offending line is listed.
cmake_minimum_required(VERSION 3.25)
if(NOT RULES OR NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DRULES=<file> -DSOURCE_DIR=<src dir> -P check_module_includes.cmake")
endif()
include(${RULES})

# The folders of SOURCE_DIR: an include of anything else (a package, a generated header) is not ours to check.
file(GLOB entries LIST_DIRECTORIES true RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/*)
set(module_folders "")
foreach(entry IN LISTS entries)
  if(IS_DIRECTORY ${SOURCE_DIR}/${entry})
    list(APPEND module_folders ${entry})
  endif()
endforeach()

set(violations "")
set(checked 0)
foreach(folder IN LISTS PK_CHECKED_FOLDERS)
  file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${folder}/*.h ${SOURCE_DIR}/${folder}/*.cc)
  foreach(file IN LISTS files)
    math(EXPR checked "${checked} + 1")
    file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"/]+/")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*$" "\\1" header "${line}")
      string(REGEX REPLACE "/.*$" "" used "${header}")
      if(NOT used IN_LIST module_folders OR used IN_LIST PK_ALLOWED_${folder})
        continue()
      endif()
      string(REPLACE ";" ", " allowed "${PK_ALLOWED_${folder}}")
      string(APPEND violations "  src/${file} includes ${header}: ${folder} may use only ${allowed}\n")
    endforeach()
  endforeach()
endforeach()

if(violations)
  message(NOTICE "Includes of modules a module does not depend on (a module may use only the modules listed before "
                 "it in PK_MODULES, through its pk_module DEPS):\n${violations}")
  message(FATAL_ERROR "module check FAILED")
endif()
message(STATUS "module check: ${checked} files of ${PK_CHECKED_FOLDERS} include only what their modules may use")
