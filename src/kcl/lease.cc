#include "kcl/lease.h"

namespace pk::kcl {

std::optional<uint64_t> Lease::records_at_checkpoint() const {
  if (!record_counter || record_counter->position != checkpoint) return std::nullopt;
  return record_counter->count;
}

}  // namespace pk::kcl
