#pragma once
// A blocking HTTP/1.1 client over a plain socket, for tests of servers that need exact bytes on the wire (malformed
// requests, HEAD framing, pipelining, connections held open). Every read gives up after `timeout`, so a server that
// does not answer fails the test instead of hanging it. Not thread-safe; one per connection.

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace pk::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers, up to the empty line
  std::string body;

  // First value of a header (ASCII case-insensitive name); empty if absent.
  std::string header(std::string_view name) const {
    size_t line = head.find("\r\n");
    while (line != std::string::npos && line + 2 < head.size()) {
      const size_t next = head.find("\r\n", line + 2);
      const std::string_view field(head.data() + line + 2, (next == std::string::npos ? head.size() : next) - line - 2);
      const size_t colon = field.find(':');
      if (colon == name.size() && std::equal(name.begin(), name.end(), field.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          })) {
        std::string_view value = field.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        return std::string(value);
      }
      line = next;
    }
    return {};
  }
};

class RawHttpConnection {
 public:
  RawHttpConnection(uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : socket_(io_), timeout_(timeout) {
    boost::system::error_code ec;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
  }

  bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }

  // One response; `head_request`: no body whatever Content-Length says. nullopt when the connection closed or the
  // read timed out before a whole response arrived.
  std::optional<RawResponse> read_response(bool head_request = false) {
    size_t end = 0;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    RawResponse r;
    r.head = pending_.substr(0, end);
    pending_.erase(0, end + 4);
    if (r.head.size() < 12 || !r.head.starts_with("HTTP/1.")) return std::nullopt;
    r.status = std::stoi(r.head.substr(9, 3));
    const std::string length = r.header("Content-Length");
    const size_t body_bytes = head_request || length.empty() ? 0 : std::stoul(length);
    while (pending_.size() < body_bytes) {
      if (!fill()) return std::nullopt;
    }
    r.body = pending_.substr(0, body_bytes);
    pending_.erase(0, body_bytes);
    return r;
  }

  // Reads until the server closes the connection (true) or the read times out (false). Bytes that arrive are kept
  // in leftover().
  bool closed_by_server() {
    while (fill()) {
    }
    return eof_;
  }
  const std::string& leftover() const { return pending_; }

  std::optional<RawResponse> request(std::string_view bytes, bool head_request = false) {
    if (!send(bytes)) return std::nullopt;
    return read_response(head_request);
  }

 private:
  bool fill() {
    pollfd ready{.fd = socket_.native_handle(), .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, static_cast<int>(timeout_.count())) != 1) return false;  // timed out
    char buffer[4096];
    boost::system::error_code ec;
    const size_t n = socket_.read_some(boost::asio::buffer(buffer), ec);
    if (ec) {
      eof_ = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
      return false;
    }
    pending_.append(buffer, n);
    return true;
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::chrono::milliseconds timeout_;
  std::string pending_;
  bool connected_ = false;
  bool eof_ = false;
};

}  // namespace pk::testing
