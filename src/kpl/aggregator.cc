#include "kpl/aggregator.h"

#include "common/md5.h"

namespace pk::kpl {
namespace {

// The encoded size of a Record message (without its own tag and length).
size_t record_body_size(uint32_t partition_key_index, uint32_t explicit_hash_key_index, size_t data_size) {
  size_t n = 1 + wire::varint_size(partition_key_index) + wire::delimited_field_size(data_size);
  if (explicit_hash_key_index != KeyTable::kNotFound) n += 1 + wire::varint_size(explicit_hash_key_index);
  return n;
}

}  // namespace

Aggregator::Aggregator()
    : partition_keys_(wire::kPartitionKeyTableTag), explicit_hash_keys_(wire::kExplicitHashKeyTableTag) {}

Aggregator::Placement Aggregator::place(std::string_view partition_key,
                                        std::optional<std::string_view> explicit_hash_key, size_t data_size) const {
  Placement p{};
  size_t table_bytes = 0;
  p.partition_key_index = partition_keys_.find_last(partition_key);
  if (p.partition_key_index == KeyTable::kNotFound) {
    p.partition_key_hash = KeyTable::hash(partition_key);
    p.partition_key_index = partition_keys_.find(partition_key, p.partition_key_hash);
    if (p.partition_key_index == KeyTable::kNotFound) {
      p.new_partition_key = true;
      p.partition_key_index = static_cast<uint32_t>(partition_keys_.count());
      table_bytes += wire::delimited_field_size(partition_key.size());
    }
  }
  p.explicit_hash_key_index = KeyTable::kNotFound;
  if (explicit_hash_key) {
    p.explicit_hash_key_index = explicit_hash_keys_.find_last(*explicit_hash_key);
    if (p.explicit_hash_key_index == KeyTable::kNotFound) {
      p.explicit_hash_key_hash = KeyTable::hash(*explicit_hash_key);
      p.explicit_hash_key_index = explicit_hash_keys_.find(*explicit_hash_key, p.explicit_hash_key_hash);
      if (p.explicit_hash_key_index == KeyTable::kNotFound) {
        p.new_explicit_hash_key = true;
        p.explicit_hash_key_index = static_cast<uint32_t>(explicit_hash_keys_.count());
        table_bytes += wire::delimited_field_size(explicit_hash_key->size());
      }
    }
  }
  p.added_size = table_bytes + wire::delimited_field_size(
                                   record_body_size(p.partition_key_index, p.explicit_hash_key_index, data_size));
  return p;
}

void Aggregator::commit(const Placement& p, std::string_view partition_key,
                        std::optional<std::string_view> explicit_hash_key, std::string_view data) {
  if (p.new_partition_key) {
    partition_keys_.insert(partition_key, p.partition_key_hash);
  } else {
    partition_keys_.touch(p.partition_key_index);
  }
  if (p.new_explicit_hash_key) {
    explicit_hash_keys_.insert(*explicit_hash_key, p.explicit_hash_key_hash);
  } else if (p.explicit_hash_key_index != KeyTable::kNotFound) {
    explicit_hash_keys_.touch(p.explicit_hash_key_index);
  }
  // tag, length, then the Record: partition_key_index, explicit_hash_key_index?, data tag and length (at most
  // 1 + 10 + 1 + 10 + 1 + 10 + 1 + 10 bytes before the data).
  char header[44];
  char* h = header;
  *h++ = static_cast<char>(wire::kRecordsTag);
  h = wire::write_varint(h, record_body_size(p.partition_key_index, p.explicit_hash_key_index, data.size()));
  *h++ = static_cast<char>(wire::kPartitionKeyIndexTag);
  h = wire::write_varint(h, p.partition_key_index);
  if (p.explicit_hash_key_index != KeyTable::kNotFound) {
    *h++ = static_cast<char>(wire::kExplicitHashKeyIndexTag);
    h = wire::write_varint(h, p.explicit_hash_key_index);
  }
  *h++ = static_cast<char>(wire::kDataTag);
  h = wire::write_varint(h, data.size());
  records_.append(header, h);
  if (count_ == 0) {
    first_explicit_hash_key_index_ = p.explicit_hash_key_index;
    first_data_offset_ = records_.size();
    first_data_size_ = data.size();
  }
  records_.append(data);
  ++count_;
}

size_t Aggregator::size_if_added(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                                 size_t data_size) const {
  return size() + place(partition_key, explicit_hash_key, data_size).added_size;
}

void Aggregator::add(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                     std::string_view data) {
  commit(place(partition_key, explicit_hash_key, data.size()), partition_key, explicit_hash_key, data);
}

bool Aggregator::add_if_fits(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                             std::string_view data, size_t max_size) {
  const Placement p = place(partition_key, explicit_hash_key, data.size());
  if (size() + p.added_size > max_size) return false;
  commit(p, partition_key, explicit_hash_key, data);
  return true;
}

std::optional<std::string_view> Aggregator::first_explicit_hash_key() const {
  if (first_explicit_hash_key_index_ == KeyTable::kNotFound) return std::nullopt;
  return explicit_hash_keys_.key_at(first_explicit_hash_key_index_);
}

void Aggregator::finish(std::string& out) {
  out.clear();
  out.reserve(size());
  out.append(kMagic);
  out.append(partition_keys_.bytes());
  out.append(explicit_hash_keys_.bytes());
  out.append(records_);
  const Md5Digest sum = md5(std::string_view(out).substr(kMagic.size()));
  out.append(reinterpret_cast<const char*>(sum.data()), sum.size());
  clear();
}

void Aggregator::clear() {
  partition_keys_.clear();
  explicit_hash_keys_.clear();
  records_.clear();
  count_ = 0;
  first_explicit_hash_key_index_ = KeyTable::kNotFound;
  first_data_offset_ = 0;
  first_data_size_ = 0;
}

void Aggregator::release() {
  clear();
  partition_keys_.release();
  explicit_hash_keys_.release();
  std::string().swap(records_);
}

}  // namespace pk::kpl
