#include "kinesis/shard_subscription.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include "aws/aws_error.h"
#include "kinesis/consumer_codec.h"

namespace pk::kinesis {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kEventStreamType = "application/vnd.amazon.eventstream";
constexpr size_t kMaxErrorBody = 64 * 1024;

bool is_event_stream(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return http::iequals(type, kEventStreamType);
}

}  // namespace

asio::awaitable<Result<std::unique_ptr<ShardSubscription>>> ShardSubscription::open(const aws::JsonClient& json,
                                                                                    SubscriptionOptions options,
                                                                                    ConsumerArn consumer, ShardId shard,
                                                                                    StartingPosition position) {
  const std::string what = fmt::format("Kinesis SubscribeToShard {}", shard.str());
  PK_CO_ASSIGN_OR_RETURN(std::string body, build_subscribe_to_shard_body(consumer, shard, position));
  auto signing = json.signed_request("SubscribeToShard", std::move(body));
  PK_CO_ASSIGN_OR_RETURN(const http::Request request, co_await std::move(signing));

  const http::Url& endpoint = json.service().endpoint.url;
  auto connecting = http::Http2Connection::connect(endpoint, options.http);
  auto connection = co_await std::move(connecting);
  if (!connection.ok()) co_return std::move(connection).error().with_context(what);
  auto opening = (*connection)->open(request);
  auto stream = co_await std::move(opening);
  if (!stream.ok()) co_return std::move(stream).error().with_context(what);

  if ((*stream)->status() != 200) {
    // Errors before the stream starts are ordinary AWS JSON errors.
    auto reading = (*stream)->read_all(kMaxErrorBody);
    auto error_body = co_await std::move(reading);
    const std::string text = error_body.ok() ? std::move(*error_body) : std::string();
    co_return aws::aws_error_from_response((*stream)->status(), text, what, (*stream)->header("x-amzn-ErrorType"));
  }
  const std::string_view content_type = (*stream)->header("content-type");
  if (!is_event_stream(content_type)) {
    (*stream)->cancel();
    co_return make_error(ErrorCode::kMalformedInput, fmt::format("{}: response content-type is \"{}\", not {}", what,
                                                                 content_type.substr(0, 100), kEventStreamType));
  }
  co_return std::make_unique<ShardSubscription>(
      std::move(*connection), std::shared_ptr<http::Http2Stream>(std::move(*stream)), shard, options.idle_timeout);
}

ShardSubscription::ShardSubscription(std::shared_ptr<http::Http2Connection> connection,
                                     std::shared_ptr<http::Http2Stream> stream, ShardId shard,
                                     std::chrono::milliseconds idle_timeout)
    : connection_(std::move(connection)),
      stream_(std::move(stream)),
      shard_(std::move(shard)),
      what_(fmt::format("Kinesis SubscribeToShard {}", shard_.str())),
      idle_timeout_(idle_timeout) {}

ShardSubscription::~ShardSubscription() {
  if (stream_) stream_->cancel();
}

void ShardSubscription::cancel() {
  stream_->cancel();
}

Result<bool> ShardSubscription::take(aws::EventStreamMessage& message, SubscribeToShardEvent& event) {
  const std::string_view message_type = message.header_string(":message-type");
  if (message_type == "event") {
    const std::string_view event_type = message.header_string(":event-type");
    if (event_type != "SubscribeToShardEvent") return false;  // initial-response, or a type we do not know
    auto parsed = parse_subscribe_to_shard_event(std::move(message.payload));
    if (!parsed.ok()) return std::move(parsed).error().with_context(what_);
    event = std::move(*parsed);
    return true;
  }
  if (message_type == "exception") {
    const std::string type(aws::sanitize_error_type(message.header_string(":exception-type")));
    // An exception event answers a request that got a 200; classify it as the same error in a 400 would be.
    return make_error(
        aws::error_code_for(400, type),
        fmt::format("{}: {}: {}", what_, type.empty() ? "exception" : type, parse_exception_message(message.payload)),
        type);
  }
  if (message_type == "error") {
    const std::string code(message.header_string(":error-code"));
    return make_error(
        aws::error_code_for(500, code),
        fmt::format("{}: {}: {}", what_, code.empty() ? "error" : code, message.header_string(":error-message")), code);
  }
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: event-stream message with :message-type \"{}\"", what_,
                                                            message_type.substr(0, 50)));
}

asio::awaitable<Result<std::optional<std::string>>> ShardSubscription::read_with_deadline() {
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor, idle_timeout_);
  auto fired = std::make_shared<bool>(false);
  timer->async_wait([fired, weak = std::weak_ptr<http::Http2Stream>(stream_)](const boost::system::error_code& ec) {
    if (ec) return;
    *fired = true;
    if (auto stream = weak.lock()) stream->cancel();
  });
  auto reading = stream_->read();
  auto piece = co_await std::move(reading);
  timer->cancel();
  if (*fired) {
    co_return make_error(ErrorCode::kTimeout, fmt::format("{}: no event for {} ms", what_, idle_timeout_.count()));
  }
  co_return piece;
}

asio::awaitable<Result<std::optional<SubscribeToShardEvent>>> ShardSubscription::next() {
  for (;;) {
    while (!pending_.empty()) {
      aws::EventStreamMessage message = std::move(pending_.front());
      pending_.pop_front();
      SubscribeToShardEvent event;
      PK_CO_ASSIGN_OR_RETURN(const bool delivered, take(message, event));
      if (delivered) {
        ++events_;
        co_return std::optional<SubscribeToShardEvent>(std::move(event));
      }
    }
    if (broken_) co_return *broken_;
    if (ended_) co_return std::optional<SubscribeToShardEvent>();

    auto reading = read_with_deadline();
    auto piece = co_await std::move(reading);
    if (!piece.ok()) co_return std::move(piece).error().with_context(what_);
    if (!piece->has_value()) {
      ended_ = true;
      if (decoder_.buffered() > 0) {
        broken_ = make_error(ErrorCode::kMalformedInput,
                             fmt::format("{}: stream ended inside an event-stream frame ({} bytes left over)", what_,
                                         decoder_.buffered()));
      }
      continue;
    }
    std::vector<aws::EventStreamMessage> decoded;
    Status fed = decoder_.feed(**piece, decoded);
    for (auto& m : decoded) pending_.push_back(std::move(m));
    if (!fed.ok()) {
      broken_ = std::move(fed).error().with_context(what_);
      stream_->cancel();
    }
  }
}

}  // namespace pk::kinesis
