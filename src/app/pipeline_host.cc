#include "app/pipeline_host.h"

namespace pk::app {

std::string pipeline_name(const config::PipelineCommon& common) {
  return common.tenant + "/" + common.namespace_name + "/" + common.name;
}

std::optional<std::string> state_not_ready_reason(metrics::PipelineState state, std::string_view starting) {
  if (state == metrics::PipelineState::kRunning) return std::nullopt;
  if (state == metrics::PipelineState::kStarting) return std::string(starting);
  return std::string(metrics::to_string(state));
}

}  // namespace pk::app
