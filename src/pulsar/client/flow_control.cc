#include "pulsar/client/flow_control.h"

#include <algorithm>

namespace pk::pulsar {

FlowControl::FlowControl(uint32_t receiver_queue_size)
    : queue_size_(std::max<uint32_t>(1, receiver_queue_size)), threshold_(std::max<uint32_t>(1, queue_size_ / 2)) {}

uint32_t FlowControl::on_subscribed() {
  available_ = 0;
  return queue_size_;
}

uint32_t FlowControl::on_consumed(uint32_t n) {
  available_ += n;
  if (available_ < threshold_) return 0;
  const uint32_t grant = available_;
  available_ = 0;
  return grant;
}

}  // namespace pk::pulsar
