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
  std::string path;    // "/" when absent (may carry a query)

  bool is_tls() const { return scheme == "https"; }
  uint16_t default_port() const { return is_tls() ? 443 : 80; }
  // "host" or "host:port" when the port is not the scheme's default: the Host header value.
  std::string authority() const;
  // scheme://authority (no path): identifies a connection pool.
  std::string origin() const;
  // origin() + path.
  std::string to_string() const;

  // Accepts "scheme://host[:port][/path]", "host[:port][/path]" and IPv6 literals in brackets ("[::1]:4567").
  // Only http and https; user info ("user:pass@") is refused so that secrets never sit in endpoint strings.
  // Errors (kInvalidArgument) quote the text. The host is lower-cased.
  static Result<Url> parse(std::string_view text, std::string_view default_scheme = "https");
};

struct ClientOptions {
  size_t max_connections = 24;  // per origin (maxConnections)
  size_t min_connections = 1;   // kept open when idle (minConnections)
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds request_timeout{6000};
  std::chrono::milliseconds idle_timeout{60000};  // idle keep-alive connections above min are closed after this
  net::TlsOptions tls;                            // for https origins (the clients set ALPN themselves)
  size_t max_response_bytes = 64 << 20;           // HTTP/1.1 response body limit (GetRecords: up to ~14 MB)
  uint32_t http2_stream_window = 1 << 20;         // bytes a server may send on one stream before we consume them
  uint32_t http2_connection_window = 16 << 20;    // the same for all streams of one HTTP/2 connection
};

// ASCII case-insensitive comparison, for header names.
bool iequals(std::string_view a, std::string_view b);

// RFC 9110 field syntax: a name is a token; a value has no CR, LF, NUL or other control bytes (tab allowed).
// What we send is checked against these so that no caller can inject a header.
bool is_valid_header_name(std::string_view name);
bool is_valid_header_value(std::string_view value);

// Headers whose values are secrets (Authorization, X-Amz-Security-Token, x-aws-ec2-metadata-token, ...).
bool is_secret_header(std::string_view name);

// A request target for logs and error messages: the path, with any query replaced by "?..." (presigned
// requests carry X-Amz-Signature and X-Amz-Security-Token in the query).
std::string target_for_log(std::string_view target);

// "name: value, name: value" for logs, with the values of secret headers redacted.
std::string headers_for_log(const std::vector<Header>& headers);

}  // namespace pk::http
