// The single byte range a client may ask for with `Range: bytes=...` (RFC 9110 §14), decided against
// the representation's size before any byte is read, so the shim can ask R2 for exactly that span.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nb::http {

struct ByteSpan {
  int64_t offset = 0;
  int64_t length = 0;
};

struct RangeDecision {
  enum class Kind {
    kWhole,          // no Range, another unit, several ranges, or a stale If-Range: 200 with everything
    kPartial,        // 206 with `span`
    kUnsatisfiable,  // 416 with `Content-Range: bytes */size`
  };
  Kind kind = Kind::kWhole;
  ByteSpan span;
};

// `bytes=a-b`, `bytes=a-` and `bytes=-n`; the end is clamped to the last byte and a suffix longer than
// the representation means all of it. Malformed byte ranges, an end before its start, a start at or
// past the end and `-0` are unsatisfiable. Several ranges are served whole (RFC 9110 lets a server
// ignore Range; multipart/byteranges is not worth its cost for images).
RangeDecision DecideRange(const std::optional<std::string>& range_header, int64_t size);

// "bytes 0-99/1000" for a 206 and "bytes */1000" for a 416.
std::string ContentRange(const ByteSpan& span, int64_t size);
std::string UnsatisfiedContentRange(int64_t size);

}  // namespace nb::http
