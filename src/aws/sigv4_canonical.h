#pragma once
// The pieces of a SigV4 canonical request (RFC 3986 encoding, path normalisation, canonical query string,
// canonical headers). Pure functions over strings, exposed separately so that each rule can be tested alone.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/types.h"

namespace pk::aws {

// Percent-encodes every byte outside the unreserved set A-Z a-z 0-9 - . _ ~ (uppercase hex). '/' is kept
// when `keep_slash` (paths) and encoded otherwise (query keys and values, form fields).
std::string uri_encode(std::string_view in, bool keep_slash = false);
void uri_encode_append(std::string_view in, bool keep_slash, std::string& out);

// Decodes %XX sequences; a '%' not followed by two hex digits is kept as is ('+' is not a space).
std::string percent_decode(std::string_view in);

// RFC 3986 remove_dot_segments plus collapsing of empty segments: "//a/./b/../c/" -> "/a/c/". Always absolute.
std::string normalize_path(std::string_view path);

// The canonical URI of a request path (without the query): normalised when `normalize`, then encoded once more
// (AWS services other than S3 sign the wire path encoded a second time).
std::string canonical_uri(std::string_view path, bool normalize);

// The canonical query string of a raw (wire) query string: each key and value decoded then re-encoded, the
// pairs sorted by key then value, "k=v" joined by '&'. `extra` pairs are already-decoded values to add
// (presigning adds X-Amz-*).
std::string canonical_query(std::string_view raw_query,
                            const std::vector<std::pair<std::string, std::string>>& extra = {});

// Canonical header lines and the signed-headers list of `headers`: names lowercased, values trimmed with inner
// runs of whitespace (incl. folded lines) collapsed to one space, values of repeated names joined with ',' in
// request order, sorted by name. Headers that proxies or the HTTP layer may change (user-agent, expect,
// connection, transfer-encoding, x-amzn-trace-id) and authorization are not signed.
struct CanonicalHeaders {
  std::string lines;           // "name:value\n" for each signed header
  std::string signed_headers;  // "host;x-amz-date"
};
CanonicalHeaders canonical_headers(const std::vector<http::Header>& headers);

// Header-list helpers that do not depend on the http library (case-insensitive names).
bool iequals(std::string_view a, std::string_view b);
std::string_view find_header(const std::vector<http::Header>& headers, std::string_view name);
void remove_header(std::vector<http::Header>& headers, std::string_view name);

}  // namespace pk::aws
