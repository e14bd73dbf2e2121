# Warnings are errors in our own code. Third-party headers come in as SYSTEM includes.
add_library(pk_warnings INTERFACE)
target_compile_options(pk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> -Wnon-virtual-dtor -Wcast-align
  -Wimplicit-fallthrough -Wformat=2)
