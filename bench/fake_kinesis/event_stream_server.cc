#include "event_stream_server.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "aws/event_stream.h"

namespace pk::bench {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kH2Tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kTick{100};

std::string event_frame(std::string_view event_type, std::string payload) {
  aws::EventStreamMessage message;
  message.headers.push_back({":event-type", std::string(event_type)});
  message.headers.push_back({":content-type", std::string("application/json")});
  message.headers.push_back({":message-type", std::string("event")});
  message.payload = std::move(payload);
  return aws::encode_event_stream_message(message).value();
}

nghttp2_nv header_pair(std::string_view name, std::string_view value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

// One HTTP/2 stream: the request as it arrives, then what the response still has to send.
struct EventStreamServer::Subscription {
  std::string target;  // x-amz-target
  std::string body;
  bool subscribed = false;  // false: an error answer (pending is its body)
  size_t shard = 0;
  size_t position = 0;
  std::string pending;  // the frame being sent
  size_t offset = 0;
  bool deferred = false;  // nghttp2 waits for resume_data
  bool heartbeat_due = false;
  bool ending = false;
  Clock::time_point opened{}, last_event{};
};

// One client connection: an nghttp2 server session over a socket, a reader and a writer coroutine (both hold it).
struct EventStreamServer::Connection {
  EventStreamServer& server;
  tcp::socket socket;
  nghttp2_session* session = nullptr;
  asio::steady_timer wake_timer;
  bool woken = false;
  bool dead = false;
  std::map<int32_t, Subscription> streams;

  Connection(EventStreamServer& s, tcp::socket sock)
      : server(s), socket(std::move(sock)), wake_timer(socket.get_executor()) {}
  ~Connection() { nghttp2_session_del(session); }

  void wake() {
    woken = true;
    wake_timer.cancel();
  }
  void drop() {
    dead = true;
    boost::system::error_code ignored;
    socket.close(ignored);
    wake();
  }
  void resume(int32_t id, Subscription& s) {
    if (!s.deferred) return;
    s.deferred = false;
    nghttp2_session_resume_data(session, id);
    wake();
  }

  static Connection& of(void* p) { return *static_cast<Connection*>(p); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      of(p).streams.try_emplace(frame->hd.stream_id);
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t name_length,
                       const uint8_t* value, size_t value_length, uint8_t, void* p) {
    auto it = of(p).streams.find(frame->hd.stream_id);
    const std::string_view n(reinterpret_cast<const char*>(name), name_length);
    if (it != of(p).streams.end() && n == "x-amz-target") {
      it->second.target.assign(reinterpret_cast<const char*>(value), value_length);
    }
    return 0;
  }

  static int on_data(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t length, void* p) {
    auto it = of(p).streams.find(id);
    if (it != of(p).streams.end()) it->second.body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    const bool request_end = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                             (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    auto it = of(p).streams.find(frame->hd.stream_id);
    if (request_end && it != of(p).streams.end()) of(p).server.subscribe(of(p), frame->hd.stream_id, it->second);
    return 0;
  }

  static int on_close(nghttp2_session*, int32_t id, uint32_t, void* p) {
    of(p).streams.erase(id);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t id, uint8_t* buffer, size_t length, uint32_t* flags,
                           nghttp2_data_source*, void* p) {
    Connection& c = of(p);
    auto it = c.streams.find(id);
    if (it == c.streams.end()) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    Subscription& s = it->second;
    if (s.offset == s.pending.size()) {
      s.pending.clear();
      s.offset = 0;
      if (s.subscribed && !s.ending) c.server.next_event(s);
      if (s.pending.empty()) {
        if (!s.subscribed || s.ending) {
          *flags |= NGHTTP2_DATA_FLAG_EOF;
          return 0;
        }
        s.deferred = true;  // shard_grew() or the ticker resumes it
        return NGHTTP2_ERR_DEFERRED;
      }
    }
    const size_t n = std::min(length, s.pending.size() - s.offset);
    std::copy_n(s.pending.data() + s.offset, n, buffer);
    s.offset += n;
    return static_cast<ssize_t>(n);
  }

  void respond(int32_t id, int status, std::string_view content_type, std::string_view error_type) {
    const std::string code = std::to_string(status);
    std::vector<nghttp2_nv> headers{header_pair(":status", code), header_pair("content-type", content_type)};
    if (!error_type.empty()) headers.push_back(header_pair("x-amzn-errortype", error_type));
    nghttp2_data_provider provider{};
    provider.read_callback = &read_body;
    nghttp2_submit_response(session, id, headers.data(), headers.size(), &provider);
    wake();
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<Connection> c) {
    std::vector<uint8_t> buffer(256 * 1024);
    while (!c->dead) {
      auto [ec, n] = co_await c->socket.async_read_some(asio::buffer(buffer), kH2Tuple);
      if (ec || nghttp2_session_mem_recv(c->session, buffer.data(), n) < 0) break;
      c->wake();
    }
    c->drop();
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<Connection> c) {
    std::string out;
    while (!c->dead) {
      out.clear();
      const uint8_t* data = nullptr;
      for (ssize_t n; out.size() < (1 << 20) && (n = nghttp2_session_mem_send(c->session, &data)) > 0;) {
        out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      }
      if (!out.empty()) {
        auto [ec, written] = co_await asio::async_write(c->socket, asio::buffer(out), kH2Tuple);
        if (ec) break;
        continue;
      }
      if (nghttp2_session_want_read(c->session) == 0 && nghttp2_session_want_write(c->session) == 0) break;
      if (!c->woken) {
        c->wake_timer.expires_at(Clock::time_point::max());
        co_await c->wake_timer.async_wait(kH2Tuple);
      }
      c->woken = false;
    }
    c->drop();
  }
};

EventStreamServer::EventStreamServer(asio::any_io_executor executor, ShardStore& store, KinesisApi& api,
                                     EventOptions options)
    : store_(store), api_(api), options_(options), ticker_(executor) {
  asio::co_spawn(executor, tick(), asio::detached);
}

void EventStreamServer::serve(tcp::socket socket, std::string first_bytes) {
  auto c = std::make_shared<Connection>(*this, std::move(socket));
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &Connection::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Connection::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Connection::on_data);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Connection::on_frame);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Connection::on_close);
  nghttp2_session_server_new(&c->session, callbacks, c.get());
  nghttp2_session_callbacks_del(callbacks);
  const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
  nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  if (nghttp2_session_mem_recv(c->session, reinterpret_cast<const uint8_t*>(first_bytes.data()), first_bytes.size()) <
      0) {
    return;  // not HTTP/2 after all: the socket closes with c
  }
  std::erase_if(connections_, [](const std::weak_ptr<Connection>& w) { return w.expired(); });
  connections_.push_back(c);
  const auto executor = c->socket.get_executor();
  asio::co_spawn(executor, Connection::write_loop(c), asio::detached);
  asio::co_spawn(executor, Connection::read_loop(c), asio::detached);
}

