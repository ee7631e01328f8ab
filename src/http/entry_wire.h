// The binary heads that cross the module boundary on every request (js-shim/entry_wire.js is the
// other half). JSON cost the entry path a stringify, an encode and an nlohmann parse into a DOM on
// the way in, and the same on the way out, for a few strings; these are length-prefixed fields read
// and written in place.
//
// Every integer is little-endian; a string is a u32 byte length then that many bytes (UTF-8 as the
// shim encodes it; C++ treats them as bytes).
//
// Request head (shim -> C++):
//   u8  flags     bit 0: the body was over the cap (Request::body_too_large)
//                 bit 1: a multipart string follows the headers
//   str method, str url, str origin, str request_id
//   u32 header count, then per header: str name, str value   (in the order the runtime lists them)
//   [str multipart]  the form as JSON, see MultipartFormFromJson (rare: form uploads only)
//
// Reply head (C++ -> shim):
//   u32 status
//   u32 header count, then per header: str name, str value   (repeats kept, e.g. set-cookie)
//   u8  object    0: the body is the reply's bytes; 1: stream an R2 object, then:
//       str key, u8 which (bit 0: offset, bit 1: length), f64 offset, f64 length   (both always written)
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"
#include "http/response.h"

namespace nb::http {

// Fills method, url, origin, request_id, body_too_large, headers and multipart. False (and `out`
// partly filled) when the bytes are not a whole head: truncated, or trailing bytes.
bool DecodeRequestHead(std::string_view bytes, Request& out);

// The reply head for `response` (its body travels separately).
std::string EncodeReplyHead(const Response& response);

// The inverse pair, for tests and tools: what the shim writes and reads. `multipart_json`, when not
// empty, is written as the multipart string.
std::string EncodeRequestHead(const Request& request, std::string_view multipart_json = {});
bool DecodeReplyHead(std::string_view bytes, Response& out);

}  // namespace nb::http
