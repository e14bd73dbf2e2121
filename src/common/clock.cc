#include "common/clock.h"

namespace pk {

const Clock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace pk
