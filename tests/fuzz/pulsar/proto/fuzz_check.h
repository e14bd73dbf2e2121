#pragma once
// A check for fuzz targets: an invariant that fails is a finding, so it aborts (libFuzzer saves the input).

#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#define PK_FUZZ_CHECK(cond)                                                                  \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

// Debug builds of generated protobuf code log every string field that is not UTF-8 (proto2 only logs, never
// fails); with fuzzed input that is most inputs, which slows the fuzzer and buries real findings.
inline void silence_protobuf_logs() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
}
