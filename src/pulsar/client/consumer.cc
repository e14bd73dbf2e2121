#include "pulsar/client/consumer.h"

#include <set>

#include <boost/regex.hpp>

#include <fmt/format.h>

#include "common/log.h"
#include "net/task_group.h"
#include "net/timeout.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/consumer_impl.h"
#include "pulsar/client/topic_name.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Everything of a Consumer that its pattern refresh touches, shared with that refresh (which therefore never
// outlives what it uses) and with a close in the background when the Consumer goes without close().
struct Consumer::State final : ClientResource {
  State(std::shared_ptr<ClientState> client_state, ConsumerOptions consumer_options)
      : client(std::move(client_state)),
        options(std::move(consumer_options)),
        queue(std::make_shared<ReceiveQueue>()),
        tasks(client->executor) {}

  boost::asio::awaitable<void> close_for_client() override {
    closed = true;
    tasks.cancel_all();
    co_await tasks.join();
  }

  std::shared_ptr<ClientState> client;
  ConsumerOptions options;
  std::shared_ptr<ReceiveQueue> queue;
  std::vector<std::shared_ptr<ConsumerImpl>> impls;  // index = MessageId::source; closed ones stay (indexes)
  std::vector<std::string> base_topics;              // topics as subscribed (before partition expansion)
  std::optional<boost::regex> pattern;               // regex consumers: matched against full topic names
  std::string pattern_namespace;
  bool closed = false;
  net::TaskGroup tasks;  // the pattern refresh
};

namespace {

using ConsumerState = std::shared_ptr<Consumer::State>;

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

// The topics a namespace listing holds that the pattern matches, by their base names (a partitioned topic is
// listed partition by partition and matched once).
std::set<std::string> matching_topics(const std::vector<std::string>& listed, const boost::regex& pattern) {
  std::set<std::string> matched;
  for (const auto& t : listed) {
    auto name = TopicName::parse(t);
    if (!name.ok()) continue;
    std::string base = name->base_name();
    if (boost::regex_match(base, pattern)) matched.insert(std::move(base));
  }
  return matched;
}

Error closed_error() {
  return make_error(ErrorCode::kCancelled, "consumer is closed");
}

// Subscribes to `topic` (every partition of it). Checks after each wait whether the consumer was closed
// meanwhile and then subscribes to nothing more; a ConsumerImpl is listed in `impls` before it starts, so a close
// that comes while it starts closes it too.
asio::awaitable<Status> add_topic(ConsumerState s, std::string topic) {
  PK_CO_ASSIGN_OR_RETURN(auto name, TopicName::parse(topic));
  auto looking = s->client->lookup.partitions(name.full());
  PK_CO_ASSIGN_OR_RETURN(const uint32_t partitions, co_await std::move(looking));
  if (s->closed) co_return closed_error();
  std::vector<std::pair<std::string, int>> targets;
  if (partitions == 0 || name.is_partition()) {
    targets.emplace_back(name.full(), name.partition());
  } else {
    for (uint32_t i = 0; i < partitions; ++i) {
      targets.emplace_back(name.partition_name(static_cast<int>(i)), static_cast<int>(i));
    }
  }
  s->base_topics.push_back(name.full());
  for (auto& [full, partition] : targets) {
    if (s->closed) co_return closed_error();
    const auto source = static_cast<uint32_t>(s->impls.size());
    auto impl = std::make_shared<ConsumerImpl>(s->client, s->options, full, partition, source, s->queue);
    s->impls.push_back(impl);
    auto starting = ConsumerImpl::start(impl);
    PK_CO_TRY(co_await std::move(starting));
  }
  co_return ok_status();
}

// Closes every topic, those added while closing included (the list may grow while we wait).
asio::awaitable<void> close_topics(ConsumerState s) {
  for (size_t i = 0; i < s->impls.size(); ++i) {
    const auto impl = s->impls[i];
    auto closing = impl->close();
    (void)co_await std::move(closing);
  }
}

// Brings the subscription in line with the namespace: subscribes to new matching topics and closes those that are
// gone. At subscribe time (`initial`) the first error fails the subscription; later ones are logged and retried at
// the next refresh.
asio::awaitable<Status> refresh(ConsumerState s, bool initial) {
  auto listing = s->client->lookup.topics_of_namespace(s->pattern_namespace, TopicDomain::kPersistent);
  auto topics = co_await std::move(listing);
  if (s->closed) co_return closed_error();
  if (!topics.ok()) co_return std::move(topics).error();
  const std::set<std::string> matched = matching_topics(*topics, *s->pattern);
  for (const auto& base : matched) {
    if (std::find(s->base_topics.begin(), s->base_topics.end(), base) != s->base_topics.end()) continue;
    if (!initial) pk::logger("pulsar")->info("pattern consumer: subscribing to new topic {}", base);
    auto adding = add_topic(s, base);
    auto added = co_await std::move(adding);
    if (s->closed) co_return closed_error();
    if (!added.ok()) {
      if (initial) co_return std::move(added).error();
      pk::logger("pulsar")->warn("pattern consumer: {}", added.error().message);
    }
  }
  std::vector<std::string> gone;
  std::erase_if(s->base_topics, [&](const std::string& base) {
    if (matched.contains(base)) return false;
    gone.push_back(base);
    return true;
  });
  for (const auto& base : gone) {
    pk::logger("pulsar")->info("pattern consumer: topic {} is gone", base);
    for (size_t i = 0; i < s->impls.size(); ++i) {
      const auto impl = s->impls[i];
      auto name = TopicName::parse(impl->topic());
      if (!name.ok() || name->base_name() != base || impl->closed()) continue;
      auto closing = impl->close();
      (void)co_await std::move(closing);
      if (s->closed) co_return closed_error();
    }
  }
  co_return ok_status();
}

asio::awaitable<void> pattern_loop(ConsumerState s) {
  while (!s->closed && !s->client->closed) {
    const bool slept = co_await net::sleep(s->options.pattern_refresh);
    if (!slept || s->closed || s->client->closed) break;
    auto refreshing = refresh(s, false);
    auto status = co_await std::move(refreshing);
    if (!status.ok() && !s->closed) pk::logger("pulsar")->warn("pattern consumer: {}", status.error().message);
  }
}

asio::awaitable<Status> subscribe_pattern(ConsumerState s) {
  PK_CO_ASSIGN_OR_RETURN(auto parts, split_pattern(s->options.topics_pattern));
  s->pattern_namespace = parts.first;
  try {
    // Perl syntax: the closest to the java.util.regex patterns users write for the Java client.
    s->pattern.emplace(parts.second, boost::regex::perl);
  } catch (const boost::regex_error& e) {
    co_return make_error(ErrorCode::kInvalidArgument, fmt::format("topics pattern '{}' is not a valid regex: {}",
                                                                  s->options.topics_pattern, e.what()));
  }
  auto refreshing = refresh(s, true);
  co_return co_await std::move(refreshing);
}

// Stops the pattern refresh, closes every topic, and returns once nothing of the consumer runs any more. The
// topics are closed before the refresh is joined: a refresh that is subscribing to a topic returns as soon as
// that topic is closed under it.
asio::awaitable<void> close_state(ConsumerState s) {
  s->closed = true;
  s->queue->closed = true;
  s->queue->arrived.notify_all();
  s->tasks.cancel_all();
  co_await close_topics(s);
  co_await s->tasks.join();
}

}  // namespace

