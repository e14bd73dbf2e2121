#pragma once
// Runs `promtool check metrics` (Debian package prometheus, installed by scripts/setup) on exposition text.
// Tests call it through PK_EXPECT_PROMTOOL_ACCEPTS, which skips the test with a clear message only when promtool is
// not on PATH.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

namespace pk::testing {

inline std::optional<std::string> find_promtool() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/promtool";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

struct PromtoolResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline PromtoolResult run_promtool_check(const std::string& promtool, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string input = (dir / ("pk_promtool_" + std::to_string(::getpid()) + ".prom")).string();
  std::ofstream(input, std::ios::binary) << text;
  const std::string command = promtool + " check metrics < " + input + " 2>&1";
  PromtoolResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::filesystem::remove(input);
  return result;
}

}  // namespace pk::testing

// Passes when promtool reports no problem at all (exit 0, no output); skips when promtool is missing.
#define PK_EXPECT_PROMTOOL_ACCEPTS(text)                                                        \
  do {                                                                                          \
    const auto pk_promtool_ = ::pk::testing::find_promtool();                                   \
    if (!pk_promtool_)                                                                          \
      GTEST_SKIP() << "promtool not found on PATH (Debian package prometheus; scripts/setup "   \
                      "installs it): the exposition text was not checked";                      \
    const auto pk_checked_ = ::pk::testing::run_promtool_check(*pk_promtool_, (text));          \
    EXPECT_EQ(pk_checked_.exit_code, 0) << pk_checked_.output << "\n--- input ---\n" << (text); \
    EXPECT_EQ(pk_checked_.output, "") << "--- input ---\n" << (text);                           \
  } while (0)
