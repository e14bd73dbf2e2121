# Warnings are errors in our own code. Third-party headers come in as SYSTEM includes.
add_library(pk_warnings INTERFACE)
target_compile_options(pk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> -Wnon-virtual-dtor -Wcast-align
  -Wimplicit-fallthrough -Wformat=2)
# Two GCC 12 false positives that depend on the optimisation level and sanitizer (so -Werror would make a build's
# success depend on its preset):
# - mismatched-new-delete: Asio's coroutine frames use a class-specific operator new/delete pair that GCC,
#   after inlining, takes for a mismatch;
# - maybe-uninitialized: std::variant's storage when moved (GCC bug 105593 and relatives), seen under -O1 with
#   ThreadSanitizer. Clang (the fuzz preset) still reports real uninitialised reads, and the sanitizers catch them
#   at run time.
target_compile_options(pk_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete -Wno-maybe-uninitialized>)
# In a unity build a .cc is no longer the main file, so GCC warns about every coroutine frame that holds a type
# from the file's anonymous namespace (subobject-linkage): meaningless there.
if(CMAKE_UNITY_BUILD)
  target_compile_options(pk_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
endif()
