// libFuzzer target: arbitrary bytes through what an upload goes through — ProbeImage, then
// MakeThumbnail for whatever the probe accepts — under ASan and UBSan. scripts/fuzz.sh builds and runs it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "imaging/image_probe.h"
#include "imaging/thumbnail.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  if (!probe.ok()) return 0;
  if (probe->width == 0 || probe->height == 0 ||
      uint64_t{probe->width} * probe->height > nb::kMaxImagePixels) {
    __builtin_trap();
  }
  // A lower ceiling than production keeps each run quick under ASan; the code path is the same.
  nb::ThumbnailLimits limits;
  limits.max_decode_bytes = 32 << 20;
  const nb::Result<nb::Thumbnail> thumb = nb::MakeThumbnail(bytes, *probe, limits);
  if (!thumb.ok()) return 0;
  // What callers rely on: the promised size, and a JPEG that probes as that size.
  uint32_t width = 0, height = 0;
  nb::ThumbnailSize(probe->width, probe->height, width, height);
  const nb::Result<nb::ImageProbe> again = nb::ProbeImage(thumb->bytes);
  if (thumb->width != width || thumb->height != height || !again.ok() ||
      again->format != nb::ImageFormat::kJpeg || again->width != width || again->height != height) {
    __builtin_trap();
  }
  return 0;
}
