#include "net/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fmt/format.h>

namespace pk::net {
namespace {

std::string openssl_reason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  if (const unsigned long err = ERR_get_error(); err != 0) {  // NOLINT(google-runtime-int): OpenSSL's type
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    reason = buf;
  }
  return reason;
}

}  // namespace

Result<TlsContextPtr> make_tls_context(const TlsOptions& options) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (options.verify_peer) {
    if (options.ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
      if (ec) {
        return make_error(ErrorCode::kInvalidArgument,
                          "TLS: cannot load the system trust store: " + openssl_reason(ec));
      }
    } else {
      ctx->load_verify_file(options.ca_file, ec);
      if (ec) {
        return make_error(ErrorCode::kInvalidArgument,
                          fmt::format("TLS: cannot load CA file '{}': {}", options.ca_file, openssl_reason(ec)));
      }
    }
    ctx->set_verify_mode(ssl::verify_peer);
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  if (!options.cert_file.empty() || !options.key_file.empty()) {
    if (options.cert_file.empty() || options.key_file.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "TLS: a client certificate needs both a cert file and a key file");
    }
    ctx->use_certificate_chain_file(options.cert_file, ec);
    if (ec) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("TLS: cannot load client certificate '{}': {}",
                                                                 options.cert_file, openssl_reason(ec)));
    }
    ctx->use_private_key_file(options.key_file, ssl::context::pem, ec);
    if (ec) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("TLS: cannot load client key '{}': {}", options.key_file, openssl_reason(ec)));
    }
  }
  if (!options.alpn.empty()) {
    std::string wire;  // ALPN protocol list: length-prefixed names
    for (const auto& p : options.alpn) {
      wire.push_back(static_cast<char>(p.size()));
      wire += p;
    }
    if (SSL_CTX_set_alpn_protos(ctx->native_handle(), reinterpret_cast<const unsigned char*>(wire.data()),
                                static_cast<unsigned>(wire.size())) != 0) {
      return make_error(ErrorCode::kInvalidArgument, "TLS: cannot set ALPN protocols");
    }
  }
  return ctx;
}

}  // namespace pk::net
