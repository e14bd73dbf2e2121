// The Foundation's proof that each real server is up and reachable from C++: plain TCP, TLS with the test CA
// and hostname verification, and the HTTP endpoints each server is known by.

#include <string>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/server_env.h"

namespace pk::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

http::response<http::string_body> http_request(const HostPort& hp, http::verb verb, const std::string& target,
                                               const std::string& body = {},
                                               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.connect(resolver.resolve(hp.host, std::to_string(hp.port)));
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, hp.host + ":" + std::to_string(hp.port));
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return res;
}

// Connects with TLS, verifying the server's certificate against the test CA for the host name `verify_name`.
bool tls_handshake(const HostPort& hp, const std::string& ca_file, const std::string& verify_name, std::string* error) {
  asio::io_context io;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(ca_file);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<tcp::socket> stream(io, ctx);
  stream.set_verify_callback(asio::ssl::host_name_verification(verify_name));
  tcp::resolver resolver(io);
  asio::connect(stream.next_layer(), resolver.resolve(hp.host, std::to_string(hp.port)));
  boost::system::error_code ec;
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec && error != nullptr) *error = ec.message();
  return !ec;
}

TEST(PulsarStandalone, BrokerPortAcceptsTcp) {
  const auto hp = host_port_of(server_env("PK_PULSAR_URL"));
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address(hp.host), hp.port), ec);
  EXPECT_FALSE(ec) << ec.message();
}

TEST(PulsarStandalone, AdminRestListsTheStandaloneClusterAndDefaultNamespace) {
  const auto hp = host_port_of(server_env("PK_PULSAR_ADMIN_URL"));
  auto clusters = http_request(hp, http::verb::get, "/admin/v2/clusters");
  EXPECT_EQ(clusters.result_int(), 200);
  EXPECT_NE(clusters.body().find("\"standalone\""), std::string::npos) << clusters.body();
  auto namespaces = http_request(hp, http::verb::get, "/admin/v2/namespaces/public");
  EXPECT_EQ(namespaces.result_int(), 200);
  EXPECT_NE(namespaces.body().find("public/default"), std::string::npos) << namespaces.body();
}

TEST(PulsarStandalone, AdminRestCreatesAPartitionedTopic) {
  const auto hp = host_port_of(server_env("PK_PULSAR_ADMIN_URL"));
  const std::string topic = "/admin/v2/persistent/public/default/foundation-partitioned-" +
                            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                            std::to_string(getpid());
  auto created = http_request(hp, http::verb::put, topic + "/partitions", "3", {{"Content-Type", "application/json"}});
  EXPECT_EQ(created.result_int(), 204) << created.body();
  auto meta = http_request(hp, http::verb::get, topic + "/partitions");
  EXPECT_EQ(meta.result_int(), 200);
  EXPECT_NE(meta.body().find("\"partitions\":3"), std::string::npos) << meta.body();
}

TEST(PulsarStandalone, TlsPortPresentsACertificateTheTestCaVerifies) {
  const auto hp = host_port_of(server_env("PK_PULSAR_TLS_URL"));
  std::string error;
  EXPECT_TRUE(tls_handshake(hp, server_env("PK_TLS_CA_FILE"), "127.0.0.1", &error)) << error;
  // Hostname verification is real: the same certificate is refused for another name.
  EXPECT_FALSE(tls_handshake(hp, server_env("PK_TLS_CA_FILE"), "not-this-host.example", &error));
}

TEST(KinesisMock, TlsPortVerifiesAndPlainPortAnswersListStreams) {
  std::string error;
  EXPECT_TRUE(
      tls_handshake(host_port_of(server_env("PK_KINESIS_ENDPOINT")), server_env("PK_TLS_CA_FILE"), "127.0.0.1", &error))
      << error;
  // kinesis-mock does not check signatures but wants the header's shape.
  auto res = http_request(host_port_of(server_env("PK_KINESIS_PLAIN_ENDPOINT")), http::verb::post, "/", "{}",
                          {{"Content-Type", "application/x-amz-json-1.1"},
                           {"X-Amz-Target", "Kinesis_20131202.ListStreams"},
                           {"X-Amz-Date", "20260101T000000Z"},
                           {"Authorization",
                            "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/kinesis/aws4_request, "
                            "SignedHeaders=host, Signature=0"}});
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_NE(res.body().find("StreamNames"), std::string::npos) << res.body();
}

TEST(Moto, RejectsAnUnsignedDynamoDbRequest) {
  // Signature verification is on: a request without a valid SigV4 signature must be refused.
  auto res = http_request(
      host_port_of(server_env("PK_MOTO_ENDPOINT")), http::verb::post, "/", "{}",
      {{"Content-Type", "application/x-amz-json-1.0"},
       {"X-Amz-Target", "DynamoDB_20120810.ListTables"},
       {"X-Amz-Date", "20260101T000000Z"},
       {"Authorization", "AWS4-HMAC-SHA256 Credential=" + server_env("PK_MOTO_ACCESS_KEY_ID") +
                             "/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, "
                             "Signature=0000000000000000000000000000000000000000000000000000000000000000"}});
  EXPECT_EQ(res.result_int(), 403) << res.body();
}

}  // namespace
}  // namespace pk::testing
