#include "pulsar/client/client.h"

#include "pulsar/client/client_state.h"
#include "pulsar/client/topic_name.h"

namespace pk::pulsar {
namespace asio = boost::asio;

Result<std::unique_ptr<Client>> Client::create(asio::any_io_executor executor, ClientOptions options) {
  PK_ASSIGN_OR_RETURN(auto url, parse_service_url(options.service_url));
  ConnectionOptions connection;
  connection.auth = options.auth;
  connection.connect_timeout = options.connect_timeout;
  connection.operation_timeout = options.operation_timeout;
  connection.keep_alive = options.keep_alive;
  if (url.tls) {
    PK_ASSIGN_OR_RETURN(connection.tls, net::make_tls_context(options.tls));
  }
  auto state =
      std::make_shared<ClientState>(std::move(executor), std::move(options), std::move(url), std::move(connection));
  return std::unique_ptr<Client>(new Client(std::move(state)));
}

Client::Client(std::shared_ptr<ClientState> state) : state_(std::move(state)) {}

namespace {

asio::awaitable<void> close_for_client(std::shared_ptr<ClientResource> resource) {
  co_await resource->close_for_client();
}

// The waiting part of Client::close(), on a state the caller no longer needs to keep. The producers and consumers
// still open are stopped all at once (one may wait for another: a pattern consumer's refresh for the topic it is
// subscribing to), then every task group is joined.
asio::awaitable<void> join_client(std::shared_ptr<ClientState> state) {
  net::TaskGroup stopping(state->executor);
  const auto resources = state->resources;  // a stop starts at once and might change the list
  for (const auto& weak : resources) {
    if (auto resource = weak.lock()) stopping.spawn(close_for_client(std::move(resource)));
  }
  co_await stopping.join();
  state->background.cancel_all();
  co_await state->background.join();
  co_await state->pool.join();
}

}  // namespace

Client::~Client() {
  close();
}

void Client::close() {
  if (state_->closed) return;
  state_->closed = true;
  state_->pool.close_all(make_error(ErrorCode::kCancelled, "Pulsar client closed"));
}

asio::awaitable<void> Client::shutdown() {
  close();
  auto joining = join_client(state_);
  co_await std::move(joining);
}

asio::any_io_executor Client::executor() const {
  return state_->executor;
}

size_t Client::open_connections() const {
  return state_->pool.size();
}

asio::awaitable<Result<std::unique_ptr<Producer>>> Client::create_producer(ProducerOptions options) {
  auto creating = Producer::create(state_, std::move(options));
  co_return co_await std::move(creating);
}

asio::awaitable<Result<std::unique_ptr<Consumer>>> Client::subscribe(ConsumerOptions options) {
  auto subscribing = Consumer::create(state_, std::move(options));
  co_return co_await std::move(subscribing);
}

asio::awaitable<Result<std::vector<std::string>>> Client::partitions_of(std::string topic) {
  PK_CO_ASSIGN_OR_RETURN(auto name, TopicName::parse(topic));
  auto looking = state_->lookup.partitions(name.full());
  PK_CO_ASSIGN_OR_RETURN(const uint32_t n, co_await std::move(looking));
  std::vector<std::string> out;
  if (n == 0) out.push_back(name.full());
  for (uint32_t i = 0; i < n; ++i) out.push_back(name.partition_name(static_cast<int>(i)));
  co_return out;
}

asio::awaitable<Result<SchemaInfo>> Client::get_schema(std::string topic, std::optional<std::string> version) {
  PK_CO_ASSIGN_OR_RETURN(auto name, TopicName::parse(topic));
  auto getting = state_->lookup.schema(name.full(), std::move(version));
  co_return co_await std::move(getting);
}

asio::awaitable<Result<std::vector<std::string>>> Client::topics_of_namespace(std::string ns) {
  auto listing = state_->lookup.topics_of_namespace(std::move(ns), TopicDomain::kPersistent);
  co_return co_await std::move(listing);
}

}  // namespace pk::pulsar
