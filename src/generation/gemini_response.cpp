// Reading generateContent's answer. Gemini says "no" in two ways: an HTTP error with Google's
// {"error":{code,message,status,details}} envelope, or HTTP 200 without an image (a blocked prompt,
// a finishReason, or only text). Each becomes a GenerationFailure that says whether retrying may help.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "generation/failure_reasons.h"
#include "generation/gemini_client.h"
#include "util/base64.h"
#include "util/json_blobs.h"

namespace nb {
namespace {

namespace reason = generation_reason;
using nlohmann::json;

constexpr size_t kMaxDetailChars = 300;
constexpr size_t kMaxTextChars = 2000;

std::string Truncate(std::string s, size_t n) {
  if (s.size() > n) s.resize(n);
  return s;
}

GenerationFailure Final(const char* key, std::string detail) {
  return {false, key, Truncate(std::move(detail), kMaxDetailChars), std::nullopt};
}

GenerationFailure Retryable(const char* key, std::string detail, std::optional<int> after = std::nullopt) {
  return {true, key, Truncate(std::move(detail), kMaxDetailChars), after};
}

// REST answers in camelCase, but the API also accepts (and proxies may echo) snake_case.
const json* Field(const json& object, const char* camel, const char* snake = nullptr) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(camel); it != object.end()) return &*it;
  if (snake) {
    if (auto it = object.find(snake); it != object.end()) return &*it;
  }
  return nullptr;
}

// A string value as the answer spelled it, seeing through JsonBlobs' placeholders; empty when
// absent or not a string. A view into the parsed document or the HTTP body.
std::string_view StringView(const json* v, const JsonBlobs& blobs) {
  return v && v->is_string() ? blobs.Resolve(v->get_ref<const std::string&>()) : std::string_view();
}

// Error answers are parsed whole; they have no placeholders to see through.
const JsonBlobs kNoBlobs;

std::string StringField(const json& object, const char* camel, const char* snake = nullptr,
                        const JsonBlobs& blobs = kNoBlobs) {
  return std::string(StringView(Field(object, camel, snake), blobs));
}

bool IsOneOf(const std::string& value, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (value == n) return true;
  }
  return false;
}

std::optional<int> RetryDelayOf(const json& details) {
  if (!details.is_array()) return std::nullopt;
  for (const auto& d : details) {
    if (StringField(d, "@type") == "type.googleapis.com/google.rpc.RetryInfo") {
      return ParseRetryDelaySeconds(StringField(d, "retryDelay", "retry_delay"));
    }
  }
  return std::nullopt;
}

bool HasErrorReason(const json& details, const char* wanted) {
  if (!details.is_array()) return false;
  for (const auto& d : details) {
    if (StringField(d, "@type") == "type.googleapis.com/google.rpc.ErrorInfo" &&
        StringField(d, "reason") == wanted) {
      return true;
    }
  }
  return false;
}

std::optional<int> RetryAfterHeader(const HttpResponse& response) {
  const std::string v = response.Header("retry-after");
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::max(1, std::atoi(v.c_str()));
}

GenerationFailure ClassifyHttpError(const HttpResponse& response) {
  const json body = json::parse(response.body, nullptr, false);
  const json* error = body.is_object() ? Field(body, "error") : nullptr;
  const json empty = json::object();
  const json& e = error && error->is_object() ? *error : empty;
  const std::string status = StringField(e, "status");
  const json* details = Field(e, "details");
  const json& detail_list = details ? *details : empty;
  const std::string detail = "HTTP " + std::to_string(response.status) +
                             (status.empty() ? "" : " " + status) + ": " + StringField(e, "message");
  const int code = response.status;

  if (code == 429) {
    std::optional<int> after = RetryDelayOf(detail_list);
    if (!after) after = RetryAfterHeader(response);
    return Retryable(reason::kProviderBusy, detail, after);
  }
  if (code == 408 || code >= 500)
    return Retryable(reason::kProviderUnavailable, detail, RetryAfterHeader(response));
  // Our side is misconfigured (bad or missing key, unknown model, API not enabled, unsupported
  // region): no retry helps and the user can do nothing about it.
  if (code == 401 || code == 403 || code == 404 || HasErrorReason(detail_list, "API_KEY_INVALID") ||
      status == "FAILED_PRECONDITION" || status == "PERMISSION_DENIED" || status == "UNAUTHENTICATED") {
    return Final(reason::kProviderConfig, detail);
  }
  if (code == 413) return Final(reason::kRequestTooLarge, detail);
  return Final(reason::kInvalidRequest, detail);
}

