#include "http/http1_codec.h"

#include <gtest/gtest.h>

namespace pk::http {
namespace {

// ---- request head ----------------------------------------------------------------------------------------------

TEST(EncodeRequestHead, AddsHostAndContentLength) {
  Request r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"X-Amz-Target", "Kinesis_20131202.ListStreams"}, {"Content-Type", "application/x-amz-json-1.1"}};
  r.body = "{}";
  auto head = encode_request_head(r, "kinesis.us-east-1.amazonaws.com");
  ASSERT_TRUE(head.ok()) << head.error().to_string();
  EXPECT_EQ(*head,
            "POST / HTTP/1.1\r\n"
            "Host: kinesis.us-east-1.amazonaws.com\r\n"
            "X-Amz-Target: Kinesis_20131202.ListStreams\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n"
            "Content-Length: 2\r\n"
            "\r\n");
}

TEST(EncodeRequestHead, KeepsTheCallersHostAndContentLength) {
  Request r;
  r.method = "PUT";
  r.target = "/latest/api/token";
  r.headers = {{"host", "169.254.169.254"}, {"Content-Length", "0"}};
  auto head = encode_request_head(r, "proxy.example:3128");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "PUT /latest/api/token HTTP/1.1\r\nhost: 169.254.169.254\r\nContent-Length: 0\r\n\r\n");
}

TEST(EncodeRequestHead, GetWithoutBodyHasNoContentLength) {
  Request r;
  r.method = "GET";
  r.target = "/latest/meta-data/iam/security-credentials/";
  auto head = encode_request_head(r, "127.0.0.1:8080");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "GET /latest/meta-data/iam/security-credentials/ HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
}

TEST(EncodeRequestHead, EmptyPostSaysContentLengthZero) {
  Request r;
  r.method = "POST";
  auto head = encode_request_head(r, "h");
  ASSERT_TRUE(head.ok());
  EXPECT_NE(head->find("Content-Length: 0\r\n"), std::string::npos);
}

TEST(EncodeRequestHead, RefusesInjectionAndNamesTheHeaderButNotItsValue) {
  Request r;
  r.method = "GET";
  r.headers = {{"Authorization", "secret-value\r\nX-Evil: 1"}};
  auto head = encode_request_head(r, "h");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(head.error().message.find("Authorization"), std::string::npos) << head.error().message;
  EXPECT_EQ(head.error().message.find("secret-value"), std::string::npos) << head.error().message;

  r.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(encode_request_head(r, "h").ok());
  r.headers = {};
  r.method = "GE T";
  EXPECT_FALSE(encode_request_head(r, "h").ok());
  r.method = "GET";
  r.target = "/a b";
  EXPECT_FALSE(encode_request_head(r, "h").ok());
  r.target = "";
  EXPECT_FALSE(encode_request_head(r, "h").ok());
}

TEST(EncodeRequestHead, ContentLengthMustMatchAndChunkedIsRefused) {
  Request r;
  r.body = "abc";
  r.headers = {{"Content-Length", "4"}};
  auto head = encode_request_head(r, "h");
  ASSERT_FALSE(head.ok());
  EXPECT_NE(head.error().message.find("Content-Length"), std::string::npos);
  r.headers = {{"Transfer-Encoding", "chunked"}};
  EXPECT_FALSE(encode_request_head(r, "h").ok());
}

// ---- response decoder ------------------------------------------------------------------------------------------

// Feeds `bytes` in pieces of `step` bytes (0 = whole) and returns the decoded response.
Result<Response> decode_in_steps(std::string_view bytes, size_t step, bool* keep_alive = nullptr,
                                 size_t max_body = 1 << 20, bool head = false) {
  ResponseDecoder d(max_body, head);
  if (step == 0) step = bytes.size();
  for (size_t at = 0; at < bytes.size() && !d.done(); at += step) {
    PK_TRY(d.feed(bytes.substr(at, step)));
  }
  if (!d.done()) PK_TRY(d.finish());
  if (keep_alive) *keep_alive = d.keep_alive();
  return d.take();
}

void expect_same_every_way(std::string_view bytes, int status, std::string_view body, bool keep_alive) {
  for (size_t step : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{64}}) {
    bool ka = !keep_alive;
    auto r = decode_in_steps(bytes, step, &ka);
    ASSERT_TRUE(r.ok()) << "step " << step << ": " << r.error().to_string();
    EXPECT_EQ(r->status, status) << "step " << step;
    EXPECT_EQ(r->body, body) << "step " << step;
    EXPECT_EQ(ka, keep_alive) << "step " << step;
  }
}

TEST(ResponseDecoder, ContentLengthWholeAndByteByByte) {
  const std::string bytes =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: abc\r\n"
      "Content-Length: 20\r\n\r\n{\"StreamNames\": [ ]}";
  expect_same_every_way(bytes, 200, "{\"StreamNames\": [ ]}", true);
  auto r = decode_response(bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("X-AMZN-REQUESTID"), "abc");
  EXPECT_EQ(r->header("content-type"), "application/x-amz-json-1.1");
}

