#include "aws/sigv4_signer.h"

#include <gtest/gtest.h>

#include "aws/sigv4_canonical.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;

const Credentials kCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};

http::Request kinesis_request() {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"Host", "kinesis.us-east-1.amazonaws.com"},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "Kinesis_20131202.ListStreams"}};
  r.body = "{}";
  return r;
}

ManualClock fixed_clock() {
  return ManualClock(std::chrono::system_clock::from_time_t(1440938160));  // 2015-08-30T12:36:00Z
}

TEST(UriEncode, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(uri_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(uri_encode("a b/c+d=e"), "a%20b%2Fc%2Bd%3De");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4"), "%E1%88%B4");
}

TEST(PercentDecode, DecodesValidEscapesAndKeepsBrokenOnes) {
  EXPECT_EQ(percent_decode("%E1%88%B4x"), "\xe1\x88\xb4x");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
}

TEST(NormalizePath, RemovesDotAndEmptySegments) {
  EXPECT_EQ(normalize_path(""), "/");
  EXPECT_EQ(normalize_path("/"), "/");
  EXPECT_EQ(normalize_path("//"), "/");
  EXPECT_EQ(normalize_path("/a/./b/../c/"), "/a/c/");
  EXPECT_EQ(normalize_path("/a/b/.."), "/a/");
  EXPECT_EQ(normalize_path("/../../a"), "/a");
  EXPECT_EQ(normalize_path("a/b"), "/a/b");
}

TEST(CanonicalQuery, SortsByKeyThenValueAndReencodes) {
  EXPECT_EQ(canonical_query("b=2&a=2&a=1&c"), "a=1&a=2&b=2&c=");
  EXPECT_EQ(canonical_query("k=a%2fb&&x=%20"), "k=a%2Fb&x=%20");
  EXPECT_EQ(canonical_query("", {{"X-Amz-Date", "1"}, {"A", "a/b"}}), "A=a%2Fb&X-Amz-Date=1");
}

TEST(CanonicalHeaders, SkipsHeadersTheTransportMayChange) {
  const auto h = canonical_headers({{"Host", "h"}, {"User-Agent", "x"}, {"Authorization", "old"}, {"X-A", " a \t b "}});
  EXPECT_EQ(h.lines, "host:h\nx-a:a b\n");
  EXPECT_EQ(h.signed_headers, "host;x-a");
}

TEST(Sigv4Signer, ResigningReplacesTheEarlierSignature) {
  auto clock = fixed_clock();
  Sigv4Signer signer(clock);
  http::Request r = kinesis_request();
  const SigningConfig cfg{"us-east-1", "kinesis"};
  auto first = signer.sign(r, Credentials{"AKID", "secret", "token1", std::nullopt}, cfg);
  ASSERT_TRUE(first.ok());
  clock.advance(90s);
  auto second = signer.sign(r, Credentials{"AKID", "secret", "token2", std::nullopt}, cfg);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->signature, second->signature);
  size_t auth = 0, date = 0, token = 0;
  for (const auto& h : r.headers) {
    auth += iequals(h.name, "authorization");
    date += iequals(h.name, "x-amz-date");
    token += iequals(h.name, "x-amz-security-token");
  }
  EXPECT_EQ(auth, 1u);
  EXPECT_EQ(date, 1u);
  EXPECT_EQ(token, 1u);
  EXPECT_EQ(find_header(r.headers, "x-amz-date"), "20150830T123730Z");
  EXPECT_EQ(find_header(r.headers, "x-amz-security-token"), "token2");
  EXPECT_NE(second->canonical_request.find("x-amz-security-token:token2\n"), std::string::npos);
  EXPECT_NE(second->canonical_request.find("x-amz-target:Kinesis_20131202.ListStreams\n"), std::string::npos);
  EXPECT_NE(second->canonical_request.find(sha256_hex("{}")), std::string::npos);
}

TEST(Sigv4Signer, DerivedKeyMatchesTheDocumentedExample) {
  // From the AWS documentation's key derivation example (secret, 20120215, us-east-1, iam).
  Sigv4Signer signer;
  const auto key = signer.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
  EXPECT_EQ(hex_encode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  // Cached: the same inputs give the same key; another day gives another.
  EXPECT_EQ(signer.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"), key);
  EXPECT_NE(signer.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120216", "us-east-1", "iam"), key);
  for (int i = 0; i < 40; ++i) {  // more scopes than the cache holds: still correct
    (void)signer.signing_key("s", std::to_string(20120000 + i), "r", "x");
  }
  EXPECT_EQ(signer.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"), key);
}

TEST(Sigv4Signer, PayloadHashGivenByTheCallerIsUsed) {
  auto clock = fixed_clock();
  Sigv4Signer signer(clock);
  http::Request a = kinesis_request();
  http::Request b = kinesis_request();
  const SigningConfig cfg{"us-east-1", "kinesis"};
  auto pa = signer.sign(a, kCreds, cfg);
  auto pb = signer.sign_with_payload_hash(b, kCreds, cfg, sha256_hex(b.body));
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(pa->signature, pb->signature);
}

TEST(Sigv4Signer, RefusesIncompleteInputsWithoutLeakingTheSecret) {
  Sigv4Signer signer;
  http::Request r = kinesis_request();
  auto no_secret = signer.sign(r, Credentials{"AKID", "", "", std::nullopt}, SigningConfig{"us-east-1", "kinesis"});
  ASSERT_FALSE(no_secret.ok());
  EXPECT_EQ(no_secret.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(no_secret.error().message.find("secret"), std::string::npos);

  auto no_region = signer.sign(r, kCreds, SigningConfig{"", "kinesis"});
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(no_region.error().code, ErrorCode::kInvalidArgument);

  http::Request no_host = kinesis_request();
  no_host.headers.erase(no_host.headers.begin());
  auto missing = signer.sign(no_host, kCreds, SigningConfig{"us-east-1", "kinesis"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("Host"), std::string::npos);
  EXPECT_EQ(missing.error().message.find(kCreds.secret_access_key), std::string::npos);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace pk::aws
