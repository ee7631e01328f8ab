// The thumbnail port: an image's bytes in, a small JPEG (or WebP) out. Decoding is the heaviest,
// riskiest work the Worker does (third-party codecs on untrusted bytes, tens of MB of pixels), so
// domain code never runs it in its own memory: natively it is an in-process call to src/codecs, in the
// Worker a throwaway codec instance that the shim admits through the isolate's memory budget.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ports/status.h"

namespace nb {

struct Thumbnail {
  std::string bytes;         // encoded image
  std::string content_type;  // "image/jpeg"
  uint32_t width = 0;
  uint32_t height = 0;
};

class Thumbnailer {
 public:
  virtual ~Thumbnailer() = default;

  // `bytes` is an image ProbeImage accepted; `working_bytes` is what PlanThumbnail said the decode
  // needs beyond the input (the Worker reserves exactly that much memory for it). Errors:
  // InvalidArgument when the data is damaged; FailedPrecondition when no thumbnail can be made within
  // the limits (the image stays usable without one); Unavailable when the isolate has no memory to
  // spare right now (retry later; nothing was decided about the image).
  virtual Result<Thumbnail> Make(std::string_view bytes, uint64_t working_bytes) = 0;
};

}  // namespace nb
