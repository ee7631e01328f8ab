#include "app/generation/generation_request.h"

#include <algorithm>

#include "app/images/image_text.h"
#include "services/generation_options.h"
#include "util/ids.h"

namespace nb {
namespace {

bool HasControlCharacters(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) {
    return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F;
  });
}

std::optional<std::vector<std::string>> ReadReferenceIds(const nlohmann::json& body, FieldErrors& errors) {
  constexpr char kField[] = "referenceImageIds";
  auto it = body.find(kField);
  if (it == body.end() || it->is_null()) return std::vector<std::string>();
  if (!it->is_array()) {
    errors.Add(kField, "field.reference_ids_list");
    return std::nullopt;
  }
  if (it->size() > kMaxReferenceImages) {
    errors.Add(kField, "field.too_many_references");
    return std::nullopt;
  }
  std::vector<std::string> ids;
  for (const auto& v : *it) {
    if (!v.is_string()) {
      errors.Add(kField, "field.reference_ids_list");
      return std::nullopt;
    }
    // A malformed id cannot name an image the caller owns: the same answer as for someone else's.
    const std::string id = v.get<std::string>();
    if (!IsValidId(id)) {
      errors.Add(kField, "field.reference_not_found");
      return std::nullopt;
    }
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      errors.Add(kField, "field.duplicate_reference");
      return std::nullopt;
    }
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

std::optional<GenerationRequest> ParseGenerationRequest(const nlohmann::json& body, FieldErrors& errors) {
  GenerationRequest request;
  auto prompt = errors.String(body, "prompt", kMaxPromptChars, /*required=*/true);
  if (prompt && HasControlCharacters(*prompt)) {
    errors.Add("prompt", "field.control_characters");
    prompt.reset();
  }
  auto ratio = errors.String(body, "aspectRatio", 8, /*required=*/false);
  if (ratio && ratio->empty()) ratio.reset();
  if (ratio && std::find(AspectRatios().begin(), AspectRatios().end(), *ratio) == AspectRatios().end()) {
    errors.Add("aspectRatio", "field.unknown_aspect_ratio");
  }
  auto references = ReadReferenceIds(body, errors);
  std::optional<std::string> title;
  if (auto it = body.find("title"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) {
      errors.Add("title", "field.must_be_string");
    } else {
      title = CheckImageText(errors, "title", it->get<std::string>());
      if (title && title->empty()) title.reset();
    }
  }
  if (!errors.ok() || !prompt || !references) return std::nullopt;
  request.prompt = std::move(*prompt);
  request.aspect_ratio = std::move(ratio);
  request.reference_ids = std::move(*references);
  request.title = std::move(title);
  return request;
}

ApiResult<GenerationRequest> GenerationBody(const nlohmann::json& body) {
  FieldErrors errors;
  auto request = ParseGenerationRequest(body, errors);
  if (!request) return errors.error();
  return std::move(*request);
}

}  // namespace nb
