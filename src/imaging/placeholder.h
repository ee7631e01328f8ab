// The offline image provider's output: a deterministic gradient drawn from the prompt's hash, in the
// size Gemini would return for the aspect ratio, encoded as PNG. Lets `make dev` generate with no key.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "ports/status.h"

namespace nb {

struct PlaceholderImage {
  std::string png;
  uint32_t width = 0;
  uint32_t height = 0;
};

// The pixel size Gemini 2.5 Flash Image returns for an aspect ratio ("1:1" -> 1024x1024, "16:9" ->
// 1344x768, ...). InvalidArgument for an unknown ratio.
Result<std::pair<uint32_t, uint32_t>> GeminiImageSize(const std::string& aspect_ratio);

Result<PlaceholderImage> DrawPlaceholder(const std::string& prompt, const std::string& aspect_ratio);

}  // namespace nb
