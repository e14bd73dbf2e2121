#include "config/model.h"

namespace pk::config {

SubscriptionType SinkSpec::subscription_type() const {
  if (retain_ordering || common.processing_guarantees == ProcessingGuarantees::kEffectivelyOnce) {
    return SubscriptionType::kFailover;
  }
  return retain_key_ordering ? SubscriptionType::kKeyShared : SubscriptionType::kShared;
}

}  // namespace pk::config
