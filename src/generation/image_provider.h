// The image model behind a generation, as one narrow interface: Gemini ("Nano Banana") in production,
// a placeholder drawn by our own C++ in offline development. The queue consumer only sees this.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nb {

// A reference image for editing: the original's bytes as stored, and their MIME type.
struct ReferenceImage {
  std::string mime_type;
  std::string bytes;
};

struct GenerationInput {
  std::string prompt;
  std::optional<std::string> aspect_ratio;  // one of AspectRatios(); nullopt lets the model choose
  std::vector<ReferenceImage> references;
  std::string model;                    // empty: the provider's default (GEMINI_MODEL)
  std::string image_size;               // "0.5K" | "1K" | "2K" | "4K"; empty: the model's default
  bool grounding = false;               // ground in Google Search (the google_search tool)
  std::optional<std::string> thinking;  // thinkingConfig.thinkingLevel
};

struct GeneratedImage {
  std::string bytes;
  std::string mime_type;
  std::string model;                                // what was asked for, e.g. "gemini-2.5-flash-image"
  std::string model_version;                        // what answered (Gemini's modelVersion)
  nlohmann::json usage = nlohmann::json::object();  // Gemini's usageMetadata as sent
  std::optional<std::string> text;                  // any text the model returned beside the image
  bool placeholder = false;                         // drawn offline, not by a model
  // Search grounding the answer reported: null, or {"queries": [...], "sources": [{"title","uri"}]}.
  nlohmann::json grounding;
};

// Why a generation did not produce an image, and whether trying again may help.
struct GenerationFailure {
  bool retryable = false;
  // A key of src/i18n/messages.cpp shown to the user (en/es) when the image ends FAILED.
  std::string reason_key;
  // For logs and metadata only: the provider's own status and message.
  std::string detail;
  // The provider asked us to wait this long before retrying (Gemini's RetryInfo.retryDelay).
  std::optional<int> retry_after_seconds;
};

using ProviderOutcome = std::variant<GeneratedImage, GenerationFailure>;

class ImageProvider {
 public:
  virtual ~ImageProvider() = default;
  virtual ProviderOutcome Generate(const GenerationInput& input) = 0;
};

}  // namespace nb
