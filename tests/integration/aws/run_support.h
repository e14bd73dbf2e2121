#pragma once
// Runs a coroutine to completion on a loop that outlives the test (HTTP clients post clean-up to it), and runs a
// Python peer script.

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "common/result.h"
#include "support/async_test.h"

namespace pk::aws::itest {

inline boost::asio::io_context& loop() {
  return pk::testing::coroutine_loop();
}

template <typename T, typename Make>
T run(Make make, std::chrono::seconds limit = std::chrono::seconds(60)) {
  return pk::testing::run_coroutine<T>(std::move(make), limit);
}

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
