#include "codecs/thumbnail.h"

#include <utility>

#include "codecs/area_resize.h"
#include "codecs/decode_budget.h"
#include "codecs/gif_decoder.h"
#include "codecs/jpeg_encoder.h"
#include "codecs/jpeg_decoder.h"
#include "codecs/orientation.h"
#include "codecs/png_decoder.h"
#include "codecs/webp_decoder.h"

namespace nb {
namespace {

constexpr int kJpegQuality = 82;

ThumbnailStats last_stats;

class ResizeSink final : public RowSink {
 public:
  explicit ResizeSink(StreamingAreaResize& resize) : resize_(resize) {}
  void Row(const uint8_t* rgb) override { resize_.PushRow(rgb); }

 private:
  StreamingAreaResize& resize_;
};

Status TooLarge() { return Status::FailedPrecondition("image too large to make a thumbnail"); }

// Decodes into `thumb` (plan.thumb_width x plan.thumb_height RGB).
Status DecodeInto(std::string_view bytes, const ThumbnailPlan& plan, uint8_t* thumb) {
  if (plan.format == ImageFormat::kWebp) return DecodeWebp(bytes, plan, thumb);
  const bool direct = plan.format == ImageFormat::kPng && plan.png_interlaced;
  StreamingAreaResize resize;
  if (!direct && !resize.Init(BestResizeKernels(), plan.decode_width, plan.decode_height, thumb,
                              plan.thumb_width, plan.thumb_height)) {
    return TooLarge();
  }
  ResizeSink sink(resize);
  switch (plan.format) {
    case ImageFormat::kJpeg: {
      JpegDecodeStats stats;
      const Status status = DecodeJpegRows(bytes, plan, sink, &stats);
      last_stats.jpeg_dc_stores = stats.stores_opened;
      NB_RETURN_IF_ERROR(status);
      break;
    }
    case ImageFormat::kPng: NB_RETURN_IF_ERROR(DecodePng(bytes, plan, sink, thumb)); break;
    case ImageFormat::kGif: NB_RETURN_IF_ERROR(DecodeGif(bytes, plan, sink)); break;
    case ImageFormat::kWebp: break;
  }
  if (!direct && !resize.done()) return Status::InvalidArgument("image data cut short");
  return Status::Ok();
}

}  // namespace

ThumbnailStats LastThumbnailStats() { return last_stats; }

Result<Thumbnail> MakeThumbnail(std::string_view bytes, const ImageProbe& probe,
                                const ThumbnailLimits& limits) {
  last_stats = ThumbnailStats{};
  NB_ASSIGN_OR_RETURN(const ThumbnailPlan plan, PlanThumbnail(bytes, probe));
  last_stats.planned_bytes = plan.working_bytes;
  if (plan.working_bytes > limits.max_working_bytes) return TooLarge();

  Thumbnail out;
  {
    DecodeBudget budget(plan.working_bytes);
    Status status;
    {
      BudgetArray<uint8_t> thumb, upright;
      if (!thumb.Allocate(size_t{plan.thumb_width} * plan.thumb_height * 3)) {
        status = TooLarge();
      } else {
        status = DecodeInto(bytes, plan, thumb.data());
      }
      const uint8_t* pixels = thumb.data();
      if (status.ok() && plan.orientation != 1) {
        if (!upright.Allocate(thumb.size())) {
          status = TooLarge();
        } else {
          ApplyOrientation(thumb.data(), plan.thumb_width, plan.thumb_height, plan.orientation,
                           upright.data());
          pixels = upright.data();
        }
      }
      if (status.ok()) {
        out.width = OrientedWidth(plan);
        out.height = OrientedHeight(plan);
        Result<std::string> encoded = EncodeThumbnailJpeg(pixels, out.width, out.height, kJpegQuality);
        if (encoded.ok()) {
          out.bytes = std::move(encoded).value();
        } else {
          status = encoded.status();
        }
      }
    }
    last_stats.peak_bytes = CurrentBudgetPeak();
    if (!status.ok()) return status;
  }
  out.content_type = "image/jpeg";
  return out;
}

}  // namespace nb
