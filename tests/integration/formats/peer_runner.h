#pragma once
// Runs the Java connector peer (run_java_peer) on a cases file and reads its answers. The answers are kept beside
// the cases file and reused while the cases and the harness are unchanged, so the test binary's many ctest
// processes start the JVM once.

#include <map>
#include <string>
#include <utility>

#include "common/result.h"
#include "support/hex.h"

namespace pk::formats::testing {

struct PeerAnswer {
  bool ok = false;
  std::string key;    // partition key bytes (OK)
  std::string data;   // record bytes (OK), or the TEXT/DOUBLE/FLOAT answer fields joined by '\t'
  std::string error;  // exception (ERR)
};

// (case id, format) -> answer.
using PeerAnswers = std::map<std::pair<std::string, std::string>, PeerAnswer>;

// Writes `cases` (the harness's line format) and returns the Java answers for them.
Result<PeerAnswers> run_java_peer(const std::string& cases);

}  // namespace pk::formats::testing
