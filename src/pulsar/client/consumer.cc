#include "pulsar/client/consumer.h"

#include <set>

#include <boost/regex.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <fmt/format.h>

#include "common/log.h"
#include "net/timeout.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/consumer_impl.h"
#include "pulsar/client/topic_name.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

Consumer::Consumer(std::shared_ptr<ClientState> client, ConsumerOptions options)
    : client_(std::move(client)), options_(std::move(options)), queue_(std::make_shared<ReceiveQueue>()) {}

Consumer::~Consumer() {
  *alive_ = false;
  if (!closed_) close_in_background(client_->executor, impls_);
}

asio::awaitable<Result<std::unique_ptr<Consumer>>> Consumer::create(std::shared_ptr<ClientState> client,
                                                                    ConsumerOptions options) {
  if (client->closed) co_return make_error(ErrorCode::kCancelled, "the Pulsar client is closed");
  if (options.subscription.empty())
    co_return make_error(ErrorCode::kInvalidArgument, "subscribe: no subscription name");
  if (options.topics.empty() == options.topics_pattern.empty()) {
    co_return make_error(ErrorCode::kInvalidArgument, "subscribe: give either topics or a topics pattern");
  }
  if (options.receiver_queue_size == 0) options.receiver_queue_size = 1;
  std::unique_ptr<Consumer> consumer(new Consumer(client, std::move(options)));
  Status status;
  if (!consumer->options_.topics_pattern.empty()) {
    auto subscribing = consumer->subscribe_pattern();
    status = co_await std::move(subscribing);
  } else {
    for (const auto& topic : consumer->options_.topics) {
      auto adding = consumer->add_topic(topic);
      status = co_await std::move(adding);
      if (!status.ok()) break;
    }
  }
  if (!status.ok()) {
    auto closing = consumer->close();
    (void)co_await std::move(closing);
    co_return std::move(status).error();
  }
  if (consumer->pattern_) {
    asio::co_spawn(client->executor, pattern_loop(consumer.get(), consumer->alive_), asio::detached);
  }
  co_return consumer;
}

asio::awaitable<Status> Consumer::add_topic(const std::string& topic) {
  PK_CO_ASSIGN_OR_RETURN(auto name, TopicName::parse(topic));
  auto looking = client_->lookup.partitions(name.full());
  PK_CO_ASSIGN_OR_RETURN(const uint32_t partitions, co_await std::move(looking));
  std::vector<std::pair<std::string, int>> targets;
  if (partitions == 0 || name.is_partition()) {
    targets.emplace_back(name.full(), name.partition());
  } else {
    for (uint32_t i = 0; i < partitions; ++i) {
      targets.emplace_back(name.partition_name(static_cast<int>(i)), static_cast<int>(i));
    }
  }
  base_topics_.push_back(name.full());
  for (auto& [full, partition] : targets) {
    const auto source = static_cast<uint32_t>(impls_.size());
    auto impl = std::make_shared<ConsumerImpl>(client_, options_, full, partition, source, queue_);
    impls_.push_back(impl);
    auto starting = ConsumerImpl::start(impl);
    PK_CO_TRY(co_await std::move(starting));
  }
  co_return ok_status();
}

namespace {

// "[domain://]tenant/ns/<regex>" -> the namespace and the regex over full names.
Result<std::pair<std::string, std::string>> split_pattern(const std::string& pattern) {
  std::string full = pattern.find("://") == std::string::npos ? "persistent://" + pattern : pattern;
  const auto start = full.find("://") + 3;
  const auto slash1 = full.find('/', start);
  const auto slash2 = slash1 == std::string::npos ? std::string::npos : full.find('/', slash1 + 1);
  if (slash2 == std::string::npos || slash2 + 1 >= full.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("topics pattern '{}': expected [persistent://]tenant/namespace/<regex>", pattern));
  }
  return std::make_pair(full.substr(start, slash2 - start), full);
}

}  // namespace

asio::awaitable<Status> Consumer::subscribe_pattern() {
  PK_CO_ASSIGN_OR_RETURN(auto parts, split_pattern(options_.topics_pattern));
  pattern_namespace_ = parts.first;
  try {
    // Perl syntax: the closest to the java.util.regex patterns users write for the Java client.
    auto regex = std::make_shared<const boost::regex>(parts.second, boost::regex::perl);
    pattern_ = [regex](const std::string& topic) { return boost::regex_match(topic, *regex); };
  } catch (const boost::regex_error& e) {
    co_return make_error(ErrorCode::kInvalidArgument, fmt::format("topics pattern '{}' is not a valid regex: {}",
                                                                  options_.topics_pattern, e.what()));
  }
  auto listing = client_->lookup.topics_of_namespace(pattern_namespace_, TopicDomain::kPersistent);
  PK_CO_ASSIGN_OR_RETURN(auto topics, co_await std::move(listing));
  std::set<std::string> matched;
  for (const auto& t : topics) {
    auto name = TopicName::parse(t);
    if (!name.ok()) continue;
    const std::string base = name->base_name();
    if (pattern_(base)) matched.insert(base);
  }
  for (const auto& base : matched) {
    auto adding = add_topic(base);
    PK_CO_TRY(co_await std::move(adding));
  }
  co_return ok_status();
}

