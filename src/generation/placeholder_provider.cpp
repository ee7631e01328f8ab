#include "generation/placeholder_provider.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "generation/failure_reasons.h"
#include "imaging/image_probe.h"
#include "imaging/placeholder.h"
#include "services/generation_options.h"

namespace nb {

std::string NearestAspectRatio(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0) return "1:1";
  const double wanted = std::log(double(width) / double(height));
  std::string best = "1:1";
  double best_distance = INFINITY;
  for (const std::string& ratio : AspectRatios()) {
    const size_t colon = ratio.find(':');
    const double w = std::strtod(ratio.c_str(), nullptr);
    const double h = std::strtod(ratio.c_str() + colon + 1, nullptr);
    const double distance = std::fabs(std::log(w / h) - wanted);
    if (distance < best_distance) {
      best_distance = distance;
      best = ratio;
    }
  }
  return best;
}

ProviderOutcome PlaceholderProvider::Generate(const GenerationInput& input) {
  std::string ratio = input.aspect_ratio.value_or("1:1");
  if (!input.aspect_ratio && !input.references.empty()) {
    if (auto probe = ProbeImage(input.references.front().bytes); probe.ok()) {
      ratio = NearestAspectRatio(probe->width, probe->height);
    }
  }
  // The placeholder draws 2.5 Flash Image's ten ratios; Nano Banana 2's 1:4 .. 8:1 get the nearest.
  if (std::find(AspectRatios().begin(), AspectRatios().end(), ratio) == AspectRatios().end()) {
    const size_t colon = ratio.find(':');
    const unsigned long w = std::strtoul(ratio.c_str(), nullptr, 10);
    const unsigned long h =
        colon == std::string::npos ? 0 : std::strtoul(ratio.c_str() + colon + 1, nullptr, 10);
    ratio = NearestAspectRatio(uint32_t(w), uint32_t(h));
  }
  auto drawn = DrawPlaceholder(input.prompt, ratio);
  if (!drawn.ok()) {
    return GenerationFailure{false, generation_reason::kInternal, "placeholder: " + drawn.status().ToString(),
                             std::nullopt};
  }
  GeneratedImage image;
  image.bytes = std::move(drawn->png);
  image.mime_type = "image/png";
  image.model = kPlaceholderModel;
  image.model_version = kPlaceholderModel;
  image.placeholder = true;
  return image;
}

}  // namespace nb
