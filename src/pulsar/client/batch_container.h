#pragma once
// Collects messages into batches for the producer. A batch closes when it holds max_messages, when adding one
// more message would pass max_bytes, or when its first message has waited max_delay (the producer's timer asks
// for that). In key mode (for Key_Shared subscriptions) messages are grouped by ordering key, else partition key,
// so that one batch entry never mixes keys - the broker dispatches a Key_Shared entry by its key.
//
//   add(m) -> [key ""] [key "a"] [key "b"] ...   <- one group in plain mode
//   drain(emit) -> emit(group) for each group, ordered by its first sequence id, then empty
//
// Pure state machine; the item type is the producer's own (it only needs to move). Used on the producer's loop.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace pk::pulsar {

struct BatchLimits {
  uint32_t max_messages = 1000;
  size_t max_bytes = 128 * 1024;
  std::chrono::milliseconds max_delay{10};
};

template <typename Item>
class BatchContainer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  BatchContainer(BatchLimits limits, bool by_key) : limits_(limits), by_key_(by_key) {}

  // Whether a message of `bytes` fits in the open batch; when false the caller drains first. An empty container
  // takes any message (a message bigger than max_bytes travels alone).
  bool fits(size_t bytes) const {
    if (count_ == 0) return true;
    return count_ + 1 <= limits_.max_messages && bytes_ + bytes <= limits_.max_bytes;
  }

  // Adds an item (its key decides its group in key mode; `key` may point into `item`: it is read before the item
  // is moved). Returns true when the batch is now full: drain now.
  bool add(Item&& item, std::string_view key, size_t bytes, TimePoint now) {
    if (count_ == 0) first_added_ = now;
    Group& g = group_for(by_key_ ? key : std::string_view{});
    g.items.push_back(std::move(item));
    ++count_;
    bytes_ += bytes;
    return count_ >= limits_.max_messages || bytes_ >= limits_.max_bytes;
  }

  // Calls emit(std::span<Item>) once per non-empty group, in the order the groups' first items were added, and
  // leaves the container empty (keeping its buffers for the next batch).
  template <typename Emit>
  void drain(Emit&& emit) {
    for (Group* g : order_) {
      emit(std::span<Item>(g->items));
      g->items.clear();
    }
    order_.clear();
    count_ = 0;
    bytes_ = 0;
  }

  bool empty() const { return count_ == 0; }
  uint32_t count() const { return count_; }
  size_t bytes() const { return bytes_; }
  // When the open batch must be sent at the latest (only meaningful when not empty).
  TimePoint deadline() const { return first_added_ + limits_.max_delay; }
  const BatchLimits& limits() const { return limits_; }
  // The broker's max message size caps a batch (set after each CONNECTED).
  void cap_bytes(size_t max_bytes) { limits_.max_bytes = std::min(limits_.max_bytes, max_bytes); }

 private:
  struct Group {
    std::string key;
    std::vector<Item> items;
  };

  Group& group_for(std::string_view key) {
    // Few distinct keys per batch in practice; a linear scan beats a map for that.
    for (Group* g : order_) {
      if (g->key == key) return *g;
    }
    // Reuse a group left empty by the last drain; groups_ is a deque so order_'s pointers survive growth.
    auto it = std::find_if(groups_.begin(), groups_.end(), [](const Group& g) { return g.items.empty(); });
    if (it == groups_.end()) {
      groups_.emplace_back();
      it = std::prev(groups_.end());
    }
    it->key.assign(key);
    order_.push_back(&*it);
    return *it;
  }

  BatchLimits limits_;
  bool by_key_;
  std::deque<Group> groups_;
  std::vector<Group*> order_;
  uint32_t count_ = 0;
  size_t bytes_ = 0;
  TimePoint first_added_{};
};

}  // namespace pk::pulsar
