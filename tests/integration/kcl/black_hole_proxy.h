#pragma once
// A TCP proxy in front of a test server that can be cut: after cut(), connections stay open but no byte passes
// either way and new connections are accepted and held, so requests through it hang until their timeouts (the
// network partition a lease holder must survive safely). Runs on the given loop; close() ends it.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace pk::kcl::itest {

class BlackHoleProxy : public std::enable_shared_from_this<BlackHoleProxy> {
 public:
  using tcp = boost::asio::ip::tcp;

  static std::shared_ptr<BlackHoleProxy> start(boost::asio::any_io_executor executor, uint16_t target_port) {
    auto proxy = std::shared_ptr<BlackHoleProxy>(new BlackHoleProxy(executor, target_port));
    boost::asio::co_spawn(executor, proxy->accept_loop(), boost::asio::detached);
    return proxy;
  }

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void cut() { cut_ = true; }
  void close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& s : sockets_) s->close(ignored);
  }

 private:
  BlackHoleProxy(boost::asio::any_io_executor executor, uint16_t target_port)
      : executor_(executor),
        acceptor_(executor, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
        target_(boost::asio::ip::address_v4::loopback(), target_port) {
    port_ = acceptor_.local_endpoint().port();
  }

  boost::asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      auto client = std::make_shared<tcp::socket>(executor_);
      auto [ec] = co_await acceptor_.async_accept(*client, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      sockets_.push_back(client);
      if (cut_) continue;  // held: never answered
      auto upstream = std::make_shared<tcp::socket>(executor_);
      auto [connect_ec] = co_await upstream->async_connect(target_, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (connect_ec) continue;
      sockets_.push_back(upstream);
      boost::asio::co_spawn(executor_, pump(client, upstream), boost::asio::detached);
      boost::asio::co_spawn(executor_, pump(upstream, client), boost::asio::detached);
    }
  }

  // Copies from -> to until either closes; after cut() the bytes are swallowed.
  boost::asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    auto self = shared_from_this();
    std::vector<char> buffer(16384);
    for (;;) {
      auto [ec, n] = co_await from->async_read_some(boost::asio::buffer(buffer),
                                                    boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) break;
      if (cut_) continue;
      auto [write_ec, written] = co_await boost::asio::async_write(*to, boost::asio::buffer(buffer.data(), n),
                                                                   boost::asio::as_tuple(boost::asio::use_awaitable));
      if (write_ec) break;
    }
    boost::system::error_code ignored;
    from->close(ignored);
    to->close(ignored);
  }

  boost::asio::any_io_executor executor_;
  tcp::acceptor acceptor_;
  tcp::endpoint target_;
  uint16_t port_ = 0;
  bool cut_ = false;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
};

}  // namespace pk::kcl::itest