Consumer::Consumer(std::shared_ptr<State> state) : state_(std::move(state)) {}

Consumer::~Consumer() {
  if (!state_->closed) state_->client->background.spawn(close_state(state_));
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
  auto state = std::make_shared<State>(client, std::move(options));
  std::unique_ptr<Consumer> consumer(new Consumer(state));
  Status status;
  if (!state->options.topics_pattern.empty()) {
    client->track(state);
    auto subscribing = subscribe_pattern(state);
    status = co_await std::move(subscribing);
  } else {
    for (const auto& topic : state->options.topics) {
      auto adding = add_topic(state, topic);
      status = co_await std::move(adding);
      if (!status.ok()) break;
    }
  }
  if (!status.ok()) {
    auto closing = consumer->close();
    (void)co_await std::move(closing);
    co_return std::move(status).error();
  }
  if (state->pattern) state->tasks.spawn(pattern_loop(state));
  co_return consumer;
}

const std::vector<std::shared_ptr<ConsumerImpl>>& Consumer::impls() const {
  return state_->impls;
}

size_t Consumer::running_tasks() const {
  size_t n = state_->tasks.size();
  for (const auto& impl : state_->impls) n += impl->running_tasks();
  return n;
}

ConsumerImpl* Consumer::impl_for(const MessageId& id) {
  if (id.source >= state_->impls.size()) return nullptr;
  return state_->impls[id.source].get();
}

std::optional<Message> Consumer::take() {
  if (state_->queue->messages.empty()) return std::nullopt;
  Message m = std::move(state_->queue->messages.front());
  state_->queue->messages.pop_front();
  if (auto* impl = impl_for(m.id())) impl->message_taken();
  return m;
}

std::optional<Message> Consumer::try_receive() {
  return take();
}

asio::awaitable<Result<Message>> Consumer::receive() {
  for (;;) {
    if (auto m = take()) co_return std::move(*m);
    if (state_->closed) co_return make_error(ErrorCode::kCancelled, "consumer is closed");
    if (state_->queue->failure) co_return *state_->queue->failure;
    co_await state_->queue->arrived.wait();
  }
}

asio::awaitable<Result<Message>> Consumer::receive(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto m = take()) co_return std::move(*m);
    if (state_->closed) co_return make_error(ErrorCode::kCancelled, "consumer is closed");
    if (state_->queue->failure) co_return *state_->queue->failure;
    if (Clock::now() >= deadline) {
      co_return make_error(ErrorCode::kTimeout, fmt::format("no message within {} ms", timeout.count()));
    }
    co_await state_->queue->arrived.wait_until(deadline);
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
  for (const auto& impl : state_->impls) impl->flush_acks();
}

asio::awaitable<Status> Consumer::close() {
  // A second close (or one after a failed subscribe) still waits: the tasks end with the first.
  auto closing = close_state(state_);
  co_await std::move(closing);
  co_return ok_status();
}

asio::awaitable<Status> Consumer::unsubscribe() {
  Status result;
  for (size_t i = 0; i < state_->impls.size(); ++i) {
    const auto impl = state_->impls[i];
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
  for (const auto& impl : state_->impls) {
    if (!impl->closed()) out.push_back(impl->topic());
  }
  return out;
}

size_t Consumer::queued() const {
  return state_->queue->messages.size();
}

bool Consumer::is_active() const {
  for (const auto& impl : state_->impls) {
    if (impl->active()) return true;
  }
  return false;
}

bool Consumer::has_reached_end_of_topic() const {
  for (const auto& impl : state_->impls) {
    if (!impl->reached_end_of_topic()) return false;
  }
  return !state_->impls.empty();
}

}  // namespace pk::pulsar
