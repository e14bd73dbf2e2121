#include "pulsar/client/message_id.h"

#include <fmt/format.h>

namespace pk::pulsar {

std::string MessageId::to_string() const {
  return fmt::format("{}:{}:{}:{}", ledger, entry, partition, batch_index);
}

}  // namespace pk::pulsar
