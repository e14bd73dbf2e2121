#pragma once
// The numeric ids of the binary protocol, each its own type so that one cannot be passed for another (a
// consumer id where a producer id belongs, a request id given twice): ProducerId and ConsumerId are handed out by
// the client (unique within it), RequestId by the connection a request goes out on. `.value` is what goes on the
// wire.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace pk::pulsar {

template <typename Tag>
struct NumericId {
  uint64_t value = 0;

  constexpr NumericId() = default;
  constexpr explicit NumericId(uint64_t v) : value(v) {}
  friend constexpr auto operator<=>(const NumericId&, const NumericId&) = default;
};

using ProducerId = NumericId<struct ProducerIdTag>;
using ConsumerId = NumericId<struct ConsumerIdTag>;
using RequestId = NumericId<struct RequestIdTag>;

}  // namespace pk::pulsar

template <typename Tag>
struct std::hash<pk::pulsar::NumericId<Tag>> {
  size_t operator()(const pk::pulsar::NumericId<Tag>& id) const noexcept { return std::hash<uint64_t>{}(id.value); }
};
