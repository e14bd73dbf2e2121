#pragma once
// Helpers shared by the kpl unit tests: the sample aggregate shipped in tests/data/kpl-aggregated and a small
// reference encoder for hand-built protobuf bytes.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "common/base64.h"
#include "common/md5.h"
#include "kpl/format.h"

namespace pk::kpl::testing {

// The aggregated record inside tests/data/kpl-aggregated/SampleLambdaEvent.json (its one record's "data").
inline std::string sample_aggregate() {
  std::ifstream file(std::string(PK_TESTDATA_DIR) + "/kpl-aggregated/SampleLambdaEvent.json");
  std::stringstream text;
  text << file.rdbuf();
  const std::string json = text.str();
  const std::string marker = "\"data\": \"";
  const size_t start = json.find(marker);
  EXPECT_NE(start, std::string::npos);
  const size_t begin = start + marker.size();
  const size_t end = json.find('"', begin);
  auto decoded = base64_decode(std::string_view(json).substr(begin, end - begin));
  EXPECT_TRUE(decoded.ok());
  return decoded.ok() ? *decoded : std::string();
}

// Magic + `proto` + MD5(proto): an aggregate around hand-written protobuf bytes.
inline std::string frame(std::string_view proto) {
  const Md5Digest digest = md5(proto);
  std::string out(kMagic);
  out.append(proto);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

// A length-delimited field with a one-byte tag (payload < 128 bytes).
inline std::string field(uint8_t tag, std::string_view payload) {
  std::string out;
  out.push_back(static_cast<char>(tag));
  out.push_back(static_cast<char>(payload.size()));
  out.append(payload);
  return out;
}

}  // namespace pk::kpl::testing
