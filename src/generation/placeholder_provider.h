// The offline provider for development without a Gemini key: a deterministic gradient drawn by our
// own C++ (src/imaging/placeholder.h) in the size Gemini would return, marked as a placeholder.
#pragma once

#include <cstdint>
#include <string>

#include "generation/image_provider.h"

namespace nb {

inline constexpr char kPlaceholderModel[] = "placeholder";

// The listed aspect ratio nearest to width:height (by the ratio's logarithm, so 2:1 is as far from 1:1
// as 1:2 is). "1:1" for a zero dimension.
std::string NearestAspectRatio(uint32_t width, uint32_t height);

class PlaceholderProvider final : public ImageProvider {
 public:
  // Without an aspect ratio it matches the first reference's shape, like Gemini, else draws 1:1.
  ProviderOutcome Generate(const GenerationInput& input) override;
};

}  // namespace nb
