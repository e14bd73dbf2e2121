#include "pulsar/proto/ack_set.h"

#include <algorithm>
#include <bit>

namespace pk::pulsar::proto {
namespace {

constexpr size_t kMaxWords = AckSet::kMaxIndexes / 64;

bool valid(int32_t index) {
  return index >= 0 && index < AckSet::kMaxIndexes;
}

}  // namespace

AckSet AckSet::all_unacked(int32_t batch_size) {
  AckSet s;
  const int32_t n = std::clamp(batch_size, 0, kMaxIndexes);
  s.words_.assign(static_cast<size_t>(n + 63) / 64, ~uint64_t{0});
  if (n % 64 != 0) s.words_.back() = (uint64_t{1} << (n % 64)) - 1;
  return s;
}

AckSet AckSet::from_words(std::span<const int64_t> words) {
  AckSet s;
  const size_t n = std::min(words.size(), kMaxWords);
  s.words_.reserve(n);
  for (size_t i = 0; i < n; ++i) s.words_.push_back(static_cast<uint64_t>(words[i]));
  return s;
}

bool AckSet::get(int32_t index) const {
  if (!valid(index)) return false;
  const auto word = static_cast<size_t>(index) / 64;
  return word < words_.size() && (words_[word] >> (index % 64) & 1) != 0;
}

bool AckSet::set(int32_t index) {
  if (!valid(index)) return false;
  const auto word = static_cast<size_t>(index) / 64;
  if (word >= words_.size()) words_.resize(word + 1, 0);
  words_[word] |= uint64_t{1} << (index % 64);
  return true;
}

bool AckSet::clear(int32_t index) {
  if (!valid(index)) return false;
  const auto word = static_cast<size_t>(index) / 64;
  if (word < words_.size()) words_[word] &= ~(uint64_t{1} << (index % 64));
  return true;
}

bool AckSet::none() const {
  return std::all_of(words_.begin(), words_.end(), [](uint64_t w) { return w == 0; });
}

int32_t AckSet::count() const {
  int32_t n = 0;
  for (uint64_t w : words_) n += std::popcount(w);
  return n;
}

std::vector<int64_t> AckSet::to_words() const {
  size_t used = words_.size();
  while (used > 0 && words_[used - 1] == 0) --used;
  std::vector<int64_t> out;
  out.reserve(used);
  for (size_t i = 0; i < used; ++i) out.push_back(static_cast<int64_t>(words_[i]));
  return out;
}

void AckSet::to_field(google::protobuf::RepeatedField<int64_t>* field) const {
  field->Clear();
  for (int64_t w : to_words()) field->Add(w);
}

bool should_deliver(std::span<const int64_t> message_ack_set, int32_t index) {
  if (message_ack_set.empty()) return true;
  if (!valid(index)) return false;
  const auto word = static_cast<size_t>(index) / 64;
  return word < message_ack_set.size() && (static_cast<uint64_t>(message_ack_set[word]) >> (index % 64) & 1) != 0;
}

}  // namespace pk::pulsar::proto
