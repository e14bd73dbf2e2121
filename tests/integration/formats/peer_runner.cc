#include "peer_runner.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "support/split.h"

namespace pk::formats::testing {
namespace {

using pk::testing::from_hex;
using pk::testing::split;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<PeerAnswers> parse(const std::string& text) {
  PeerAnswers answers;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto f = split(line, '\t');
    if (f.size() < 4) return make_error(ErrorCode::kMalformedInput, "java peer: short line: " + line);
    PeerAnswer a;
    if (f[2] == "OK") {
      a.ok = true;
      if (f[1] == "TEXT" || f[1] == "DOUBLE" || f[1] == "FLOAT") {
        std::string joined;
        for (size_t i = 3; i < f.size(); ++i) joined += (i > 3 ? "\t" : "") + f[i];
        a.data = joined;
      } else {
        if (f.size() != 5) return make_error(ErrorCode::kMalformedInput, "java peer: bad OK line: " + line);
        a.key = from_hex(f[3]);
        a.data = from_hex(f[4]);
      }
    } else {
      a.error = f[3];
    }
    answers[{f[0], f[1]}] = std::move(a);
  }
  return answers;
}

}  // namespace

Result<PeerAnswers> run_java_peer(const std::string& cases) {
  namespace fs = std::filesystem;
  const fs::path work = PK_JAVA_PEER_WORK_DIR;
  fs::create_directories(work);
  const fs::path cases_path = work / "cases.txt";
  const fs::path answers_path = work / "answers.txt";
  const fs::path script = PK_JAVA_PEER_SCRIPT;
  const fs::path harness = script.parent_path() / "java" / "FormatsPeer.java";
  const bool same_cases = fs::exists(cases_path) && read_file(cases_path) == cases;
  if (same_cases && fs::exists(answers_path) && fs::last_write_time(answers_path) > fs::last_write_time(harness)) {
    return parse(read_file(answers_path));
  }
  // Unique names per process: ctest may run several of this binary's tests at once.
  const std::string tag = std::to_string(::getpid());
  const fs::path my_cases = work / ("cases." + tag);
  const fs::path my_answers = work / ("answers." + tag);
  {
    std::ofstream out(my_cases, std::ios::binary);
    out << cases;
  }
  const std::string command =
      fmt::format("'{}' '{}' '{}' '{}'", script.string(), my_cases.string(), my_answers.string(), work.string());
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    return make_error(ErrorCode::kInternal, fmt::format("java peer failed (exit {}): {}", rc, command));
  }
  const std::string text = read_file(my_answers);
  fs::rename(my_answers, answers_path);
  fs::rename(my_cases, cases_path);
  return parse(text);
}

}  // namespace pk::formats::testing
