// libFuzzer: DecideRange on arbitrary Range headers and representation sizes (the header comes from any
// client). The first 6 bytes are the size (up to 2^48); the rest is the header. A partial answer always
// lies inside the representation and its Content-Range says exactly that.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  int64_t length = 0;
  for (int i = 0; i < 6; ++i) length = (length << 8) | data[i];
  const std::string header(reinterpret_cast<const char*>(data + 6), size - 6);
  const nb::http::RangeDecision d = nb::http::DecideRange(header, length);
  if (d.kind != nb::http::RangeDecision::Kind::kPartial) return 0;
  const nb::http::ByteSpan& s = d.span;
  if (s.offset < 0 || s.length < 1 || s.offset > length - s.length) std::abort();
  const std::string expected = "bytes " + std::to_string(s.offset) + "-" + std::to_string(s.offset + s.length - 1) +
                               "/" + std::to_string(length);
  if (nb::http::ContentRange(s, length) != expected) std::abort();
  // Never a partial answer for a request that names no byte range.
  if (header.find("bytes=") != 0) std::abort();
  return 0;
}
