#include "native/local_thumbnailer.h"

#include "codecs/thumbnail.h"
#include "imaging/image_probe.h"

namespace nb {

// working_bytes is the Worker's reservation; natively MakeThumbnail's own plan already bounds the
// heap it uses, so there is nothing to reserve here.
Result<Thumbnail> LocalThumbnailer::Make(std::string_view bytes, uint64_t /*working_bytes*/) {
  ++calls;
  NB_ASSIGN_OR_RETURN(const ImageProbe probe, ProbeImage(bytes));
  return MakeThumbnail(bytes, probe);
}

}  // namespace nb
