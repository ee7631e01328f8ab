// Google's Gemini API as an image provider: the generateContent request for "Nano Banana"
// (gemini-2.5-flash-image) and every way its answer can say yes or no.
//   POST {base}/v1beta/models/{model}:generateContent, header x-goog-api-key (never the key in the URL)
//   {"contents":[{"role":"user","parts":[{"text":prompt},{"inline_data":{"mime_type","data"}}...]}],
//    "generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"16:9"}}}
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generation/image_provider.h"
#include "ports/http_client.h"
#include "ports/ports.h"

namespace nb {

// Gemini refuses inline requests over 20 MB (files, prompt and all); larger ones need its Files API.
inline constexpr size_t kGeminiMaxRequestBytes = 20 * 1000 * 1000;
inline constexpr char kDefaultGeminiApiBase[] = "https://generativelanguage.googleapis.com";
inline constexpr char kDefaultGeminiModel[] = "gemini-2.5-flash-image";
// An image takes seconds; a minute and a half without an answer is treated as a failed attempt.
inline constexpr int kDefaultGeminiTimeoutMs = 90'000;

struct GeminiSettings {
  std::string api_base = kDefaultGeminiApiBase;  // without a trailing '/'
  std::string model = kDefaultGeminiModel;
  std::string api_key;
  int timeout_ms = kDefaultGeminiTimeoutMs;

  // GEMINI_API_BASE, GEMINI_MODEL, GEMINI_API_KEY, GEMINI_TIMEOUT_MS.
  static GeminiSettings FromConfig(const Config& config);
};

// The request's body size for a prompt and references of these byte sizes, rounded up; lets the
// HTTP handler refuse references that could never be sent before it charges anything.
size_t GeminiRequestBytesUpperBound(size_t prompt_bytes, const std::vector<int64_t>& reference_sizes);

// The HTTP request; InvalidArgument when the body would exceed kGeminiMaxRequestBytes.
Result<HttpRequest> BuildGeminiRequest(const GeminiSettings& settings, const GenerationInput& input);

// One HTTP answer from generateContent as an image or a classified failure. `model` is what was
// asked for (recorded beside the modelVersion Gemini reports).
ProviderOutcome ParseGeminiResponse(const HttpResponse& response, const std::string& model);

// A request that got no HTTP answer (the HttpClient's kUnavailable: network error or timeout).
GenerationFailure GeminiTransportFailure(const Status& status);

// google.protobuf.Duration as JSON writes it ("7s", "1.5s", "0.250s") in whole seconds, rounded up
// (at least 1); nullopt when malformed.
std::optional<int> ParseRetryDelaySeconds(const std::string& duration);

class GeminiProvider final : public ImageProvider {
 public:
  GeminiProvider(HttpClient& http, GeminiSettings settings) : http_(http), settings_(std::move(settings)) {}
  ProviderOutcome Generate(const GenerationInput& input) override;

 private:
  HttpClient& http_;
  GeminiSettings settings_;
};

}  // namespace nb
