#include "pulsar/client/producer.h"

#include <random>

#include "net/loop_condition.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/producer_impl.h"
#include "pulsar/client/topic_name.h"
#include "pulsar/proto/murmur3.h"

namespace pk::pulsar {
namespace asio = boost::asio;

Producer::Producer(std::shared_ptr<ClientState> client, ProducerOptions options, std::string topic)
    : client_(std::move(client)), options_(std::move(options)), topic_(std::move(topic)) {
  round_robin_start_ = std::random_device{}();
}

Producer::~Producer() {
  // The impls keep themselves (and the client state) alive until they are closed.
  if (!closed_) close_in_background(*client_, impls_);
}

asio::awaitable<Result<std::unique_ptr<Producer>>> Producer::create(std::shared_ptr<ClientState> client,
                                                                    ProducerOptions options) {
  if (client->closed) co_return make_error(ErrorCode::kCancelled, "the Pulsar client is closed");
  PK_CO_ASSIGN_OR_RETURN(auto name, TopicName::parse(options.topic));
  if (options.batch.max_messages == 0) options.batch.max_messages = 1;
  auto looking = client->lookup.partitions(name.full());
  PK_CO_ASSIGN_OR_RETURN(const uint32_t partitions, co_await std::move(looking));
  std::unique_ptr<Producer> producer(new Producer(client, options, name.full()));
  producer->partitioned_ = partitions > 0;
  if (partitions == 0) {
    producer->impls_.push_back(std::make_shared<ProducerImpl>(client, options, name.full(), -1));
  } else {
    for (uint32_t i = 0; i < partitions; ++i) {
      const int index = static_cast<int>(i);
      producer->impls_.push_back(std::make_shared<ProducerImpl>(client, options, name.partition_name(index), index));
    }
  }
  for (const auto& impl : producer->impls_) {
    auto starting = ProducerImpl::start(impl);
    auto started = co_await std::move(starting);
    if (!started.ok()) {
      auto closing = producer->close();
      (void)co_await std::move(closing);
      co_return std::move(started).error();
    }
  }
  co_return producer;
}

ProducerImpl& Producer::route(const OutgoingMessage& msg) {
  if (impls_.size() == 1) return *impls_.front();
  const auto n = static_cast<int32_t>(impls_.size());
  if (msg.key) return *impls_[static_cast<size_t>(proto::partition_for_key(*msg.key, n))];
  if (options_.routing == RoutingMode::kSinglePartition) return *impls_[round_robin_start_ % impls_.size()];
  // Without a key: stay on one partition for a batching window, then move on (full batches, even spread).
  const auto window = std::max<int64_t>(1, options_.batching ? options_.batch.max_delay.count() : 0);
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  const size_t slot = options_.batching ? static_cast<size_t>(now_ms / window) : round_robin_start_++;
  return *impls_[(round_robin_start_ + slot) % impls_.size()];
}

Status Producer::try_send(OutgoingMessage& msg, SendCallback callback) {
  if (closed_) return make_error(ErrorCode::kCancelled, "producer on " + topic_ + " is closed");
  return route(msg).try_send(msg, callback);
}

asio::awaitable<Status> Producer::send_async(OutgoingMessage msg, SendCallback callback) {
  for (;;) {
    if (closed_) co_return make_error(ErrorCode::kCancelled, "producer on " + topic_ + " is closed");
    ProducerImpl& impl = route(msg);
    auto status = impl.try_send(msg, callback);
    if (status.ok() || status.error().code != ErrorCode::kResourceExhausted) co_return status;
    // Full: wait until some producer of this client frees room (a receipt or a failure), then try again.
    co_await client_->memory_freed.wait();
  }
}

asio::awaitable<Result<MessageId>> Producer::send(OutgoingMessage msg) {
  struct Outcome {
    std::optional<Result<MessageId>> result;
    net::LoopCondition done;
  };
  auto outcome = std::make_shared<Outcome>();
  SendCallback callback = [outcome](const Result<MessageId>& r) {
    outcome->result = r;
    outcome->done.notify_all();
  };
  auto sending = send_async(std::move(msg), std::move(callback));
  PK_CO_TRY(co_await std::move(sending));
  while (!outcome->result) co_await outcome->done.wait();
  co_return std::move(*outcome->result);
}

asio::awaitable<Status> Producer::flush() {
  Status result;
  for (const auto& impl : impls_) impl->flush_batch();
  for (const auto& impl : impls_) {
    auto flushing = impl->flush();
    auto status = co_await std::move(flushing);
    if (!status.ok() && result.ok()) result = std::move(status);
  }
  co_return result;
}

asio::awaitable<Status> Producer::close() {
  if (closed_) co_return ok_status();
  closed_ = true;
  Status result;
  for (const auto& impl : impls_) impl->flush_batch();
  for (const auto& impl : impls_) {
    auto closing = impl->close();
    auto status = co_await std::move(closing);
    if (!status.ok() && result.ok()) result = std::move(status);
  }
  co_return result;
}

const std::string& Producer::producer_name() const {
  return impls_.front()->producer_name();
}

int64_t Producer::last_sequence_id() const {
  int64_t last = -1;
  for (const auto& impl : impls_) last = std::max(last, impl->last_sequence_id_at_start());
  return last;
}

size_t Producer::running_tasks() const {
  size_t n = 0;
  for (const auto& impl : impls_) n += impl->running_tasks();
  return n;
}

int64_t Producer::last_sequence_id_for_key(std::string_view key) const {
  if (impls_.size() == 1) return impls_.front()->last_sequence_id_at_start();
  const auto n = static_cast<int32_t>(impls_.size());
  return impls_[static_cast<size_t>(proto::partition_for_key(key, n))]->last_sequence_id_at_start();
}

size_t Producer::pending_messages() const {
  size_t n = 0;
  for (const auto& impl : impls_) n += impl->pending_messages();
  return n;
}

}  // namespace pk::pulsar
