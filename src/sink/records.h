#pragma once
// The units the Kinesis producer moves:
//   UserRecord  one record of the user's (one Pulsar message, formatted), named by a ticket the pipeline chose;
//   Entry       one entry of a PutRecords request: a single user record, or a KPL aggregate of several of one
//               predicted shard; it carries the tickets of the user records inside it, in order.
// Plain values, moved between the producer's stages on one loop.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::sink {

using TimePoint = std::chrono::steady_clock::time_point;

// A user record as the producer takes it: the key and the bytes are views, valid for the add() call only (the
// producer copies them into the aggregate or the entry it keeps, so nothing is copied twice).
struct UserRecord {
  uint64_t ticket = 0;
  std::string_view partition_key;
  std::optional<kinesis::HashKey> explicit_hash_key;
  kinesis::HashKey hash;  // where Kinesis puts it: the explicit hash key, else MD5 of the partition key
  std::string_view data;
  TimePoint arrival{};  // when the producer got it (the buffered-time clock starts here)
  TimePoint expires{};  // arrival + recordTtl; kept when the record is re-sent after a wrong-shard answer

  size_t wire_size() const { return data.size() + partition_key.size(); }
};

// The tickets of an entry's user records; one inline (the common single-record entry allocates nothing more).
class TicketList {
 public:
  void push_back(uint64_t ticket) {
    if (size_ == 0) {
      first_ = ticket;
    } else {
      rest_.push_back(ticket);
    }
    ++size_;
  }
  size_t size() const { return size_; }
  uint64_t operator[](size_t i) const { return i == 0 ? first_ : rest_[i - 1]; }
  void reserve(size_t n) {
    if (n > 1) rest_.reserve(n - 1);
  }

 private:
  uint64_t first_ = 0;
  std::vector<uint64_t> rest_;
  size_t size_ = 0;
};

struct Entry {
  std::string data;  // the user record's bytes, or the aggregate's
  std::string partition_key;
  std::optional<kinesis::HashKey> explicit_hash_key;
  TicketList tickets;  // sub-record i of an aggregate is tickets[i]
  bool aggregated = false;
  size_t lane = 0;         // index of the producer's lane (the predicted shard) it belongs to
  TimePoint deadline{};    // oldest user record's arrival + recordMaxBufferedTime: send by then
  TimePoint expires{};     // the earliest expiry of its user records
  TimePoint not_before{};  // backoff after a failed attempt
  int attempts = 0;        // failed attempts so far
  std::string last_error;  // why the last attempt failed (for the final error)

  size_t wire_size() const { return data.size() + partition_key.size(); }
};

}  // namespace pk::sink
