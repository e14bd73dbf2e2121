#pragma once
// Shared by the config unit tests: the corpus under tests/data/config, an injected environment with canary
// secrets, and loading a file by the kind its name starts with (sink-, source-, run-).

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "config/loader.h"

namespace pk::config::testing {

// Secrets that must never appear in any output.
inline constexpr std::string_view kCanaryToken = "token:CANARY-TOKEN-FROM-ENV-0001";
inline constexpr std::string_view kCanarySecretKey = "CANARY-SECRET-FROM-ENV-0002";
inline const std::vector<std::string> kCanaries = {"CANARY-TOKEN-FROM-ENV-0001",
                                                   "CANARY-SECRET-FROM-ENV-0002",
                                                   "CANARY-SECRET-IN-FILE-1234",
                                                   "CANARY-TOKEN-IN-FILE-5678",
                                                   "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                   "eyJhbGciOiJIUzI1NiJ9.c3Vi.sig"};

inline LoadOptions test_options() {
  LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PK_TEST_PULSAR_TOKEN") return std::string(kCanaryToken);
    if (name == "PK_TEST_SECRET_KEY") return std::string(kCanarySecretKey);
    return std::nullopt;
  };
  return options;
}

inline std::filesystem::path corpus_dir(std::string_view which) {
  return std::filesystem::path(PK_TESTDATA_DIR) / "config" / std::string(which);
}

// The .yaml and .json files of a corpus folder, sorted.
inline std::vector<std::filesystem::path> corpus_files(std::string_view which) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(corpus_dir(which))) {
    const auto ext = entry.path().extension();
    const std::string name = entry.path().filename().string();
    if ((ext == ".yaml" || ext == ".json") && name.find(".effective.") == std::string::npos) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline Result<RunSpec> load_by_name(const std::filesystem::path& file, Problems* problems) {
  const std::string name = file.filename().string();
  const LoadOptions options = test_options();
  if (name.starts_with("sink")) return load_sink(file.string(), problems, options);
  if (name.starts_with("source")) return load_source(file.string(), problems, options);
  return load_run(file.string(), problems, options);
}

inline std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

// PK_REGENERATE_CONFIG_GOLDEN=1 rewrites the expected files (review the diff before committing).
inline bool regenerate() {
  const char* v = std::getenv("PK_REGENERATE_CONFIG_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

}  // namespace pk::config::testing
