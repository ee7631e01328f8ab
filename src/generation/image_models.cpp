// The capability table. Sources (read 2026-12):
//   https://ai.google.dev/gemini-api/docs/image-generation  ("Nano Banana" image generation: the
//     aspect ratio / resolution tables per model, imageConfig.imageSize with an upper-case K, up to 14
//     reference images for the Gemini 3 models and 3 for 2.5 Flash Image, Google Search grounding
//     and thinking for the Gemini 3 models, thinkingLevel minimal|high for 3.1 Flash Image)
//   https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/3-pro-image and
//   .../models/gemini/3-1-flash-image  (supported aspect ratios incl. 1:4, 4:1, 1:8, 8:1 for 3.1
//     Flash Image; 512 px (0.5K) output for 3.1 Flash Image only; 14 images per prompt)
// Pixel sizes: 2.5 Flash Image's own table; the Gemini 3 models share one 1K table that 2K doubles and
// 4K quadruples (0.5K halves it), which is how the documentation's tables are built.
#include "generation/image_models.h"

#include <algorithm>

#include "ports/sql_row.h"

namespace nb {
namespace {

using nlohmann::json;

const std::vector<RatioPixels> kFlash25Ratios = {
    {"1:1", {1024, 1024}}, {"2:3", {832, 1248}},  {"3:2", {1248, 832}}, {"3:4", {864, 1184}},
    {"4:3", {1184, 864}},  {"4:5", {896, 1152}},  {"5:4", {1152, 896}}, {"9:16", {768, 1344}},
    {"16:9", {1344, 768}}, {"21:9", {1536, 672}},
};

const std::vector<RatioPixels> kGemini3Ratios = {
    {"1:1", {1024, 1024}}, {"2:3", {848, 1264}},  {"3:2", {1264, 848}}, {"3:4", {896, 1200}},
    {"4:3", {1200, 896}},  {"4:5", {928, 1152}},  {"5:4", {1152, 928}}, {"9:16", {768, 1376}},
    {"16:9", {1376, 768}}, {"21:9", {1584, 672}},
};

std::vector<RatioPixels> Flash31Ratios() {
  std::vector<RatioPixels> ratios = kGemini3Ratios;
  ratios.push_back({"1:4", {512, 2048}});
  ratios.push_back({"4:1", {2048, 512}});
  ratios.push_back({"1:8", {384, 3072}});
  ratios.push_back({"8:1", {3072, 384}});
  return ratios;
}

// Multiplier of the 1K pixels, in halves: 0.5K = 1, 1K = 2, 2K = 4, 4K = 8.
int HalvesOf(std::string_view size) {
  if (size == "0.5K") return 1;
  if (size == "1K") return 2;
  if (size == "2K") return 4;
  if (size == "4K") return 8;
  return 0;
}

// The shipped prices (API.md's example); the default model's 1K price is GENERATION_COST_COINS.
struct DefaultOffer {
  std::string_view id;
  std::string_view name;
  std::vector<std::pair<std::string_view, int64_t>> costs;
};
const std::vector<DefaultOffer>& DefaultOffers() {
  static const std::vector<DefaultOffer> offers = {
      {"gemini-2.5-flash-image", "Nano Banana", {{"1K", 10}}},
      {"gemini-3.1-flash-image-preview", "Nano Banana 2", {{"0.5K", 6}, {"1K", 10}, {"2K", 15}, {"4K", 25}}},
      {"gemini-3-pro-image-preview", "Nano Banana Pro", {{"1K", 30}, {"2K", 30}, {"4K", 50}}},
  };
  return offers;
}

Status Bad(const std::string& what) { return Status::InvalidArgument("IMAGE_MODELS: " + what); }

}  // namespace

bool ImageModelSpec::HasSize(std::string_view size) const {
  return std::find(image_sizes.begin(), image_sizes.end(), size) != image_sizes.end();
}

bool ImageModelSpec::HasRatio(std::string_view ratio) const {
  return std::any_of(aspect_ratios.begin(), aspect_ratios.end(),
                     [&](const RatioPixels& r) { return r.ratio == ratio; });
}

bool ImageModelSpec::HasThinkingLevel(std::string_view level) const {
  return std::find(thinking_levels.begin(), thinking_levels.end(), level) != thinking_levels.end();
}

PixelSize ImageModelSpec::Pixels(std::string_view size, std::string_view ratio) const {
  if (!HasSize(size)) return {};
  if (ratio.empty()) ratio = "1:1";
  for (const RatioPixels& r : aspect_ratios) {
    if (r.ratio == ratio) {
      const int halves = HalvesOf(size);
      return {r.at_1k.width * halves / 2, r.at_1k.height * halves / 2};
    }
  }
  return {};
}

const std::vector<ImageModelSpec>& ImageModelCatalog() {
  static const std::vector<ImageModelSpec> catalog = {
      // Nano Banana (August 2025): about 1 MP only, no imageSize, up to 3 references.
      {"gemini-2.5-flash-image", {"1K"}, kFlash25Ratios, 3, false, {}, false, false},
      // Nano Banana 2: 512 px to 4K, four extreme ratios more, web and image search grounding,
      // a thinking level.
      {"gemini-3.1-flash-image-preview",
       {"0.5K", "1K", "2K", "4K"},
       Flash31Ratios(),
       14,
       true,
       {"minimal", "high"},
       true,
       true},
      // Nano Banana Pro: 1K to 4K, always thinks (no level to set), Google Search grounding.
      {"gemini-3-pro-image-preview", {"1K", "2K", "4K"}, kGemini3Ratios, 14, true, {}, true, true},
  };
  return catalog;
}

const ImageModelSpec* FindImageModelSpec(std::string_view id) {
  for (const ImageModelSpec& spec : ImageModelCatalog())
    if (spec.id == id) return &spec;
  return nullptr;
}

std::string_view GeminiImageSizeValue(std::string_view size) {
  // The documentation writes the smallest size as "512px (0.5K)"; the API takes "512".
  return size == "0.5K" ? std::string_view("512") : size;
}

const std::vector<std::string>& AllAspectRatios() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out;
    for (const ImageModelSpec& spec : ImageModelCatalog()) {
      for (const RatioPixels& r : spec.aspect_ratios) {
        if (std::find(out.begin(), out.end(), r.ratio) == out.end()) out.emplace_back(r.ratio);
      }
    }
    return out;
  }();
  return all;
}

