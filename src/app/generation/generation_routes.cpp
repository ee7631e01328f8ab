// POST /api/images/generate: validate, hold the coins, queue the job, answer 202 with the PENDING image.
#include <algorithm>

#include "app/auth/current_user.h"
#include "app/auth/sign_in.h"
#include "app/core/routes.h"
#include "app/generation/generation_request.h"
#include "generation/gemini_client.h"
#include "generation/generation_service.h"
#include "generation/provider_factory.h"
#include "http/json_body.h"
#include "repositories/image_repository.h"

namespace nb {
namespace {

constexpr char kGenerationLimiter[] = "GENERATION_RATE_LIMITER";
constexpr size_t kMaxIdempotencyKeyChars = 128;
// A running job takes seconds to a few minutes; a client told to come back sooner would only spin.
constexpr char kTooManyRunningRetryAfter[] = "30";

// The MIME types Gemini accepts as inline image input (GIF is not among them).
bool IsGeminiInputType(const std::string& content_type) {
  return content_type == "image/png" || content_type == "image/jpeg" || content_type == "image/webp";
}

// Every reference must be the caller's own COMPLETED image in a format Gemini reads, and together they
// must fit Gemini's 20 MB request. Checked before anything is charged.
std::optional<http::ApiError> CheckReferences(RequestContext& ctx, const std::string& user_id,
                                              const GenerationRequest& request) {
  constexpr char kField[] = "referenceImageIds";
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  FieldErrors errors;
  std::vector<int64_t> sizes;
  for (const std::string& id : request.reference_ids) {
    auto image = images.FindByIdForUser(id, user_id);
    if (!image.ok()) {
      if (!image.status().IsNotFound()) return http::ErrorFromStatus(image.status());
      errors.Add(kField, "field.reference_not_found");
      break;
    }
    if (!image->IsReady()) {
      errors.Add(kField, "field.reference_not_ready");
      break;
    }
    if (!IsGeminiInputType(image->content_type.value_or(""))) {
      errors.Add(kField, "field.reference_format");
      break;
    }
    sizes.push_back(image->size.value_or(0));
  }
  if (errors.ok() && GeminiRequestBytesUpperBound(request.prompt.size(), sizes) > kGeminiMaxRequestBytes) {
    errors.Add(kField, "field.references_too_large");
  }
  if (errors.ok()) return std::nullopt;
  return errors.error();
}

Reply GenerateImage(RequestContext& ctx) {
  auto signed_in = RequireUser(ctx);
  if (auto* error = std::get_if<http::ApiError>(&signed_in)) return *error;
  const User& user = std::get<User>(signed_in);
  // Refused before anything is read or charged: staging and production without a Gemini key.
  if (ChooseProvider(ctx.config) == ProviderKind::kNone) {
    return http::ApiError(http::ErrorCode::kServiceUnavailable, "error.generation_unavailable");
  }
  if (auto limited = CheckRateLimit(ctx, kGenerationLimiter, user.id)) return *limited;

  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  FieldErrors errors;
  auto request = ParseGenerationRequest(std::get<nlohmann::json>(parsed), errors);
  if (!request) return errors.error();
  std::optional<std::string> key;
  if (auto header = ctx.request.Header("idempotency-key"); header && !header->empty()) {
    if (header->size() > kMaxIdempotencyKeyChars) {
      return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_idempotency_key");
    }
    key = *header;
  }
  if (auto bad = CheckReferences(ctx, user.id, *request)) return *bad;

  const GenerationSettings settings = GenerationSettings::FromConfig(ctx.config);
  GenerationService service(ctx.ports, settings);
  auto outcome = service.Start(user, *request, key);
  if (!outcome.ok()) return http::ErrorFromStatus(outcome.status());
  using Kind = StartOutcome::Kind;
  switch (outcome->kind) {
    case Kind::kStarted:
    case Kind::kReplayed: return http::Response::Json(202, {{"image", outcome->image->ToJson()}});
    case Kind::kInsufficientCoins: return http::ApiError(http::ErrorCode::kInsufficientCoins);
    case Kind::kTooManyRunning:
      ctx.response_headers.emplace_back("retry-after", kTooManyRunningRetryAfter);
      return http::ApiError(http::ErrorCode::kRateLimited, "error.too_many_generations")
          .Arg("limit", std::to_string(settings.max_running_per_user));
    case Kind::kKeyReused: return http::ApiError(http::ErrorCode::kConflict, "error.idempotency_reused");
    case Kind::kEnqueueFailed: {
      http::ApiError error(http::ErrorCode::kServiceUnavailable, "error.generation_unavailable");
      error.cause = outcome->cause;
      return error;
    }
  }
  return http::ApiError(http::ErrorCode::kInternal);
}

}  // namespace

void AddGenerationRoutes(http::Router<Handler>& router) {
  router.Add("POST", "/api/images/generate", GenerateImage);
}

}  // namespace nb
