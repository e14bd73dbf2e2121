#pragma once
// Checks across keys, after each section loaded (internal to the config module): the Java connector's rules
// (region or endpoints, AT_TIMESTAMP needs startAtTime, credential plugin names), pulsar-admin's (inputs or
// topicsPattern), the Pulsar client's (URL scheme, auth plugin and parameters, TLS files) and ours (addresses).
// Each adds problems or warnings and may fill derived fields (default subscription name, auth plugin short name).

#include <string>

#include "config/model.h"
#include "config/section_loader.h"
#include "config/value_parser.h"

namespace pk::config {

void validate_sink(SinkSpec& sink, const std::string& path, const SectionContents& top, const SectionContents& configs,
                   LoadContext& ctx);
void validate_source(SourceSpec& source, const std::string& path, const SectionContents& top,
                     const SectionContents& configs, const SectionContents& producer, LoadContext& ctx);
void validate_pulsar(PulsarClientConfig& pulsar, const std::string& path, LoadContext& ctx);
void validate_daemon(const DaemonConfig& daemon, const std::string& path, LoadContext& ctx);

}  // namespace pk::config