asio::awaitable<void> Consumer::pattern_loop(Consumer* self, std::shared_ptr<bool> alive) {
  const auto interval = self->options_.pattern_refresh;
  for (;;) {
    const bool slept = co_await net::sleep(interval);
    if (!slept || !*alive || self->closed_) co_return;
    auto listing = self->client_->lookup.topics_of_namespace(self->pattern_namespace_, TopicDomain::kPersistent);
    auto topics = co_await std::move(listing);
    if (!*alive || self->closed_) co_return;
    if (!topics.ok()) {
      pk::logger("pulsar")->warn("pattern consumer: {}", topics.error().message);
      continue;
    }
    std::set<std::string> matched;
    for (const auto& t : *topics) {
      auto name = TopicName::parse(t);
      if (name.ok() && self->pattern_(name->base_name())) matched.insert(name->base_name());
    }
    for (const auto& base : matched) {
      if (std::find(self->base_topics_.begin(), self->base_topics_.end(), base) != self->base_topics_.end()) continue;
      pk::logger("pulsar")->info("pattern consumer: subscribing to new topic {}", base);
      auto adding = self->add_topic(base);
      auto added = co_await std::move(adding);
      if (!*alive) co_return;
      if (!added.ok()) pk::logger("pulsar")->warn("pattern consumer: {}", added.error().message);
    }
    for (auto it = self->base_topics_.begin(); it != self->base_topics_.end();) {
      if (matched.contains(*it)) {
        ++it;
        continue;
      }
      const std::string gone = *it;
      it = self->base_topics_.erase(it);
      for (const auto& impl : self->impls_) {
        auto name = TopicName::parse(impl->topic());
        if (!name.ok() || name->base_name() != gone || impl->closed()) continue;
        auto closing = impl->close();
        (void)co_await std::move(closing);
        if (!*alive) co_return;
      }
    }
  }
}

ConsumerImpl* Consumer::impl_for(const MessageId& id) {
  if (id.source >= impls_.size()) return nullptr;
  return impls_[id.source].get();
}

std::optional<Message> Consumer::take() {
  if (queue_->messages.empty()) return std::nullopt;
  Message m = std::move(queue_->messages.front());
  queue_->messages.pop_front();
  if (auto* impl = impl_for(m.id())) impl->message_taken();
  return m;
}

std::optional<Message> Consumer::try_receive() {
  return take();
}

asio::awaitable<Result<Message>> Consumer::receive() {
  for (;;) {
    if (auto m = take()) co_return std::move(*m);
    if (closed_) co_return make_error(ErrorCode::kCancelled, "consumer is closed");
    if (queue_->failure) co_return *queue_->failure;
    co_await queue_->arrived.wait();
  }
}

asio::awaitable<Result<Message>> Consumer::receive(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto m = take()) co_return std::move(*m);
    if (closed_) co_return make_error(ErrorCode::kCancelled, "consumer is closed");
    if (queue_->failure) co_return *queue_->failure;
    if (Clock::now() >= deadline) {
      co_return make_error(ErrorCode::kTimeout, fmt::format("no message within {} ms", timeout.count()));
    }
    co_await queue_->arrived.wait_until(deadline);
  }
}

asio::awaitable<Result<std::vector<Message>>> Consumer::receive_batch(size_t max, std::chrono::milliseconds timeout) {
  std::vector<Message> out;
  auto first = receive(timeout);
  auto got = co_await std::move(first);
  if (!got.ok()) {
    if (got.error().code == ErrorCode::kTimeout) co_return out;
    co_return std::move(got).error();
  }
  out.push_back(std::move(*got));
  while (out.size() < max) {
    auto m = take();
    if (!m) break;
    out.push_back(std::move(*m));
  }
  co_return out;
}

Status Consumer::acknowledge(const MessageId& id) {
  auto* impl = impl_for(id);
  if (impl == nullptr) return make_error(ErrorCode::kInvalidArgument, "ack: message id from another consumer");
  return impl->acknowledge(id);
}

Status Consumer::acknowledge_cumulative(const MessageId& id) {
  auto* impl = impl_for(id);
  if (impl == nullptr) return make_error(ErrorCode::kInvalidArgument, "ack: message id from another consumer");
  return impl->acknowledge_cumulative(id);
}

void Consumer::negative_acknowledge(const MessageId& id) {
  if (auto* impl = impl_for(id)) impl->negative_acknowledge(id);
}

void Consumer::flush_acks() {
  for (const auto& impl : impls_) impl->flush_acks();
}

asio::awaitable<Status> Consumer::close() {
  if (closed_) co_return ok_status();
  closed_ = true;
  queue_->closed = true;
  queue_->arrived.notify_all();
  for (const auto& impl : impls_) {
    auto closing = impl->close();
    (void)co_await std::move(closing);
  }
  co_return ok_status();
}

asio::awaitable<Status> Consumer::unsubscribe() {
  Status result;
  for (const auto& impl : impls_) {
    if (impl->closed()) continue;
    auto unsubscribing = impl->unsubscribe();
    auto status = co_await std::move(unsubscribing);
    if (!status.ok() && result.ok()) result = std::move(status);
  }
  auto closing = close();
  (void)co_await std::move(closing);
  co_return result;
}

std::vector<std::string> Consumer::topics() const {
  std::vector<std::string> out;
  for (const auto& impl : impls_) {
    if (!impl->closed()) out.push_back(impl->topic());
  }
  return out;
}

size_t Consumer::queued() const {
  return queue_->messages.size();
}

bool Consumer::is_active() const {
  for (const auto& impl : impls_) {
    if (impl->active()) return true;
  }
  return false;
}

bool Consumer::has_reached_end_of_topic() const {
  for (const auto& impl : impls_) {
    if (!impl->reached_end_of_topic()) return false;
  }
  return !impls_.empty();
}

}  // namespace pk::pulsar
