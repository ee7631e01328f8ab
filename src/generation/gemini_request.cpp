// Building the generateContent request. The body is written by hand rather than through a json
// object: the references' base64 (up to 20 MB) is then copied once, not three times.
#include "generation/gemini_client.h"
#include "generation/image_models.h"
#include "util/base64.h"
#include "util/json_text.h"

namespace nb {
namespace {

constexpr size_t kBodyOverheadBytes = 512;  // the fixed JSON around the parts
constexpr size_t kPartOverheadBytes = 96;   // {"inline_data":{"mime_type":"image/jpeg","data":""}},

size_t Base64Length(size_t n) { return (n + 2) / 3 * 4; }

}  // namespace

GeminiSettings GeminiSettings::FromConfig(const Config& config) {
  GeminiSettings s;
  s.api_base = config.Get("GEMINI_API_BASE", kDefaultGeminiApiBase);
  while (!s.api_base.empty() && s.api_base.back() == '/') s.api_base.pop_back();
  s.model = config.Get("GEMINI_MODEL", kDefaultGeminiModel);
  s.api_key = config.Get("GEMINI_API_KEY");
  s.timeout_ms = static_cast<int>(config.GetInt("GEMINI_TIMEOUT_MS", kDefaultGeminiTimeoutMs));
  return s;
}

size_t GeminiRequestBytesUpperBound(size_t prompt_bytes, const std::vector<int64_t>& reference_sizes) {
  // A JSON string escape is at most 6 bytes (\u001f) per input byte.
  size_t total = kBodyOverheadBytes + 6 * prompt_bytes;
  for (int64_t size : reference_sizes)
    total += kPartOverheadBytes + Base64Length(size > 0 ? size_t(size) : 0);
  return total;
}

Result<HttpRequest> BuildGeminiRequest(const GeminiSettings& settings, const GenerationInput& input) {
  const std::string prompt = JsonText(input.prompt);
  size_t expected = kBodyOverheadBytes + prompt.size();
  for (const auto& ref : input.references) expected += kPartOverheadBytes + Base64Length(ref.bytes.size());
  if (expected > kGeminiMaxRequestBytes) {
    return Status::InvalidArgument("generateContent request would be " + std::to_string(expected) +
                                   " bytes, over Gemini's 20 MB limit");
  }

  const std::string model = input.model.empty() ? settings.model : input.model;
  const ImageModelSpec* spec = FindImageModelSpec(model);
  nlohmann::json generation_config = {{"responseModalities", {"IMAGE"}}};
  nlohmann::json image_config = nlohmann::json::object();
  if (input.aspect_ratio) image_config["aspectRatio"] = *input.aspect_ratio;
  // 2.5 Flash Image has no imageSize field (it answers about 1 MP); Gemini refuses unknown fields.
  if (!input.image_size.empty() && spec && spec->sends_image_size)
    image_config["imageSize"] = std::string(GeminiImageSizeValue(input.image_size));
  if (!image_config.empty()) generation_config["imageConfig"] = std::move(image_config);
  if (input.thinking) generation_config["thinkingConfig"] = {{"thinkingLevel", *input.thinking}};

  HttpRequest request;
  request.method = "POST";
  request.url = settings.api_base + "/v1beta/models/" + model + ":generateContent";
  request.headers = {{"content-type", "application/json"}, {"x-goog-api-key", settings.api_key}};
  request.timeout_ms = settings.timeout_ms;
  std::string& body = request.body;
  body.reserve(expected);
  body += R"({"contents":[{"role":"user","parts":[{"text":)";
  body += prompt;
  body += '}';
  for (const auto& ref : input.references) {
    body += R"(,{"inline_data":{"mime_type":)";
    body += JsonText(ref.mime_type);
    body += R"(,"data":")";
    body += Base64Encode(ref.bytes);  // the alphabet needs no JSON escaping
    body += R"("}})";
  }
  body += R"(]}],"generationConfig":)";
  body += JsonText(generation_config);
  if (input.grounding) body += R"(,"tools":[{"google_search":{}}])";
  body += '}';
  if (body.size() > kGeminiMaxRequestBytes) {
    return Status::InvalidArgument("generateContent request is over Gemini's 20 MB limit");
  }
  return request;
}

}  // namespace nb