std::optional<int64_t> OfferedModel::CostOf(std::string_view size) const {
  for (const auto& [name, cost] : costs)
    if (name == size) return cost;
  return std::nullopt;
}

json OfferedModel::ToJson(bool is_default) const {
  json sizes = json::array();
  json cost_map = json::object();
  for (const auto& [size, cost] : costs) {
    sizes.push_back(size);
    cost_map[size] = cost;
  }
  json ratios = json::array();
  for (const RatioPixels& r : spec->aspect_ratios) ratios.push_back(std::string(r.ratio));
  return {{"id", Id()},
          {"name", name},
          {"default", is_default},
          {"imageSizes", std::move(sizes)},
          {"aspectRatios", std::move(ratios)},
          {"maxReferences", spec->max_references},
          {"grounding", spec->grounding},
          {"thinking", !spec->thinking_levels.empty()},
          {"costs", std::move(cost_map)}};
}

const OfferedModel* ImageModelSettings::Find(std::string_view id) const {
  for (const OfferedModel& m : models)
    if (m.spec->id == id) return &m;
  return nullptr;
}

Result<ImageModelSettings> ImageModelSettings::Parse(const std::string& text, int64_t default_cost) {
  ImageModelSettings settings;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    for (const DefaultOffer& offer : DefaultOffers()) {
      OfferedModel m;
      m.spec = FindImageModelSpec(offer.id);
      m.name = std::string(offer.name);
      for (const auto& [size, cost] : offer.costs) m.costs.emplace_back(std::string(size), cost);
      settings.models.push_back(std::move(m));
    }
    for (auto& [size, cost] : settings.models.front().costs)
      if (size == kDefaultImageSize) cost = default_cost;
    return settings;
  }

  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_array() || doc.empty()) return Bad("must be a non-empty JSON array of models");
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& entry = doc[i];
    const std::string at = "model " + std::to_string(i + 1);
    if (!entry.is_object()) return Bad(at + " is not an object");
    auto id = entry.find("id");
    if (id == entry.end() || !id->is_string()) return Bad(at + " needs an \"id\"");
    const std::string model_id = id->get<std::string>();
    const ImageModelSpec* spec = FindImageModelSpec(model_id);
    if (!spec) return Bad("unknown model \"" + model_id + "\"");
    if (settings.Find(model_id)) return Bad("model \"" + model_id + "\" is listed twice");
    OfferedModel m;
    m.spec = spec;
    auto name = entry.find("name");
    m.name = name != entry.end() && name->is_string() && !name->get<std::string>().empty()
                 ? name->get<std::string>()
                 : model_id;
    auto costs = entry.find("costs");
    if (costs == entry.end() || !costs->is_object() || costs->empty())
      return Bad("model \"" + model_id + "\" needs \"costs\", an object of image size to coins");
    for (auto it = costs->begin(); it != costs->end(); ++it) {
      if (!spec->HasSize(it.key()))
        return Bad("model \"" + model_id + "\" has no image size \"" + it.key() + "\"");
      if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > kMaxSafeInteger)
        return Bad("the price of \"" + model_id + "\" at " + it.key() +
                   " must be a whole number of coins >= 1");
    }
    for (std::string_view size : spec->image_sizes) {
      if (auto c = costs->find(std::string(size)); c != costs->end())
        m.costs.emplace_back(std::string(size), c->get<int64_t>());
    }
    // 1K is every request's default size, so every offered model sells it.
    if (!m.CostOf(kDefaultImageSize)) return Bad("model \"" + model_id + "\" needs a price for 1K");
    settings.models.push_back(std::move(m));
  }
  return settings;
}

ImageModelSettings ImageModelSettings::FromConfig(const Config& config, int64_t default_cost) {
  auto parsed = Parse(config.Get("IMAGE_MODELS"), default_cost);
  if (parsed.ok()) return std::move(parsed).value();
  return std::move(Parse("", default_cost)).value();
}

}  // namespace nb
