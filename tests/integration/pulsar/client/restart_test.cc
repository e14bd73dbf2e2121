// Reconnect after the broker is restarted mid-stream (scripts/services/pulsar restart keeps the data): a producer
// with a stable name and deduplication keeps sending through the restart, a consumer keeps reading; at the end
// nothing is lost and the topic holds every message exactly once, in order.
#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "net/timeout.h"
#include "pulsar/client/producer_impl.h"
#include "real_broker.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;
using testing::message;

constexpr int kMessages = 3000;

TEST(PulsarRestart, ProducerAndConsumerSurviveABrokerRestart) {
  asio::io_context io;
  auto options = testing::real_options();
  options.max_backoff = 1s;
  auto client = Client::create(io.get_executor(), options).value();
  const std::string topic = testing::unique_topic("restart", testing::dedup_namespace());
  std::atomic<bool> restart_done{false};
  std::atomic<int> restart_rc{-1};
  std::thread restarter;
  run_on(
      io,
      [&]() -> asio::awaitable<void> {
        ConsumerOptions co;
        co.topics = {topic};
        co.subscription = "during-restart";
        co.initial_position = InitialPosition::kEarliest;
        co.ack_group_time = 20ms;
        auto subscribing = client->subscribe(co);
        auto consumer = co_await std::move(subscribing);
        PK_CO_ASSERT_OK(consumer);
        ProducerOptions po;
        po.topic = topic;
        po.producer_name = "restart-" + testing::unique_suffix();
        po.send_timeout = 0ms;  // retry through the restart, however long it takes
        po.batch.max_messages = 50;
        po.batch.max_delay = 5ms;
        auto creating = client->create_producer(po);
        auto producer = co_await std::move(creating);
        PK_CO_ASSERT_OK(producer);

        int confirmed = 0;
        int failed = 0;
        std::set<std::string> received;
        size_t received_total = 0;
        for (int i = 0; i < kMessages; ++i) {
          OutgoingMessage m = message("r" + std::to_string(i));
          m.sequence_id = static_cast<uint64_t>(i);
          auto sending = (*producer)->send_async(std::move(m), [&](const Result<MessageId>& r) {
            if (r.ok()) {
              ++confirmed;
            } else {
              ++failed;
              ADD_FAILURE() << r.error().to_string();
            }
          });
          auto sending_result = co_await std::move(sending);
          PK_EXPECT_OK(sending_result);
          if (i == kMessages / 3) {
            // Restart the broker while messages are in flight (blocking: in a thread of its own).
            restarter = std::thread([&] {
              const std::string cmd = std::string(PK_SOURCE_DIR) + "/scripts/services/pulsar restart >&2";
              restart_rc = std::system(cmd.c_str());
              restart_done = true;
            });
          }
          if (i == 2 * kMessages / 3) {
            // The last third goes out only once the broker is back: those receipts need a new connection, so the
            // producer reconnects however fast the first two thirds went (under sanitizers they may all have been
            // confirmed before the broker went down).
            while (!restart_done) co_await net::sleep(50ms);
          }
          if (i % 100 == 0) co_await net::sleep(2ms);  // a steady stream rather than one burst
          while (auto got = (*consumer)->try_receive()) {
            received.insert(std::string(got->payload()));
            ++received_total;
            (void)(*consumer)->acknowledge(got->id());
          }
        }
        const auto deadline = std::chrono::steady_clock::now() + 300s;
        while ((!restart_done || confirmed + failed < kMessages) && std::chrono::steady_clock::now() < deadline) {
          co_await net::sleep(50ms);
        }
        EXPECT_TRUE(restart_done) << "broker restart did not finish";
        EXPECT_EQ(restart_rc.load(), 0);
        EXPECT_EQ(confirmed, kMessages);
        EXPECT_EQ(failed, 0);
        EXPECT_GE((*producer)->impls().front()->attaches(), 2u) << "the producer really reconnected";

        // The consumer that lived through the restart got everything (possibly some twice).
        while (received.size() < static_cast<size_t>(kMessages)) {
          auto receiving = (*consumer)->receive(30s);
          auto got = co_await std::move(receiving);
          if (!got.ok()) break;
          received.insert(std::string(got->payload()));
          ++received_total;
          (void)(*consumer)->acknowledge(got->id());
        }
        EXPECT_EQ(received.size(), static_cast<size_t>(kMessages)) << "nothing lost";
        std::cerr << "consumer during restart: " << received_total << " deliveries for " << received.size()
                  << " distinct messages\n";

        // A fresh reader sees each message exactly once, in order: the broker dropped the producer's resends.
        ConsumerOptions verify = co;
        verify.subscription = "after-restart";
        auto verifying = client->subscribe(verify);
        auto reader = co_await std::move(verifying);
        PK_CO_ASSERT_OK(reader);
        int next = 0;
        int duplicates = 0;
        for (;;) {
          auto receiving = (*reader)->receive(5s);
          auto got = co_await std::move(receiving);
          if (!got.ok()) break;
          const std::string expected = "r" + std::to_string(next);
          if (got->payload() == expected) {
            ++next;
          } else {
            ++duplicates;
            ADD_FAILURE() << "expected " << expected << ", got " << got->payload();
          }
        }
        EXPECT_EQ(next, kMessages);
        EXPECT_EQ(duplicates, 0);
      },
      std::chrono::seconds(500));
  if (restarter.joinable()) restarter.join();
}

}  // namespace
}  // namespace pk::pulsar
