// POST /api/images/generate: validate, hold the coins, queue the job, answer 202 with the PENDING image.
// Every step answers the same way: an ApiResult, unwrapped with NB_TRY.
#include <algorithm>

#include "app/core/routes.h"
#include "app/generation/generation_request.h"
#include "app/images/share_links.h"
#include "generation/gemini_client.h"
#include "generation/generation_service.h"

namespace nb {
namespace {

constexpr char kGenerationLimiter[] = "GENERATION_RATE_LIMITER";
// A running job takes seconds to a few minutes; a client told to come back sooner would only spin.
constexpr char kTooManyRunningRetryAfter[] = "30";

// Refused before anything is read or charged: staging and production without a Gemini key.
Reply GenerationOffered(RequestScope& scope, const Handler& next) {
  if (scope.settings.provider == ProviderKind::kNone) {
    return http::ApiError(http::ErrorCode::kServiceUnavailable, "error.generation_unavailable");
  }
  return next(scope);
}

// The MIME types Gemini accepts as inline image input (GIF is not among them).
bool IsGeminiInputType(const std::string& content_type) {
  return content_type == "image/png" || content_type == "image/jpeg" || content_type == "image/webp";
}

// Every reference must be the caller's own COMPLETED image in a format Gemini reads, and together they
// must fit Gemini's 20 MB request. Checked before anything is charged.
ApiResult<> CheckReferences(RequestScope& scope, const GenerationRequest& request) {
  constexpr char kField[] = "referenceImageIds";
  FieldErrors errors;
  std::vector<int64_t> sizes;
  for (const std::string& id : request.reference_ids) {
    auto image = scope.repos.images.FindByIdForUser(id, scope.user().id);
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
  if (!errors.ok()) return errors.error();
  return {};
}

// What the service's outcome means for the client: the image, or why not.
ApiResult<Image> StartedImage(RequestScope& scope, const StartOutcome& outcome) {
  using Kind = StartOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kStarted:
    case Kind::kReplayed: return *outcome.image;
    case Kind::kInsufficientCoins: return http::ErrorCode::kInsufficientCoins;
    case Kind::kTooManyRunning:
      scope.response_headers.emplace_back("retry-after", kTooManyRunningRetryAfter);
      return http::ApiError(http::ErrorCode::kRateLimited, "error.too_many_generations")
          .Arg("limit", std::to_string(scope.settings.generation.max_running_per_user));
    case Kind::kKeyReused: return http::ApiError(http::ErrorCode::kConflict, "error.idempotency_reused");
    case Kind::kReplayedDeleted:
      return http::ApiError(http::ErrorCode::kConflict, "error.idempotency_image_deleted");
    case Kind::kEnqueueFailed: {
      http::ApiError error(http::ErrorCode::kServiceUnavailable, "error.generation_unavailable");
      error.cause = outcome.cause;
      return error;
    }
  }
  return http::ErrorCode::kInternal;
}

Reply GenerateImage(RequestScope& scope) {
  // The model's options first: they fill in the defaults the replay's request hash covers.
  const GenerationRequest request =
      NB_TRY(CheckModelOptions(scope.settings.generation.models, scope.body<GenerationRequest>()));
  GenerationService service(scope.ports, scope.settings.generation);
  // A replay answers the key's original outcome before anything else is checked: a reference deleted
  // since the first request must not turn the replay into a 422.
  if (scope.idempotency_key) {
    const auto replay = NB_TRY(service.FindReplay(scope.user(), request, *scope.idempotency_key));
    if (replay) {
      const Image image = NB_TRY(StartedImage(scope, *replay));
      return http::Response::Json(202, {{"image", ImageJson(scope, image)}});
    }
  }
  NB_TRY(CheckReferences(scope, request));
  const StartOutcome outcome = NB_TRY(service.Start(scope.user(), request, scope.idempotency_key));
  const Image image = NB_TRY(StartedImage(scope, outcome));
  return http::Response::Json(202, {{"image", ImageJson(scope, image)}});
}

}  // namespace

void AddGenerationRoutes(RouteTable& app) {
  app.Post("/api/images/generate",
           {SignedIn, GenerationOffered, RateLimited(kGenerationLimiter, PerUser()), JsonBody(GenerationBody),
            IdempotencyKey()},
           GenerateImage);
}

}  // namespace nb
