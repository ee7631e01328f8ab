#include "codecs/gif_decoder.h"

#include <climits>
#include <string>

#include "codecs/composite_over_white.h"
#include "codecs/decode_budget.h"

// Private to this file (STB_IMAGE_STATIC), GIF only, memory in only, every allocation on the budget.
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO
#define STBI_ONLY_GIF
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 65536
#define STBI_MALLOC(size) ::nb::BudgetMalloc(size)
#define STBI_REALLOC(block, size) ::nb::BudgetRealloc(block, size)
#define STBI_FREE(block) ::nb::BudgetFree(block)
#include <stb/stb_image.h>

namespace nb {

Status DecodeGif(std::string_view bytes, const ThumbnailPlan& plan, RowSink& rows) {
  if (bytes.size() > INT_MAX) return Status::InvalidArgument("image too large");
  int width = 0, height = 0, components = 0;
  const DecodeBudgetStats before = GetDecodeBudgetStats();
  stbi_uc* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                          static_cast<int>(bytes.size()), &width, &height, &components, 4);
  if (pixels == nullptr) {
    if (GetDecodeBudgetStats().refused_allocations > before.refused_allocations) {
      return Status::FailedPrecondition("image too large to make a thumbnail");
    }
    const char* reason = stbi_failure_reason();
    return Status::InvalidArgument(std::string("cannot decode GIF: ") + (reason ? reason : "unknown error"));
  }
  if (static_cast<uint32_t>(width) != plan.width || static_cast<uint32_t>(height) != plan.height) {
    stbi_image_free(pixels);
    return Status::InvalidArgument("decoded size differs from the header");
  }
  for (uint32_t y = 0; y < plan.height; ++y) {
    uint8_t* row = pixels + size_t{y} * plan.width * 4;
    CompositeOverWhiteToRgb(row, plan.width);
    rows.Row(row);
  }
  stbi_image_free(pixels);
  return Status::Ok();
}

}  // namespace nb
