#pragma once
// Runs a Python peer script (coroutines run with support/async_test.h).

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "support/async_test.h"

namespace pk::aws::itest {

// Runs `python_code` with the project's Python (PK_PYTHON) and returns its stdout; `ok` false on a non-zero exit.
inline std::string run_python(const std::string& python, const std::string& script_path, bool& ok) {
  const std::string cmd = python + " " + script_path;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  if (pipe == nullptr) {
    ok = false;
    return out;
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  ok = pclose(pipe) == 0;
  return out;
}

}  // namespace pk::aws::itest
