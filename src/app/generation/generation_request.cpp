#include "app/generation/generation_request.h"

#include <algorithm>

#include "app/images/image_text.h"
#include "generation/image_models.h"
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
  if (it->size() > kMaxReferencesAnyModel) {
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
  if (ratio &&
      std::find(AllAspectRatios().begin(), AllAspectRatios().end(), *ratio) == AllAspectRatios().end()) {
    errors.Add("aspectRatio", "field.unknown_aspect_ratio");
  }
  // Which model, size, tools and thinking level: their shapes here, what the chosen model supports in
  // CheckModelOptions (it needs the offered models).
  auto model = errors.String(body, "model", 64, /*required=*/false);
  auto image_size = errors.String(body, "imageSize", 8, /*required=*/false);
  bool grounding = false;
  if (auto it = body.find("grounding"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean())
      errors.Add("grounding", "field.must_be_boolean");
    else
      grounding = it->get<bool>();
  }
  auto thinking = errors.String(body, "thinking", 16, /*required=*/false);
  if (thinking && thinking->empty()) thinking.reset();
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
  request.model = model.value_or("");
  request.image_size = image_size.value_or("");
  request.grounding = grounding;
  request.thinking = std::move(thinking);
  return request;
}

ApiResult<GenerationRequest> CheckModelOptions(const ImageModelSettings& offer, GenerationRequest request) {
  FieldErrors errors;
  if (request.model.empty()) request.model = offer.Default().Id();
  if (request.image_size.empty()) request.image_size = kDefaultImageSize;
  const OfferedModel* model = offer.Find(request.model);
  if (!model) {
    errors.Add("model", "field.unknown_model");
    return errors.error();
  }
  const ImageModelSpec& spec = *model->spec;
  // Exact spelling: Gemini refuses "1k", so "1k" is not quietly taken for "1K" here either.
  if (!model->CostOf(request.image_size)) errors.Add("imageSize", "field.image_size_unsupported");
  if (request.aspect_ratio && !spec.HasRatio(*request.aspect_ratio))
    errors.Add("aspectRatio", "field.aspect_ratio_unsupported");
  if (request.reference_ids.size() > spec.max_references)
    errors.Add("referenceImageIds", "field.too_many_references_for_model");
  if (request.grounding && !spec.grounding) errors.Add("grounding", "field.grounding_unsupported");
  if (request.thinking && !spec.HasThinkingLevel(*request.thinking))
    errors.Add("thinking", "field.thinking_unsupported");
  return errors.Or(std::move(request));
}

ApiResult<GenerationRequest> GenerationBody(const nlohmann::json& body) {
  FieldErrors errors;
  auto request = ParseGenerationRequest(body, errors);
  if (!request) return errors.error();
  return std::move(*request);
}

}  // namespace nb
