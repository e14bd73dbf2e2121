#pragma once
// HTTP request/response values and client options shared by the HTTP/1.1 and HTTP/2 clients.
// Plain values: no sockets here.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "net/tls.h"

namespace pk::http {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method = "POST";
  std::string target = "/";     // path and query, already encoded
  std::vector<Header> headers;  // the client adds Host (from the origin) and Content-Length when absent
  std::string body;

  // First value of a header, compared case-insensitively; empty if absent.
  std::string_view header(std::string_view name) const;
  void set_header(std::string name, std::string value);  // replaces any header of that name
};

struct Response {
  int status = 0;
  std::vector<Header> headers;
  std::string body;

  std::string_view header(std::string_view name) const;
};

// An absolute URL as users write endpoints: "https://kinesis.us-east-1.amazonaws.com", "http://127.0.0.1:4568",
// or a bare host "kinesis.us-east-1.amazonaws.com" (scheme then defaults to `default_scheme`).
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  uint16_t port = 0;   // explicit or the scheme's default
  std::string path;    // "/" when absent

  bool is_tls() const { return scheme == "https"; }
  // "host" or "host:port" when the port is not the scheme's default: the Host header value.
  std::string authority() const;
  // scheme://authority (no path): identifies a connection pool.
  std::string origin() const;

  static Result<Url> parse(std::string_view text, std::string_view default_scheme = "https");
};

struct ClientOptions {
  size_t max_connections = 24;  // per origin (maxConnections)
  size_t min_connections = 1;   // kept open when idle (minConnections)
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds request_timeout{6000};
  std::chrono::milliseconds idle_timeout{60000};  // idle keep-alive connections above min are closed after this
  net::TlsOptions tls;                            // for https origins
};

}  // namespace pk::http
