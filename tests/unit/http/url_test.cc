#include <gtest/gtest.h>

#include "http/types.h"

namespace pk::http {
namespace {

Url parse_ok(std::string_view text, std::string_view default_scheme = "https") {
  auto url = Url::parse(text, default_scheme);
  EXPECT_TRUE(url.ok()) << text << ": " << (url.ok() ? "" : url.error().to_string());
  return url.ok() ? *url : Url{};
}

TEST(Url, HttpsWithoutPortDefaultsTo443) {
  const Url u = parse_ok("https://kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.path, "/");
  EXPECT_TRUE(u.is_tls());
  EXPECT_EQ(u.authority(), "kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(u.origin(), "https://kinesis.us-east-1.amazonaws.com");
}

TEST(Url, HttpWithPortAndPath) {
  const Url u = parse_ok("http://127.0.0.1:4568/some/path?x=1");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 4568);
  EXPECT_EQ(u.path, "/some/path?x=1");
  EXPECT_FALSE(u.is_tls());
  EXPECT_EQ(u.authority(), "127.0.0.1:4568");
  EXPECT_EQ(u.to_string(), "http://127.0.0.1:4568/some/path?x=1");
}

TEST(Url, DefaultPortOfHttpIs80AndIsLeftOutOfTheAuthority) {
  const Url u = parse_ok("http://example.com");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.authority(), "example.com");
  EXPECT_EQ(parse_ok("http://example.com:80").authority(), "example.com");
  EXPECT_EQ(parse_ok("https://example.com:80").authority(), "example.com:80");
  EXPECT_EQ(parse_ok("http://example.com:443").authority(), "example.com:443");
}

TEST(Url, BareHostTakesTheDefaultScheme) {
  const Url u = parse_ok("kinesis.eu-west-1.amazonaws.com");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.port, 443);
  const Url h = parse_ok("localhost", "http");
  EXPECT_EQ(h.scheme, "http");
  EXPECT_EQ(h.port, 80);
}

TEST(Url, HostAndPortWithoutScheme) {
  const Url u = parse_ok("localhost:4567");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 4567);
  EXPECT_EQ(u.authority(), "localhost:4567");
}

TEST(Url, Ipv6LiteralsInBrackets) {
  const Url u = parse_ok("[::1]:4567");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 4567);
  EXPECT_EQ(u.authority(), "[::1]:4567");
  const Url v = parse_ok("http://[2001:db8::1]/x");
  EXPECT_EQ(v.host, "2001:db8::1");
  EXPECT_EQ(v.port, 80);
  EXPECT_EQ(v.path, "/x");
  EXPECT_EQ(v.origin(), "http://[2001:db8::1]");
}

TEST(Url, SchemeAndHostAreCaseInsensitiveAndWhitespaceIsTrimmed) {
  const Url u = parse_ok("  HTTPS://Kinesis.US-East-1.AmazonAWS.com:8443 ");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(u.port, 8443);
}

TEST(Url, QueryWithoutPathGetsARootPath) {
  EXPECT_EQ(parse_ok("http://h?a=b").path, "/?a=b");
  EXPECT_EQ(parse_ok("http://h#frag").path, "/");
  EXPECT_EQ(parse_ok("http://h/p#frag").path, "/p");
}

void expect_error(std::string_view text, std::string_view mentions) {
  auto url = Url::parse(text);
  ASSERT_FALSE(url.ok()) << text << " parsed as " << url->to_string();
  EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(url.error().message.find(text), std::string::npos) << url.error().message;
  EXPECT_NE(url.error().message.find(mentions), std::string::npos) << url.error().message;
}

TEST(Url, ErrorsQuoteTheTextAndSayWhatIsWrong) {
  expect_error("", "empty");
  expect_error("   ", "empty");
  expect_error("ftp://host", "scheme 'ftp'");
  expect_error("https://", "no host");
  expect_error("https://:443", "no host");
  expect_error("https://host:", "port");
  expect_error("https://host:0", "port");
  expect_error("https://host:65536", "port");
  expect_error("https://host:12ab", "port");
  expect_error("https://host:-1", "port");
  expect_error("::1:4567", "brackets");
  expect_error("[::1", "']'");
  expect_error("[::1]x", "after ']'");
  expect_error("[zz]:1", "IPv6");
  expect_error("[]:1", "IPv6");
  expect_error("https://ho st", "host name");
  expect_error("https://host\r\nX: y", "host name");
}

TEST(Url, UserInfoIsRefusedWithoutEchoingTheSecret) {
  auto url = Url::parse("https://AKIDEXAMPLE:secret@host");
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.error().message.find("user information"), std::string::npos) << url.error().message;
}

TEST(Request, HeadersAreFoundCaseInsensitivelyAndSetHeaderReplaces) {
  Request r;
  r.headers = {{"Content-Type", "a"}, {"X-Amz-Target", "t"}, {"content-type", "b"}};
  EXPECT_EQ(r.header("content-TYPE"), "a");
  EXPECT_EQ(r.header("missing"), "");
  r.set_header("CONTENT-TYPE", "c");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.header("content-type"), "c");
  Response resp;
  resp.headers = {{"X-Amzn-RequestId", "id"}};
  EXPECT_EQ(resp.header("x-amzn-requestid"), "id");
}

TEST(Headers, SecretValuesAreRedactedInLogs) {
  const std::vector<Header> headers = {
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, Signature=abc"},
      {"X-Amz-Security-Token", "FQoGZXIvYXdzEJr//////////wEaDM+secret+token"},
      {"x-aws-ec2-metadata-token", "AQAEAFTNrA4eEGx0AQgJ1arIq_Cc-t4tWt3fB0Hd8RKhXlKc5ccvhg=="},
      {"X-Amz-Target", "Kinesis_20131202.ListStreams"}};
  const std::string line = headers_for_log(headers);
  EXPECT_EQ(line.find("Signature=abc"), std::string::npos) << line;
  EXPECT_EQ(line.find("secret+token"), std::string::npos) << line;
  EXPECT_EQ(line.find("AQAEAFTNrA4eEGx0"), std::string::npos) << line;
  EXPECT_NE(line.find("Kinesis_20131202.ListStreams"), std::string::npos) << line;
  EXPECT_NE(line.find("Authorization: ****"), std::string::npos) << line;
  EXPECT_TRUE(is_secret_header("AUTHORIZATION"));
  EXPECT_EQ(target_for_log("/"), "/");
  EXPECT_EQ(target_for_log("/path?X-Amz-Signature=abc&X-Amz-Security-Token=tok"), "/path?...");
  EXPECT_FALSE(is_secret_header("X-Amz-Date"));
}

}  // namespace
}  // namespace pk::http
