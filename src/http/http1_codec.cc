#include "http/http1_codec.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <fmt/format.h>

namespace pk::http {
namespace beast_http = boost::beast::http;

namespace {

bool is_target(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
  });
}

Error bad_request(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<std::string> encode_request_head(const Request& request, std::string_view authority) {
  if (!is_valid_header_name(request.method))
    return bad_request(fmt::format("HTTP method '{}' is not a token", request.method));
  if (!is_target(request.target)) {
    return bad_request(fmt::format("HTTP request target '{}' is empty or has spaces or control characters",
                                   target_for_log(request.target)));
  }
  std::string head;
  head.reserve(256 + request.headers.size() * 64);
  head += request.method;
  head += ' ';
  head += request.target;
  head += " HTTP/1.1\r\n";
  if (request.header("host").empty()) {
    head += "Host: ";
    head += authority;
    head += "\r\n";
  }
  bool has_length = false;
  for (const auto& h : request.headers) {
    if (!is_valid_header_name(h.name)) return bad_request(fmt::format("HTTP header name '{}' is not a token", h.name));
    if (!is_valid_header_value(h.value)) {
      return bad_request(fmt::format("HTTP header '{}' has a control character (CR, LF, ...) in its value", h.name));
    }
    if (iequals(h.name, "transfer-encoding")) {
      return bad_request("HTTP header 'Transfer-Encoding' is not supported: bodies are sent with Content-Length");
    }
    if (iequals(h.name, "content-length")) {
      uint64_t n = 0;
      const auto [end, ec] = std::from_chars(h.value.data(), h.value.data() + h.value.size(), n);
      if (ec != std::errc{} || end != h.value.data() + h.value.size() || n != request.body.size()) {
        return bad_request(fmt::format("HTTP header 'Content-Length: {}' does not match the body size {}", h.value,
                                       request.body.size()));
      }
      has_length = true;
    }
    head += h.name;
    head += ": ";
    head += h.value;
    head += "\r\n";
  }
  const bool body_method = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!has_length && (!request.body.empty() || body_method)) {
    head += "Content-Length: ";
    head += std::to_string(request.body.size());
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

struct ResponseDecoder::Impl {
  Impl(size_t max_body_bytes, bool head) : max_body(max_body_bytes), head_request(head) { reset(); }

  size_t max_body;
  bool head_request;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser;

  void reset() {
    parser.emplace();
    parser->eager(true);
    parser->header_limit(static_cast<uint32_t>(kMaxHeaderBytes));
    parser->body_limit(max_body);
    if (head_request) parser->skip(true);
  }
};

ResponseDecoder::ResponseDecoder(size_t max_body_bytes, bool head_request)
    : impl_(std::make_unique<Impl>(max_body_bytes, head_request)) {}

ResponseDecoder::~ResponseDecoder() = default;

Result<size_t> ResponseDecoder::consume(std::string_view data) {
  size_t used = 0;
  while (used < data.size() && !done_) {
    boost::system::error_code ec;
    const size_t n = impl_->parser->put(boost::asio::const_buffer(data.data() + used, data.size() - used), ec);
    used += n;
    // Beast wants the next call to carry more bytes than this one left: calling again with the same tail
    // breaks its assumptions (it asserts in debug builds). Wait for the next feed.
    if (ec == beast_http::error::need_more) break;
    if (ec == beast_http::error::body_limit) {
      return make_error(ErrorCode::kMalformedInput,
                        fmt::format("HTTP response body exceeds the limit of {} bytes", impl_->max_body));
    }
    if (ec == beast_http::error::header_limit) {
      return make_error(ErrorCode::kMalformedInput,
                        fmt::format("HTTP response header exceeds the limit of {} bytes", kMaxHeaderBytes));
    }
    if (ec) {
      return make_error(ErrorCode::kMalformedInput, fmt::format("malformed HTTP response after {} bytes: {}",
                                                                received_ - data.size() + used, ec.message()));
    }
    if (impl_->parser->is_header_done()) {
      const unsigned status = impl_->parser->get().result_int();
      if (status < 100) {  // Beast takes any three digits; RFC 9110 status codes start at 100
        return make_error(ErrorCode::kMalformedInput, fmt::format("HTTP response status {:03} is not valid", status));
      }
      if (status == 101) {
        return make_error(ErrorCode::kUnsupported, "HTTP response 101 Switching Protocols is not supported");
      }
    }
    if (impl_->parser->is_done()) {
      const unsigned status = impl_->parser->get().result_int();
      if (status < 200) {
        impl_->reset();  // interim response (100 Continue, 103 Early Hints): the real one follows
        continue;
      }
      done_ = true;
      reusable_ = !impl_->parser->need_eof() && impl_->parser->keep_alive();
    }
  }
  return used;
}

Status ResponseDecoder::feed(std::string_view bytes) {
  if (done_) {
    leftover_ += bytes.size();
    return ok_status();
  }
  received_ += bytes.size();
  // In a chunked body the parser must not be handed fewer than 5 bytes ("0\r\n\r\n", the shortest end) once
  // it has asked for more: Beast asserts on it. No chunked body can end in fewer bytes, so waiting is safe.
  constexpr size_t kShortestChunkedEnd = 5;
  if (impl_->parser->is_header_done() && impl_->parser->chunked() &&
      pending_.size() + bytes.size() < kShortestChunkedEnd) {
    pending_.append(bytes);
    return ok_status();
  }
  // The parser wants a whole header in one buffer; bytes it leaves are kept and prepended to the next piece.
  // Body bytes are taken as they come, so a large body is not copied twice.
  size_t used = 0;
  if (pending_.empty()) {
    PK_ASSIGN_OR_RETURN(used, consume(bytes));
    if (done_) {
      leftover_ += bytes.size() - used;
    } else {
      pending_.assign(bytes.substr(used));
    }
  } else {
    pending_.append(bytes);
    PK_ASSIGN_OR_RETURN(used, consume(pending_));
    if (done_) {
      leftover_ += pending_.size() - used;
      pending_.clear();
    } else {
      pending_.erase(0, used);
    }
  }
  if (!done_ && pending_.size() > kMaxHeaderBytes + 64) {
    // Beast reports header_limit itself; this bounds what we buffer should a parser state ever stall.
    return make_error(ErrorCode::kMalformedInput, "HTTP response: parser made no progress on buffered bytes");
  }
  return ok_status();
}

Status ResponseDecoder::finish() {
  if (done_) return ok_status();
  if (received_ == 0) return make_error(ErrorCode::kIo, "connection closed before any response byte");
  boost::system::error_code ec;
  if (!impl_->parser->got_some()) {  // only interim (1xx) responses so far: the final one never came
    return make_error(ErrorCode::kIo,
                      fmt::format("connection closed after {} bytes, before the end of the response", received_));
  }
  impl_->parser->put_eof(ec);
  if (ec || !impl_->parser->is_done()) {
    return make_error(ErrorCode::kIo,
                      fmt::format("connection closed after {} bytes, before the end of the response", received_));
  }
  done_ = true;
  return ok_status();
}

bool ResponseDecoder::keep_alive() const {
  return done_ && reusable_ && leftover_ == 0;
}

Response ResponseDecoder::take() {
  auto message = impl_->parser->release();
  Response response;
  response.status = static_cast<int>(message.result_int());
  response.headers.reserve(16);
  for (const auto& field : message) {
    const auto name = field.name_string();
    const auto value = field.value();
    response.headers.push_back(Header{std::string(name.data(), name.size()), std::string(value.data(), value.size())});
  }
  response.body = std::move(message.body());
  return response;
}

Result<Response> decode_response(std::string_view bytes, size_t max_body_bytes, bool head_request) {
  ResponseDecoder decoder(max_body_bytes, head_request);
  PK_TRY(decoder.feed(bytes));
  PK_TRY(decoder.finish());
  return decoder.take();
}

}  // namespace pk::http
