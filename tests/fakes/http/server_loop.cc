#include "server_loop.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <future>

#include <boost/asio/post.hpp>

namespace pk::testing {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
                void* arg) {
  const auto& want = *static_cast<const std::string*>(arg);
  for (unsigned i = 0; i < inlen && i + 1 + in[i] <= inlen; i += 1 + in[i]) {
    if (in[i] == want.size() && std::equal(want.begin(), want.end(), in + i + 1)) {
      *out = in + i + 1;
      *outlen = in[i];
      return SSL_TLSEXT_ERR_OK;
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

ServerLoop::ServerLoop(bool tls, const std::vector<std::string>& certificate_names, std::string alpn)
    : alpn_(std::move(alpn)) {
  if (tls) {
    certs_ = make_test_certificates(certificate_names);
    tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    tls_->use_certificate_chain_file(certs_.server_cert);
    tls_->use_private_key_file(certs_.server_key, asio::ssl::context::pem);
    if (!alpn_.empty()) SSL_CTX_set_alpn_select_cb(tls_->native_handle(), &select_alpn, &alpn_);
  }
  acceptor_ = std::make_unique<tcp::acceptor>(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  port_ = acceptor_->local_endpoint().port();
  work_.emplace(io_.get_executor());
}

ServerLoop::~ServerLoop() {
  stop([] {});
}

void ServerLoop::start() {
  thread_ = std::thread([this] { io_.run(); });
}

void ServerLoop::run_and_wait(const std::function<void()>& fn) {
  std::promise<void> done;
  asio::post(io_, [&] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

void ServerLoop::stop(const std::function<void()>& close_connections) {
  if (!thread_.joinable()) return;
  asio::post(io_, [this, &close_connections] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    close_connections();
    io_.stop();
  });
  work_.reset();
  thread_.join();
  acceptor_.reset();  // before the io_context it belongs to
}

}  // namespace pk::testing