void EventStreamServer::subscribe(Connection& connection, int32_t stream_id, Subscription& s) {
  const auto refuse = [&](std::string_view type, std::string_view message) {
    s.pending = fmt::format(R"({{"__type":"{}","message":"{}"}})", type, message);
    connection.respond(stream_id, 400, "application/x-amz-json-1.1", type);
  };
  if (s.target != "Kinesis_20131202.SubscribeToShard") {
    return refuse("UnknownOperationException", "only SubscribeToShard is served over HTTP/2");
  }
  simdjson::padded_string padded(s.body);
  simdjson::dom::element doc;
  if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) return refuse("SerializationException", "bad JSON");
  simdjson::dom::element start;
  if (doc["StartingPosition"].get(start) != simdjson::SUCCESS) {
    return refuse("InvalidArgumentException", "StartingPosition is missing");
  }
  const std::string_view consumer = field_string(doc, "ConsumerARN");
  const std::string_view type = field_string(start, "Type");
  const std::string_view sequence = field_string(start, "SequenceNumber");
  const double timestamp = field_number(start, "Timestamp");
  if (!api_.has_consumer(consumer)) return refuse("ResourceNotFoundException", "no such consumer");
  s.shard = store_.find_shard(field_string(doc, "ShardId"));
  if (s.shard == store_.shard_count()) return refuse("ResourceNotFoundException", "no such shard");
  auto position = store_.position_of(s.shard, type, sequence, static_cast<int64_t>(timestamp * 1000));
  if (!position.ok()) return refuse("InvalidArgumentException", position.error().message);
  s.position = *position;
  s.subscribed = true;
  s.opened = s.last_event = Clock::now();
  s.pending = event_frame("initial-response", "{}");
  ++api_.totals().subscriptions;
  connection.respond(stream_id, 200, "application/vnd.amazon.eventstream", "");
}

void EventStreamServer::next_event(Subscription& s) {
  if (s.position >= store_.size(s.shard) && !s.heartbeat_due) return;
  std::string payload = R"({"Records":[)";
  const size_t end = store_.append_json(s.shard, s.position, options_.event_records, options_.event_bytes, payload);
  payload += fmt::format(R"(],"ContinuationSequenceNumber":"{}","MillisBehindLatest":{}}})",
                         store_.continuation(s.shard, end), store_.millis_behind(s.shard, end));
  api_.totals().records_read += end - s.position;
  ++api_.totals().events;
  s.position = end;
  s.heartbeat_due = false;
  s.last_event = Clock::now();
  s.pending = event_frame("SubscribeToShardEvent", std::move(payload));
}

void EventStreamServer::shard_grew(size_t shard) {
  for (const auto& weak : connections_) {
    auto c = weak.lock();
    if (!c) continue;
    for (auto& [id, s] : c->streams) {
      if (s.subscribed && s.shard == shard) c->resume(id, s);
    }
  }
}

asio::awaitable<void> EventStreamServer::tick() {
  while (!stopped_) {
    ticker_.expires_after(kTick);
    co_await ticker_.async_wait(kH2Tuple);
    const auto now = Clock::now();
    for (const auto& weak : connections_) {
      auto c = weak.lock();
      if (!c) continue;
      for (auto& [id, s] : c->streams) {
        if (!s.subscribed || s.ending) continue;
        if (now - s.opened >= options_.lifetime) {
          s.ending = true;
        } else if (now - s.last_event >= options_.heartbeat) {
          s.heartbeat_due = true;
        } else {
          continue;
        }
        c->resume(id, s);
      }
    }
  }
}

void EventStreamServer::stop() {
  stopped_ = true;
  ticker_.cancel();
  for (const auto& weak : connections_) {
    if (auto c = weak.lock()) c->drop();
  }
}

}  // namespace pk::bench
