#pragma once
// Worker ids: "<host>:<pid>:<8 random hex digits>", unique per process (the Java connector has been seen writing the
// id "0" from every instance, so two instances fought over the same leases). A configured id overrides it.

#include <cstdint>
#include <string>
#include <string_view>

#include "kcl/lease.h"

namespace pk::kcl {

// The id for this process; `random` supplies the suffix (tests pass a fixed value).
WorkerId make_worker_id(uint32_t random);
WorkerId make_worker_id();

// The same from given parts (pure).
WorkerId format_worker_id(std::string_view host, int64_t pid, uint32_t random);

}  // namespace pk::kcl
