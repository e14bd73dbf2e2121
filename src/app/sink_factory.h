#pragma once
// A sink spec (config::SinkSpec) -> a running sink's parts: the Kinesis client (endpoint, credentials plugin,
// HTTP settings), the producer settings, the Pulsar subscription and the record encoder of the message format.
// Everything here is validated at start-up, so a bad value fails before a message is taken.

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/result.h"
#include "config/model.h"
#include "kinesis/client.h"
#include "sink/sink_pipeline.h"

namespace pk::app {

// The producer's settings from the sink's `configs:` (and the KPL keys of extraKinesisProducerConfig).
sink::ProducerSettings producer_settings(const config::SinkConfigs& configs);

// The pipeline's settings: subscription (topics or pattern, name, type, initial position), window, dead letters.
sink::SinkPipelineSettings sink_pipeline_settings(const config::SinkSpec& spec);

// The Kinesis client the sink writes with, on `executor`.
Result<std::unique_ptr<kinesis::KinesisClient>> sink_kinesis_client(const config::SinkConfigs& configs,
                                                                    boost::asio::any_io_executor executor,
                                                                    boost::asio::thread_pool& blocking);

// The record format (messageFormat, jsonIncludeNonNulls, jsonFlatten).
formats::FormatOptions sink_format(const config::SinkConfigs& configs);

}  // namespace pk::app
