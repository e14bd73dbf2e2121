#pragma once
// Aggregator: builds one KPL aggregated record (format.h) for one shard, record by record, so that the caller can
// pack user records up to AggregationMaxSize and Kinesis' 1 MiB limit. The sizes it reports are exact: size() is
// the byte count finish() would write now, and size_if_added() the count after one more record, so the caller
// decides before adding. Partition keys and explicit hash keys are written once each (tables de-duplicated), in
// the byte layout the KPL itself writes (tables first, then records, fields in number order).
//
// A one-record aggregate is better sent as a plain record (the KPL does that): the caller checks count() == 1 and
// sends first_partition_key() / first_explicit_hash_key() / first_data() instead of calling finish().
//
// All buffers keep their capacity across aggregates: once warm, add() and finish() allocate nothing (finish()
// writes into the caller's string, which the caller may reuse too). Owned by one producer stage, touched from one
// thread at a time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kpl/format.h"
#include "kpl/key_table.h"

namespace pk::kpl {

class Aggregator {
 public:
  Aggregator();

  // User records added since the last finish() / clear().
  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // The exact size of what finish() would write now (magic + protobuf + digest; 20 when empty).
  size_t size() const {
    return kFramingSize + partition_keys_.bytes().size() + explicit_hash_keys_.bytes().size() + records_.size();
  }
  // The exact size after adding a record with this key, explicit hash key and data size.
  size_t size_if_added(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                       size_t data_size) const;

  // Adds a user record. The bytes are copied; the views need not outlive the call.
  void add(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key, std::string_view data);
  // Adds the record only if the aggregate then stays within `max_size` bytes; returns whether it did. One key
  // lookup instead of the two of size_if_added() + add().
  bool add_if_fits(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                   std::string_view data, size_t max_size);

  // The first record added (count() >= 1): the key that places the aggregate, and the parts of a one-record
  // aggregate to send as a plain record. Views into this aggregator, valid until the next add/finish/clear.
  std::string_view first_partition_key() const { return partition_keys_.key_at(0); }
  std::optional<std::string_view> first_explicit_hash_key() const;
  std::string_view first_data() const {
    return std::string_view(records_).substr(first_data_offset_, first_data_size_);
  }

  // Replaces `out` with the aggregate's bytes and starts a new, empty aggregate.
  void finish(std::string& out);
  // Starts a new, empty aggregate (keeps the capacity).
  void clear();
  // clear() and return the buffers' memory (for a shard that went idle).
  void release();

 private:
  // Where a record would go: its key indices (new keys get the next index) and the bytes it would add.
  struct Placement {
    uint32_t partition_key_index;
    uint32_t explicit_hash_key_index;  // KeyTable::kNotFound: no explicit hash key
    bool new_partition_key;
    bool new_explicit_hash_key;
    uint64_t partition_key_hash;
    uint64_t explicit_hash_key_hash;
    size_t added_size;
  };
  Placement place(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                  size_t data_size) const;
  void commit(const Placement& placement, std::string_view partition_key,
              std::optional<std::string_view> explicit_hash_key, std::string_view data);

  KeyTable partition_keys_;
  KeyTable explicit_hash_keys_;
  std::string records_;  // the encoded `records` fields
  size_t count_ = 0;
  uint32_t first_explicit_hash_key_index_ = KeyTable::kNotFound;
  size_t first_data_offset_ = 0;
  size_t first_data_size_ = 0;
};

}  // namespace pk::kpl
