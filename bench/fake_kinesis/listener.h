#pragma once
// Listener: the fake's one port (127.0.0.1), serving both protocols our Kinesis client speaks to an http://
// endpoint, told apart by the first bytes: the HTTP/2 client preface goes to the EventStreamServer
// (SubscribeToShard), anything else is HTTP/1.1 (keep-alive, Boost.Beast) answered by the KinesisApi.
// Owned by main; runs on the fake's one loop.

#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/result.h"
#include "event_stream_server.h"
#include "kinesis_api.h"

namespace pk::bench {

class Listener {
 public:
  // Binds 127.0.0.1:port (0: any free port) and starts accepting.
  static Result<std::unique_ptr<Listener>> start(boost::asio::any_io_executor executor, uint16_t port, KinesisApi& api,
                                                 EventStreamServer& events);
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void stop();

  Listener(boost::asio::ip::tcp::acceptor acceptor, KinesisApi& api, EventStreamServer& events);

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> sniff(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> serve_http1(boost::asio::ip::tcp::socket socket, std::string first_bytes);

  boost::asio::ip::tcp::acceptor acceptor_;
  KinesisApi& api_;
  EventStreamServer& events_;
};

}  // namespace pk::bench
