#include "kinesis_fault_proxy.h"

#include <simdjson.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace pk::testing {

namespace {

// "http://host:port" -> host, port.
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto rest = url.substr(url.find("://") + 3);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

KinesisFaultProxy::KinesisFaultProxy(std::string upstream_url) {
  std::tie(upstream_host_, upstream_port_) = split_url(upstream_url);
  server_.when("*", "/").then_handle([this](const RecordedRequest& r) { return handle(r); });
}

void KinesisFaultProxy::fail_entries(EntryFault fault) {
  std::lock_guard lock(mutex_);
  entry_fault_ = std::move(fault);
}

void KinesisFaultProxy::fail_requests(RequestFault fault) {
  std::lock_guard lock(mutex_);
  request_fault_ = std::move(fault);
}

size_t KinesisFaultProxy::put_requests() const {
  std::lock_guard lock(mutex_);
  return put_requests_;
}
size_t KinesisFaultProxy::entries_refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}
size_t KinesisFaultProxy::entries_forwarded() const {
  std::lock_guard lock(mutex_);
  return forwarded_;
}

Reply KinesisFaultProxy::handle(const RecordedRequest& request) {
  if (request.header("x-amz-target") == "Kinesis_20131202.PutRecords") return put_records(request);
  return forward(request, request.body);
}

Reply KinesisFaultProxy::forward(const RecordedRequest& request, const std::string& body) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::beast::tcp_stream stream(io);
  stream.connect(resolver.resolve(upstream_host_, upstream_port_));
  http::request<http::string_body> req{http::verb::post, "/", 11};
  for (const auto& h : request.headers) {
    if (h.name == "Content-Length" || h.name == "content-length" || h.name == "Host" || h.name == "host") continue;
    req.set(h.name, h.value);
  }
  req.set(http::field::host, upstream_host_ + ":" + upstream_port_);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  boost::beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  Reply reply = Reply::status(static_cast<int>(res.result_int()), res.body());
  if (auto type = res.find(http::field::content_type); type != res.end()) {
    reply.header("Content-Type", std::string(type->value()));
  }
  return reply;
}

Reply KinesisFaultProxy::put_records(const RecordedRequest& request) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(request.body);
  std::string head;  // the request's members other than Records
  for (auto [key, value] : doc.get_object()) {
    if (key == "Records") continue;
    head += json_quote(key) + ":" + simdjson::minify(value) + ",";
  }
  std::vector<std::optional<std::string>> refused;  // per entry: the injected error code
  std::string kept;
  size_t request_index;
  {
    std::lock_guard lock(mutex_);
    request_index = ++put_requests_;
    if (request_fault_) {
      if (auto reply = request_fault_(request_index)) return *reply;
    }
    size_t index = 0;
    for (simdjson::dom::element entry : doc["Records"].get_array()) {
      ProxiedEntry info;
      info.partition_key = std::string(std::string_view(entry["PartitionKey"]));
      info.data_base64 = std::string(std::string_view(entry["Data"]));
      info.index = index++;
      info.request = request_index;
      info.attempt_of_key = seen_keys_[info.partition_key]++;
      info.attempt_of_data = seen_data_[info.data_base64]++;
      std::optional<std::string> error = entry_fault_ ? entry_fault_(info) : std::nullopt;
      if (error) {
        ++refused_;
      } else {
        ++forwarded_;
        if (!kept.empty()) kept += ",";
        kept += simdjson::minify(entry);
      }
      refused.push_back(std::move(error));
    }
  }
  std::vector<std::string> results;  // the upstream's results for the kept entries, in order
  if (!kept.empty()) {
    Reply upstream = forward(request, "{" + head + "\"Records\":[" + kept + "]}");
    if (upstream.status_code != 200) return upstream;
    simdjson::dom::parser answer_parser;
    simdjson::dom::element answer = answer_parser.parse(upstream.body);
    for (simdjson::dom::element r : answer["Records"].get_array()) results.push_back(simdjson::minify(r));
  }
  std::string body = "{\"FailedRecordCount\":";
  size_t failed = 0;
  for (const auto& r : refused) failed += r.has_value();
  body += std::to_string(failed) + ",\"Records\":[";
  size_t next_result = 0;
  for (size_t i = 0; i < refused.size(); ++i) {
    if (i != 0) body += ",";
    if (refused[i]) {
      body += "{\"ErrorCode\":" + json_quote(*refused[i]) + ",\"ErrorMessage\":\"injected by the fault proxy\"}";
    } else {
      body += results.at(next_result++);
    }
  }
  body += "]}";
  return Reply::status(200, body).header("Content-Type", "application/x-amz-json-1.1");
}

}  // namespace pk::testing
