// The body of POST /api/images/generate, checked field by field. The reference ids are only checked
// for shape here; that they name the caller's finished images needs the database (generation_routes.cpp).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/validation.h"
#include "generation/generation_service.h"

namespace nb {

inline constexpr size_t kMaxPromptChars = 5000;

// prompt: 1..5000 code points after trimming, no control characters but line breaks and tabs;
// aspectRatio: one any model offers; referenceImageIds: up to 14 distinct ids; title: optional, as
// CheckImageText; model, imageSize, thinking: text; grounding: a boolean. nullopt when any field failed (each
// failure recorded in errors).
std::optional<GenerationRequest> ParseGenerationRequest(const nlohmann::json& body, FieldErrors& errors);
// What the chosen model (default: the first offered) does not support, each field named in one 422;
// else the request with its model and size filled in.
ApiResult<GenerationRequest> CheckModelOptions(const ImageModelSettings& offer, GenerationRequest request);
// The same as the route's body parser (JsonBody): the request, or the one 422 listing every field.
ApiResult<GenerationRequest> GenerationBody(const nlohmann::json& body);

}  // namespace nb