constexpr size_t kMaxGroundingItems = 20;
constexpr size_t kMaxGroundingChars = 512;

bool IsWebUri(std::string_view uri) { return uri.rfind("https://", 0) == 0 || uri.rfind("http://", 0) == 0; }

// candidates[0].groundingMetadata reduced to what the image keeps and shows: the searches Gemini ran
// (webSearchQueries, and imageSearchQueries for image search) and the pages it drew on
// (groundingChunks[].web, or .image, {uri,title}). Only http(s) links are kept: they become links in
// the web app. Null when the answer was not grounded.
json GroundingOf(const json& candidate, const JsonBlobs& blobs) {
  const json* metadata = Field(candidate, "groundingMetadata", "grounding_metadata");
  if (!metadata || !metadata->is_object()) return nullptr;
  json queries = json::array();
  for (auto [camel, snake] : {std::pair{"webSearchQueries", "web_search_queries"},
                              std::pair{"imageSearchQueries", "image_search_queries"}}) {
    const json* list = Field(*metadata, camel, snake);
    if (!list || !list->is_array()) continue;
    for (const json& q : *list) {
      if (!q.is_string() || queries.size() >= kMaxGroundingItems) continue;
      std::string text(blobs.Resolve(q.get_ref<const std::string&>()));
      if (!text.empty()) queries.push_back(Truncate(std::move(text), kMaxGroundingChars));
    }
  }
  json sources = json::array();
  if (const json* chunks = Field(*metadata, "groundingChunks", "grounding_chunks");
      chunks && chunks->is_array()) {
    for (const json& chunk : *chunks) {
      if (!chunk.is_object() || sources.size() >= kMaxGroundingItems) continue;
      const json* source = Field(chunk, "web");
      if (!source) source = Field(chunk, "image");
      if (!source || !source->is_object()) continue;
      std::string uri = StringField(*source, "uri", nullptr, blobs);
      if (uri.size() > 2048 || !IsWebUri(uri)) continue;
      std::string title = Truncate(StringField(*source, "title", nullptr, blobs), kMaxGroundingChars);
      if (title.empty()) title = uri.substr(0, kMaxGroundingChars);
      sources.push_back({{"title", std::move(title)}, {"uri", std::move(uri)}});
    }
  }
  if (queries.empty() && sources.empty()) return nullptr;
  return {{"queries", std::move(queries)}, {"sources", std::move(sources)}};
}

}  // namespace

std::optional<int> ParseRetryDelaySeconds(const std::string& duration) {
  if (duration.size() < 2 || duration.size() > 24 || duration.back() != 's') return std::nullopt;
  const std::string number = duration.substr(0, duration.size() - 1);
  if (number.find_first_not_of("0123456789.") != std::string::npos || number.front() == '.' ||
      std::count(number.begin(), number.end(), '.') > 1) {
    return std::nullopt;
  }
  const double seconds = std::strtod(number.c_str(), nullptr);
  if (!(seconds >= 0) || seconds > 86400.0 * 365) return std::nullopt;
  return std::max(1, static_cast<int>(std::ceil(seconds)));
}

GenerationFailure GeminiTransportFailure(const Status& status) {
  return Retryable(reason::kProviderUnavailable, "no HTTP answer: " + status.ToString());
}

