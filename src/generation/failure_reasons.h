// Message keys (src/i18n/messages.cpp, en and es) for why a generation ended FAILED. Stable: the key
// is also kept in the image's metadata as "errorKey" so clients can tell failures apart.
#pragma once

namespace nb::generation_reason {

inline constexpr char kPromptBlocked[] = "generation.prompt_blocked";  // promptFeedback.blockReason
inline constexpr char kImageBlocked[] = "generation.image_blocked";    // IMAGE_SAFETY, SAFETY, ...
inline constexpr char kRecitation[] = "generation.recitation";         // IMAGE_RECITATION, RECITATION
inline constexpr char kNoImage[] = "generation.no_image";  // NO_IMAGE, IMAGE_OTHER, text-only answers
inline constexpr char kInvalidRequest[] = "generation.invalid_request";  // HTTP 400 and other 4xx
inline constexpr char kProviderConfig[] = "generation.provider_config";  // bad key, 403, unknown model
inline constexpr char kProviderBusy[] = "generation.provider_busy";      // 429 until retries ran out
inline constexpr char kProviderUnavailable[] = "generation.provider_unavailable";  // 5xx, network, timeout
inline constexpr char kProviderError[] = "generation.provider_error";        // a malformed or damaged answer
inline constexpr char kRequestTooLarge[] = "generation.request_too_large";   // over Gemini's 20 MB
inline constexpr char kReferenceMissing[] = "generation.reference_missing";  // deleted before the job ran
inline constexpr char kUnavailable[] = "generation.unavailable";             // no provider configured
inline constexpr char kTimedOut[] = "generation.timed_out";                  // the sweeper gave up on it
inline constexpr char kDeleted[] = "generation.deleted";    // the user deleted the image before it was made
inline constexpr char kInternal[] = "generation.internal";  // our own storage or queue failed

}  // namespace nb::generation_reason
