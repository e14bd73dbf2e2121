#pragma once
// What both fake servers stand on: a thread running an io_context, a listening socket on 127.0.0.1 (any free
// port) and, for TLS, a server context with the test certificates that picks one ALPN protocol when offered.
// Owned by one fake server; thread-safe where it says so.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "test_certs.h"

namespace pk::testing {

class ServerLoop {
 public:
  // `alpn`: the protocol to select ("http/1.1", "h2") when the client offers it; none otherwise.
  ServerLoop(bool tls, const std::vector<std::string>& certificate_names, std::string alpn);
  // Stops the loop (see stop()) if still running.
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  boost::asio::io_context& io() { return io_; }
  boost::asio::ip::tcp::acceptor& acceptor() { return *acceptor_; }
  boost::asio::ssl::context* tls() { return tls_.get(); }  // null for a plain server
  const TestCertificates& certificates() const { return certs_; }
  uint16_t port() const { return port_; }

  // Starts the thread; spawn the accept coroutine on io() first.
  void start();
  // Runs `fn` on the loop and waits for it. Thread-safe.
  void run_and_wait(const std::function<void()>& fn);
  // On the loop: closes the listening socket, calls `close_connections`, stops the io_context (coroutines still
  // suspended are destroyed with it); then joins the thread. Idempotent.
  void stop(const std::function<void()>& close_connections);

 private:
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  TestCertificates certs_;
  std::string alpn_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace pk::testing