TEST(ResponseDecoder, ChunkedWithExtensionsAndTrailers) {
  const std::string bytes =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n"
      "1\r\n \r\n"
      "5\r\nworld\r\n"
      "0\r\nX-Trailer: t\r\n\r\n";
  expect_same_every_way(bytes, 200, "hello world", true);
}

TEST(ResponseDecoder, LastChunkArrivingInPieces) {
  // The last chunk's size line comes before its CRLF CRLF: found by the fuzzer, when the decoder re-fed Beast
  // the same tail after it had asked for more.
  const std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (size_t step : {size_t{0}, size_t{1}, size_t{3}}) {
    auto r = decode_in_steps(bytes, step);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kIo) << r.error().to_string();
  }
  expect_same_every_way(bytes + "\r\n", 200, "", true);
}

TEST(ResponseDecoder, InterimResponsesAreSkipped) {
  const std::string bytes =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  expect_same_every_way(bytes, 201, "ok", true);
}

TEST(ResponseDecoder, NoBodyFor204AndForHead) {
  expect_same_every_way("HTTP/1.1 204 No Content\r\n\r\n", 204, "", true);
  auto head = decode_in_steps("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 1, nullptr, 1 << 20, true);
  ASSERT_TRUE(head.ok()) << head.error().to_string();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
}

TEST(ResponseDecoder, ConnectionCloseAndHttp10AreNotKeptAlive) {
  expect_same_every_way("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", 200, "x", false);
  expect_same_every_way("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, "x", false);
  expect_same_every_way("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", 200, "x", true);
}

TEST(ResponseDecoder, BodyUntilEndOfStream) {
  // No length, not chunked: the body runs to the end of the connection, which is then not reusable.
  expect_same_every_way("HTTP/1.1 200 OK\r\n\r\nall of it", 200, "all of it", false);
}

TEST(ResponseDecoder, TruncatedResponsesAreErrors) {
  for (std::string_view bytes :
       {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "HTTP/1.1 200 OK\r\nContent-Le",
        "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}) {
    for (size_t step : {size_t{0}, size_t{1}}) {
      auto r = decode_in_steps(bytes, step);
      ASSERT_FALSE(r.ok()) << bytes;
      EXPECT_EQ(r.error().code, ErrorCode::kIo) << r.error().to_string();
      EXPECT_NE(r.error().message.find("before the end of the response"), std::string::npos) << r.error().message;
    }
  }
  ResponseDecoder nothing(100);
  auto s = nothing.finish();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("before any response byte"), std::string::npos);
}

TEST(ResponseDecoder, MalformedInputIsAnErrorWhateverTheSplit) {
  for (std::string_view bytes :
       {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 020 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 050 OK\r\n\r\nbody to eof", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzzzzz\r\n", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"}) {
    for (size_t step : {size_t{0}, size_t{1}, size_t{3}}) {
      auto r = decode_in_steps(bytes, step);
      ASSERT_FALSE(r.ok()) << "accepted: " << bytes;
      EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput) << bytes << ": " << r.error().to_string();
    }
  }
}

TEST(ResponseDecoder, SwitchingProtocolsIsUnsupported) {
  auto r = decode_response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
}

TEST(ResponseDecoder, LimitsAreEnforced) {
  auto big_body = decode_response("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", 10);
  ASSERT_FALSE(big_body.ok());
  EXPECT_NE(big_body.error().message.find("limit of 10 bytes"), std::string::npos) << big_body.error().message;

  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "4\r\nabcd\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_FALSE(decode_response(chunked, 10).ok());
  EXPECT_TRUE(decode_response(chunked, 16).ok());

  std::string huge_header = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(ResponseDecoder::kMaxHeaderBytes, 'a');
  for (size_t step : {size_t{0}, size_t{4096}}) {
    auto r = decode_in_steps(huge_header, step);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput) << r.error().to_string();
  }
}

TEST(ResponseDecoder, BytesAfterTheResponseMakeTheConnectionUnusable) {
  ResponseDecoder d(100);
  ASSERT_TRUE(d.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n").ok());
  ASSERT_TRUE(d.done());
  EXPECT_EQ(d.leftover(), 17u);
  EXPECT_FALSE(d.keep_alive());
  EXPECT_EQ(d.take().body, "x");
}

TEST(ResponseDecoder, LargeBodyInLargePieces) {
  const std::string body(5 << 20, 'k');
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  auto r = decode_in_steps(bytes, 65536, nullptr, 64 << 20);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body.size(), body.size());
  EXPECT_EQ(r->body, body);
}

}  // namespace
}  // namespace pk::http
