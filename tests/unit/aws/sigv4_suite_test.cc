// The AWS SigV4 test suite (aws-c-auth's v4 folder): one test per case folder, discovered at runtime. Each case
// checks the canonical request, the string to sign, the signature and the signed request, for header signing and
// for query signing.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "aws/sigv4_canonical.h"
#include "aws/sigv4_signer.h"
#include "common/clock.h"
#include "raw_request.h"

namespace pk::aws {
namespace {

namespace fs = std::filesystem;
constexpr size_t kExpectedCases = 38;
constexpr const char* kMissing = "suite_folder_missing";

fs::path suite_dir() {
  return fs::path(PK_TESTDATA_DIR) / "aws-sigv4-suite" / "v4";
}

std::vector<std::string> list_cases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suite_dir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "context.json")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  // A missing folder must fail, not pass with zero tests.
  if (names.empty()) names.push_back(kMissing);
  return names;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << p;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Context {
  Credentials credentials;
  SigningConfig config;
  std::chrono::system_clock::time_point time;
  std::chrono::seconds expires{0};
};

Context read_context(const fs::path& dir) {
  const std::string text = read_file(dir / "context.json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Context ctx;
  if (parser.parse(text).get(doc) || !doc.is_object()) {
    ADD_FAILURE() << "bad context.json in " << dir;
    return ctx;
  }
  auto str = [](simdjson::dom::element e) { return std::string(std::string_view(e)); };
  const auto creds = doc["credentials"];
  ctx.credentials.access_key_id = str(creds["access_key_id"].value());
  ctx.credentials.secret_access_key = str(creds["secret_access_key"].value());
  if (simdjson::dom::element token; !creds["token"].get(token)) ctx.credentials.session_token = str(token);
  ctx.config.region = str(doc["region"].value());
  ctx.config.service = str(doc["service"].value());
  ctx.config.normalize_path = bool(doc["normalize"]);
  ctx.config.sign_body = bool(doc["sign_body"]);
  if (bool omit = false; !doc["omit_session_token"].get(omit)) ctx.config.omit_session_token = omit;
  ctx.expires = std::chrono::seconds(int64_t(doc["expiration_in_seconds"]));
  std::tm tm{};
  const std::string ts = str(doc["timestamp"].value());
  EXPECT_EQ(sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                   &tm.tm_sec),
            6)
      << ts;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  ctx.time = std::chrono::system_clock::from_time_t(timegm(&tm));
  return ctx;
}

std::vector<std::pair<std::string, std::string>> query_params(std::string_view target) {
  std::vector<std::pair<std::string, std::string>> out;
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    const size_t eq = item.find('=');
    out.emplace_back(std::string(item.substr(0, eq)),
                     eq == std::string_view::npos ? std::string() : std::string(item.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class Sigv4Suite : public ::testing::TestWithParam<std::string> {
 protected:
  // Reads the case's context and request; fails the test when either is missing or malformed.
  void SetUp() override {
    ASSERT_NE(GetParam(), kMissing) << "SigV4 suite not found at " << suite_dir();
    dir = suite_dir() / GetParam();
    ctx = read_context(dir);
    auto parsed = testing::parse_raw_request(read_file(dir / "request.txt"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    request = *parsed;
  }

  fs::path dir;
  Context ctx;
  http::Request request;
};

TEST_P(Sigv4Suite, HeaderSigning) {
  ManualClock clock(ctx.time);
  Sigv4Signer signer(clock);

  auto parts = signer.sign(request, ctx.credentials, ctx.config);
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->canonical_request, read_file(dir / "header-canonical-request.txt"));
  EXPECT_EQ(parts->string_to_sign, read_file(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(parts->signature, read_file(dir / "header-signature.txt"));

  auto expected = testing::parse_raw_request(read_file(dir / "header-signed-request.txt"));
  ASSERT_TRUE(expected.ok()) << expected.error().to_string();
  for (const char* name : {"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "x-amz-content-sha256", "Host"}) {
    EXPECT_EQ(find_header(request.headers, name), find_header(expected->headers, name)) << name;
  }
  EXPECT_EQ(request.headers.size(), expected->headers.size());
  EXPECT_EQ(request.target, expected->target);
}

TEST_P(Sigv4Suite, QuerySigning) {
  const auto headers_before = request.headers;
  ManualClock clock(ctx.time);
  Sigv4Signer signer(clock);

  auto parts = signer.presign(request, ctx.credentials, ctx.config, ctx.expires);
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->canonical_request, read_file(dir / "query-canonical-request.txt"));
  EXPECT_EQ(parts->string_to_sign, read_file(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(parts->signature, read_file(dir / "query-signature.txt"));

  auto expected = testing::parse_raw_request(read_file(dir / "query-signed-request.txt"));
  ASSERT_TRUE(expected.ok()) << expected.error().to_string();
  EXPECT_EQ(query_params(request.target), query_params(expected->target));
  EXPECT_EQ(request.target.substr(0, request.target.find('?')), expected->target.substr(0, expected->target.find('?')));
  EXPECT_EQ(request.headers.size(), headers_before.size()) << "presigning must not add headers";
}

INSTANTIATE_TEST_SUITE_P(V4, Sigv4Suite, ::testing::ValuesIn(list_cases()), param_name);

TEST(Sigv4SuiteFolder, HoldsEveryCase) {
  const auto cases = list_cases();
  EXPECT_GE(cases.size(), kExpectedCases)
      << "expected the " << kExpectedCases << " cases of the suite in " << suite_dir();
  EXPECT_EQ(std::count(cases.begin(), cases.end(), kMissing), 0);
}

}  // namespace
}  // namespace pk::aws
