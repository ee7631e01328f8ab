// libFuzzer target: arbitrary bytes through what an upload goes through — ProbeImage, PlanThumbnail,
// then MakeThumbnail for whatever the plan admits — under ASan and UBSan, codecs included (every
// decoder path: libjpeg-turbo baseline/progressive/DC store, libspng plain/interlaced, libwebp
// lossy/lossless/alpha, stb_image GIF). scripts/fuzz.sh builds and runs it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codecs/thumbnail.h"
#include "imaging/image_probe.h"
#include "imaging/thumbnail_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  if (!probe.ok()) return 0;
  if (probe->width == 0 || probe->height == 0 ||
      uint64_t{probe->width} * probe->height > nb::kMaxImagePixels) {
    __builtin_trap();
  }
  const nb::Result<nb::ThumbnailPlan> plan = nb::PlanThumbnail(bytes, *probe);
  const nb::Result<nb::Thumbnail> thumb = nb::MakeThumbnail(bytes, *probe);
  if (!plan.ok()) {
    if (thumb.ok()) __builtin_trap();  // the engine plans the same way
    return 0;
  }
  if (plan->working_bytes > nb::kMaxThumbnailWorkingBytes) __builtin_trap();
  const nb::ThumbnailStats stats = nb::LastThumbnailStats();
  if (stats.planned_bytes != plan->working_bytes || stats.peak_bytes > plan->working_bytes) __builtin_trap();
  // A failure is one of the two the app tells apart (damaged: refuse; not feasible: keep without a
  // thumbnail); anything else would surface as a 500.
  if (!thumb.ok()) {
    const nb::Status::Code code = thumb.status().code();
    if (code != nb::Status::Code::kInvalidArgument && code != nb::Status::Code::kFailedPrecondition) __builtin_trap();
    return 0;
  }
  // What callers rely on: the planned size, and a JPEG that probes as that size.
  const uint32_t width = nb::OrientedWidth(*plan), height = nb::OrientedHeight(*plan);
  const nb::Result<nb::ImageProbe> again = nb::ProbeImage(thumb->bytes);
  if (thumb->width != width || thumb->height != height || !again.ok() ||
      again->format != nb::ImageFormat::kJpeg || again->width != width || again->height != height ||
      width > nb::kThumbnailMaxSide || height > nb::kThumbnailMaxSide) {
    __builtin_trap();
  }
  return 0;
}
