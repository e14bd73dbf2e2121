#pragma once
// TLS client settings and the OpenSSL context made from them. Certificates are verified unless the user opts
// out explicitly (verify_peer = false); the host name is always checked when verifying.

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "common/result.h"

namespace pk::net {

struct TlsOptions {
  bool verify_peer = true;        // false only when the user asked for it (skipCertificateValidation, ...)
  std::string ca_file;            // PEM bundle; empty = the system's default trust store
  std::string cert_file;          // client certificate (PEM) for mutual TLS; optional
  std::string key_file;           // its private key (PEM); required with cert_file
  std::vector<std::string> alpn;  // e.g. {"h2", "http/1.1"}
};

using TlsContextPtr = std::shared_ptr<boost::asio::ssl::context>;

// Builds a client context. Errors name the file that could not be used.
Result<TlsContextPtr> make_tls_context(const TlsOptions& options);

}  // namespace pk::net
