// How long a retryable failure waits before the queue delivers the job again: exponential backoff
// from GENERATION_RETRY_BASE_SECONDS, capped at GENERATION_RETRY_MAX_SECONDS, with up to 25% jitter
// so jobs that failed together do not return together — and never sooner than the provider asked
// (Gemini's RetryInfo.retryDelay), even past the cap.
#pragma once

#include <optional>

#include "generation/generation_settings.h"
#include "ports/random.h"

namespace nb {

// attempts: deliveries so far, from 1.
int RetryDelaySeconds(const GenerationSettings& settings, int attempts, std::optional<int> provider_asks,
                      Random& random);

}  // namespace nb
