// The Nano Banana family: what each Gemini image model can do (a fixed table, from Google's
// documentation) and which of them this deployment offers at what price (IMAGE_MODELS).
// Capabilities are not configuration: a price for a size the model lacks is a start-up error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ports/ports.h"
#include "ports/status.h"

namespace nb {

struct PixelSize {
  int width = 0;
  int height = 0;
};

// One aspect ratio and the pixels the model answers it with at 1K; other sizes scale that.
struct RatioPixels {
  std::string_view ratio;
  PixelSize at_1k;
};

struct ImageModelSpec {
  std::string_view id;                            // the generateContent model id
  std::vector<std::string_view> image_sizes;      // API names, smallest first: "0.5K", "1K", "2K", "4K"
  std::vector<RatioPixels> aspect_ratios;         // in the documentation's order
  size_t max_references = 0;                      // reference images per request
  bool grounding = false;                         // tools: [{google_search: {}}]
  std::vector<std::string_view> thinking_levels;  // thinkingConfig.thinkingLevel values; empty: not settable
  bool thinks = false;            // answers may carry thought parts (text and interim images) to skip
  bool sends_image_size = false;  // imageConfig.imageSize exists for this model (not for 2.5 Flash)

  bool HasSize(std::string_view size) const;
  bool HasRatio(std::string_view ratio) const;
  bool HasThinkingLevel(std::string_view level) const;
  // The answer's pixels for a size and ratio the model has (ratio empty: 1:1); {0,0} otherwise.
  PixelSize Pixels(std::string_view size, std::string_view ratio) const;
};

// Every model the code knows, in catalog order.
const std::vector<ImageModelSpec>& ImageModelCatalog();
const ImageModelSpec* FindImageModelSpec(std::string_view id);
// The value generationConfig.imageConfig.imageSize takes for an API size name ("0.5K" -> "512").
std::string_view GeminiImageSizeValue(std::string_view size);
// The union of every catalog model's aspect ratios (what a request may name at all).
const std::vector<std::string>& AllAspectRatios();
inline constexpr size_t kMaxReferencesAnyModel = 14;
inline constexpr char kDefaultImageSize[] = "1K";

// A model this deployment offers: its display name and a coin price for each size it sells.
struct OfferedModel {
  const ImageModelSpec* spec = nullptr;
  std::string name;
  std::vector<std::pair<std::string, int64_t>> costs;  // in the model's size order

  const std::string Id() const { return std::string(spec->id); }
  std::optional<int64_t> CostOf(std::string_view size) const;
  // One entry of GET /api/config's "models".
  nlohmann::json ToJson(bool is_default) const;
};

struct ImageModelSettings {
  std::vector<OfferedModel> models;  // never empty; the first is the default

  const OfferedModel& Default() const { return models.front(); }
  const OfferedModel* Find(std::string_view id) const;

  // IMAGE_MODELS as JSON text; empty: the three models with default prices, the default's 1K price
  // being `default_cost` (GENERATION_COST_COINS). InvalidArgument names what is wrong.
  static Result<ImageModelSettings> Parse(const std::string& text, int64_t default_cost);
  // As Parse from the Worker vars; falls back to the defaults on a bad value (Settings::Parse refuses
  // to start with one, so the fallback is only for the domain's own entry points).
  static ImageModelSettings FromConfig(const Config& config, int64_t default_cost);
};

}  // namespace nb