ProviderOutcome ParseGeminiResponse(const HttpResponse& response, const std::string& model) {
  if (response.status < 200 || response.status > 299) return ClassifyHttpError(response);
  // The image's base64 (megabytes) stays in response.body: the parser sees a placeholder instead.
  const JsonBlobs blobs = JsonBlobs::Extract(response.body);
  const std::string_view text_to_parse = blobs.text();
  const json body =
      json::parse(text_to_parse.data(), text_to_parse.data() + text_to_parse.size(), nullptr, false);
  if (!body.is_object()) return Retryable(reason::kProviderError, "HTTP 200 whose body is not a JSON object");

  // The prompt itself was refused: no candidates, only promptFeedback.blockReason.
  if (const json* feedback = Field(body, "promptFeedback", "prompt_feedback")) {
    if (const std::string block = StringField(*feedback, "blockReason", "block_reason", blobs);
        !block.empty()) {
      return Final(reason::kPromptBlocked, "promptFeedback.blockReason " + block);
    }
  }
  const json* candidates = Field(body, "candidates");
  if (!candidates || !candidates->is_array() || candidates->empty() || !(*candidates)[0].is_object()) {
    return Retryable(reason::kProviderError, "HTTP 200 without candidates or a block reason");
  }
  const json& candidate = (*candidates)[0];
  const std::string finish = StringField(candidate, "finishReason", "finish_reason", blobs);
  if (IsOneOf(finish, {"SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT",
                       "BLOCKLIST", "SPII"})) {
    return Final(reason::kImageBlocked, "finishReason " + finish);
  }
  if (IsOneOf(finish, {"RECITATION", "IMAGE_RECITATION"}))
    return Final(reason::kRecitation, "finishReason " + finish);

  // The image may sit in any part, after text or after "thought" drafts; the first final one wins.
  const json* image_part = nullptr;
  std::string text;
  const json* content = Field(candidate, "content");
  const json* parts = content ? Field(*content, "parts") : nullptr;
  if (parts && parts->is_array()) {
    for (const auto& part : *parts) {
      if (!part.is_object()) continue;
      if (const json* thought = Field(part, "thought");
          thought && thought->is_boolean() && thought->get<bool>())
        continue;
      if (const json* inline_data = Field(part, "inlineData", "inline_data"); inline_data && !image_part) {
        if (StringField(*inline_data, "mimeType", "mime_type", blobs).rfind("image/", 0) == 0)
          image_part = inline_data;
      }
      if (const json* t = Field(part, "text"); t && t->is_string() && text.size() < kMaxTextChars) {
        text += StringView(t, blobs);
      }
    }
  }
  if (!image_part) {
    std::string detail = "no image; finishReason " + (finish.empty() ? std::string("absent") : finish);
    if (!text.empty()) detail += "; text: " + text;
    return Final(reason::kNoImage, detail);
  }

  // Decoded straight from the HTTP body, without a copy of the base64 text.
  const json* data = Field(*image_part, "data");
  std::optional<std::string> bytes;
  if (data && data->is_string()) bytes = Base64Decode(StringView(data, blobs));
  if (!bytes || bytes->empty())
    return Retryable(reason::kProviderError, "inlineData.data is not valid base64");

  GeneratedImage image;
  image.bytes = std::move(*bytes);
  image.mime_type = StringField(*image_part, "mimeType", "mime_type", blobs);
  image.model = model;
  image.model_version = StringField(body, "modelVersion", "model_version", blobs);
  if (const json* usage = Field(body, "usageMetadata", "usage_metadata"); usage && usage->is_object()) {
    image.usage = *usage;
    blobs.Restore(image.usage);  // kept whole, so no placeholder may stay in it
  }
  if (!text.empty()) image.text = Truncate(std::move(text), kMaxTextChars);
  image.grounding = GroundingOf(candidate, blobs);
  return image;
}

ProviderOutcome GeminiProvider::Generate(const GenerationInput& input) {
  auto request = BuildGeminiRequest(settings_, input);
  if (!request.ok()) return Final(reason::kRequestTooLarge, request.status().message());
  auto response = http_.Fetch(*request);
  if (!response.ok()) return GeminiTransportFailure(response.status());
  return ParseGeminiResponse(*response, input.model.empty() ? settings_.model : input.model);
}

}  // namespace nb
