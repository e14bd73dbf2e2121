#pragma once
// A minimal client for the broker's admin REST API (PK_PULSAR_ADMIN_URL), for test set-up only: create
// partitioned topics, turn deduplication on, upload schemas. Blocking (Boost.Beast over plain TCP); sends the
// admin token when PK_PULSAR_ADMIN_TOKEN_FILE is set.

#include <fstream>
#include <sstream>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/server_env.h"

namespace pk::pulsar::testing {

struct AdminResponse {
  int status = 0;
  std::string body;
};

inline AdminResponse admin_request(boost::beast::http::verb verb, const std::string& path,
                                   const std::string& json_body = "") {
  namespace http = boost::beast::http;
  const auto hp = pk::testing::host_port_of(pk::testing::server_env("PK_PULSAR_ADMIN_URL"));
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::beast::tcp_stream stream(io);
  stream.connect(resolver.resolve(hp.host, std::to_string(hp.port)));
  http::request<http::string_body> req{verb, path, 11};
  req.set(http::field::host, hp.host);
  req.set(http::field::content_type, "application/json");
  if (const char* token_file = std::getenv("PK_PULSAR_ADMIN_TOKEN_FILE")) {
    std::ifstream in(token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string token = ss.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    req.set(http::field::authorization, "Bearer " + token);
  }
  req.body() = json_body;
  req.prepare_payload();
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  boost::beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  return AdminResponse{static_cast<int>(res.result_int()), res.body()};
}

// "persistent://public/default/x" -> "persistent/public/default/x" (the REST path form).
inline std::string rest_path(const std::string& topic) {
  const auto sep = topic.find("://");
  return topic.substr(0, sep) + "/" + topic.substr(sep + 3);
}

inline bool create_partitioned_topic(const std::string& topic, int partitions) {
  auto r = admin_request(boost::beast::http::verb::put, "/admin/v2/" + rest_path(topic) + "/partitions",
                         std::to_string(partitions));
  return r.status == 204 || r.status == 200;
}

inline bool enable_topic_deduplication(const std::string& topic) {
  auto r =
      admin_request(boost::beast::http::verb::post, "/admin/v2/" + rest_path(topic) + "/deduplicationEnabled", "true");
  return r.status == 204 || r.status == 200;
}

}  // namespace pk::pulsar::testing
