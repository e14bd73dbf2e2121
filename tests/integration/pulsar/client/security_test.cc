// Token authentication and TLS against the real Pulsar standalone (token auth on, anonymous allowed; TLS port
// with the fixtures' CA, certificate for localhost / 127.0.0.1).
#include <array>

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "real_broker.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;
using testing::message;
using testing::unique_topic;

asio::awaitable<Status> round_trip(Client& client, const std::string& topic) {
  ConsumerOptions co;
  co.topics = {topic};
  co.subscription = "sec";
  co.initial_position = InitialPosition::kEarliest;
  auto subscribing = client.subscribe(co);
  PK_CO_ASSIGN_OR_RETURN(auto consumer, co_await std::move(subscribing));
  ProducerOptions po;
  po.topic = topic;
  auto creating = client.create_producer(po);
  PK_CO_ASSIGN_OR_RETURN(auto producer, co_await std::move(creating));
  auto sending = producer->send(message("secret-payload"));
  PK_CO_TRY(co_await std::move(sending));
  auto receiving = consumer->receive(10s);
  PK_CO_ASSIGN_OR_RETURN(auto m, co_await std::move(receiving));
  EXPECT_EQ(m.payload(), "secret-payload");
  co_return ok_status();
}

TEST(PulsarSecurity, TokenFromFileIsAccepted) {
  asio::io_context io;
  auto options = testing::real_options();
  options.auth = make_token_auth("file:" + pk::testing::server_env("PK_PULSAR_TOKEN_FILE")).value();
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto status = co_await round_trip(*client, unique_topic("sec-token"));
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().to_string());
  });
}

TEST(PulsarSecurity, BadTokenIsRefused) {
  asio::io_context io;
  auto options = testing::real_options();
  options.operation_timeout = 10s;
  options.auth = make_token_auth("token:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.bm90LWEtc2lnbmF0dXJl").value();
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    ProducerOptions po;
    po.topic = unique_topic("sec-badtoken");
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    EXPECT_FALSE(producer.ok());
    if (producer.ok()) co_return;
    EXPECT_EQ(producer.error().code, ErrorCode::kUnauthenticated) << producer.error().to_string();
    EXPECT_EQ(producer.error().type, "AuthenticationError");
    EXPECT_EQ(producer.error().message.find("bm90LWEtc2lnbmF0dXJl"), std::string::npos) << "no token in errors";
  });
}

TEST(PulsarSecurity, TlsWithCaAndHostnameVerification) {
  asio::io_context io;
  auto options = testing::real_options("PK_PULSAR_TLS_URL");
  ASSERT_TRUE(options.tls.verify_peer) << "verification is on by default";
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto status = co_await round_trip(*client, unique_topic("sec-tls"));
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().to_string());
  });
}

TEST(PulsarSecurity, TlsWithTokenAndClientCertificate) {
  asio::io_context io;
  auto options = testing::real_options("PK_PULSAR_TLS_URL");
  options.tls.cert_file = pk::testing::server_env("PK_TLS_CLIENT_CERT");
  options.tls.key_file = pk::testing::server_env("PK_TLS_CLIENT_KEY");
  options.auth = make_token_auth("file:" + pk::testing::server_env("PK_PULSAR_TOKEN_FILE")).value();
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto status = co_await round_trip(*client, unique_topic("sec-tls-token"));
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().to_string());
  });
}

TEST(PulsarSecurity, TlsWithAnUntrustedCaIsRefused) {
  asio::io_context io;
  auto options = testing::real_options("PK_PULSAR_TLS_URL");
  options.tls.ca_file = pk::testing::server_env("PK_TLS_CLIENT_CERT");  // a certificate, but not the issuer
  options.operation_timeout = 5s;
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    ProducerOptions po;
    po.topic = unique_topic("sec-untrusted");
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    EXPECT_FALSE(producer.ok());
    if (!producer.ok()) {
      EXPECT_EQ(producer.error().code, ErrorCode::kUnauthenticated) << producer.error().to_string();
      EXPECT_NE(producer.error().message.find("certificate"), std::string::npos) << producer.error().to_string();
    }
  });
}

// Listens on `address`:0 and pipes every connection to `target` (a TCP forwarder: the TLS inside is untouched).
class Forwarder {
 public:
  Forwarder(asio::io_context& io, const std::string& address, pk::testing::HostPort target)
      : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(address), 0)), target_(std::move(target)) {
    asio::co_spawn(io, accept(), asio::detached);
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  static asio::awaitable<void> pipe(std::shared_ptr<asio::ip::tcp::socket> from,
                                    std::shared_ptr<asio::ip::tcp::socket> to) {
    std::array<char, 16384> buf;
    for (;;) {
      auto [rec, n] = co_await from->async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      if (rec) break;
      auto [wec, w] = co_await asio::async_write(*to, asio::buffer(buf.data(), n), asio::as_tuple(asio::use_awaitable));
      (void)w;
      if (wec) break;
    }
    boost::system::error_code ignored;
    to->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    from->close(ignored);
  }
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      auto client = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
      auto upstream = std::make_shared<asio::ip::tcp::socket>(acceptor_.get_executor());
      const asio::ip::tcp::endpoint target(asio::ip::make_address(target_.host), target_.port);
      auto [cec] = co_await upstream->async_connect(target, asio::as_tuple(asio::use_awaitable));
      if (cec) continue;
      asio::co_spawn(acceptor_.get_executor(), pipe(client, upstream), asio::detached);
      asio::co_spawn(acceptor_.get_executor(), pipe(upstream, client), asio::detached);
    }
  }
  asio::ip::tcp::acceptor acceptor_;
  pk::testing::HostPort target_;
};

TEST(PulsarSecurity, TlsHostnameMismatchIsRefused) {
  // The broker's certificate names localhost and 127.0.0.1. Reach the very same broker as 127.0.0.2 (through a
  // plain TCP forwarder): the certificate is valid and trusted, only the name does not match.
  asio::io_context io;
  auto options = testing::real_options("PK_PULSAR_TLS_URL");
  Forwarder forwarder(io, "127.0.0.2", pk::testing::host_port_of(options.service_url));
  options.service_url = "pulsar+ssl://127.0.0.2:" + std::to_string(forwarder.port());
  options.operation_timeout = 5s;
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    ProducerOptions po;
    po.topic = unique_topic("sec-hostname");
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    EXPECT_FALSE(producer.ok()) << "127.0.0.2 is not in the certificate";
    if (!producer.ok()) {
      EXPECT_EQ(producer.error().code, ErrorCode::kUnauthenticated) << producer.error().to_string();
      EXPECT_NE(producer.error().message.find("certificate"), std::string::npos) << producer.error().to_string();
    }
  });
}

TEST(PulsarSecurity, TlsByHostNameIsAccepted) {
  asio::io_context io;
  auto options = testing::real_options("PK_PULSAR_TLS_URL");
  const auto hp = pk::testing::host_port_of(options.service_url);
  options.service_url = "pulsar+ssl://localhost:" + std::to_string(hp.port);
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto status = co_await round_trip(*client, unique_topic("sec-tls-name"));
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().to_string());
  });
}

}  // namespace
}  // namespace pk::pulsar
