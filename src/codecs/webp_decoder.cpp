#include "codecs/webp_decoder.h"

#include <string>

#include "codecs/decode_budget.h"
#include "webp/decode.h"

namespace nb {
namespace {

Status WebpError(VP8StatusCode code) {
  switch (code) {
    case VP8_STATUS_OUT_OF_MEMORY: return Status::FailedPrecondition("image too large to make a thumbnail");
    case VP8_STATUS_UNSUPPORTED_FEATURE: return Status::FailedPrecondition("unsupported WebP feature");
    case VP8_STATUS_NOT_ENOUGH_DATA: return Status::InvalidArgument("cannot decode WebP: data cut short");
    default:
      return Status::InvalidArgument("cannot decode WebP: corrupt data (" + std::to_string(code) + ")");
  }
}

}  // namespace

Status DecodeWebp(std::string_view bytes, const ThumbnailPlan& plan, uint8_t* thumb) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Status::Internal("libwebp version mismatch");
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  VP8StatusCode status = WebPGetFeatures(data, bytes.size(), &config.input);
  if (status != VP8_STATUS_OK) return WebpError(status);
  if (config.input.has_animation) return Status::FailedPrecondition("animated WebP is not supported");
  if (static_cast<uint32_t>(config.input.width) != plan.width ||
      static_cast<uint32_t>(config.input.height) != plan.height) {
    return Status::InvalidArgument("WebP header differs from the plan");
  }
  const bool alpha = config.input.has_alpha != 0;
  const uint32_t tw = plan.thumb_width, th = plan.thumb_height;
  config.options.use_threads = 0;
  config.options.bypass_filtering = 0;
  if (tw != plan.width || th != plan.height) {
    config.options.use_scaling = 1;
    config.options.scaled_width = static_cast<int>(tw);
    config.options.scaled_height = static_cast<int>(th);
  }
  // Premultiplied RGBA: flattening onto white is then c + (255 - a), exact per channel, and libwebp's
  // rescaler averages premultiplied values as it should.
  BudgetArray<uint8_t> rgba;
  config.output.colorspace = alpha ? MODE_rgbA : MODE_RGB;
  config.output.is_external_memory = 1;
  if (alpha) {
    if (!rgba.Allocate(size_t{tw} * th * 4))
      return Status::FailedPrecondition("image too large to make a thumbnail");
    config.output.u.RGBA.rgba = rgba.data();
    config.output.u.RGBA.stride = static_cast<int>(tw * 4);
    config.output.u.RGBA.size = rgba.size();
  } else {
    config.output.u.RGBA.rgba = thumb;
    config.output.u.RGBA.stride = static_cast<int>(tw * 3);
    config.output.u.RGBA.size = size_t{tw} * th * 3;
  }
  const uint64_t refused = GetDecodeBudgetStats().refused_allocations;
  status = WebPDecode(data, bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);
  // libwebp reports a failed allocation inside the alpha decoder as a bitstream error.
  if (status != VP8_STATUS_OK && GetDecodeBudgetStats().refused_allocations > refused) {
    return WebpError(VP8_STATUS_OUT_OF_MEMORY);
  }
  if (status != VP8_STATUS_OK) return WebpError(status);
  if (alpha) {
    const uint8_t* in = rgba.data();
    for (size_t i = 0, n = size_t{tw} * th; i < n; ++i, in += 4, thumb += 3) {
      const uint32_t transparent = 255u - in[3];
      thumb[0] = static_cast<uint8_t>(in[0] + transparent > 255 ? 255 : in[0] + transparent);
      thumb[1] = static_cast<uint8_t>(in[1] + transparent > 255 ? 255 : in[1] + transparent);
      thumb[2] = static_cast<uint8_t>(in[2] + transparent > 255 ? 255 : in[2] + transparent);
    }
  }
  return Status::Ok();
}

}  // namespace nb
