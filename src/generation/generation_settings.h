// The generation pipeline's knobs, read once from Worker vars. Defaults suit production; the
// integration tests shrink the delays. GENERATION_MAX_ATTEMPTS must equal the queue consumer's
// max_retries + 1 in wrangler.toml: the consumer gives up (FAILED + refund) on that delivery instead
// of letting the message fall into the dead-letter queue with the coins still held.
#pragma once

#include <algorithm>
#include <cstdint>

#include "generation/image_models.h"
#include "ports/ports.h"
#include "services/generation_options.h"

namespace nb {

struct GenerationSettings {
  int64_t cost = kDefaultGenerationCost;  // GENERATION_COST_COINS
  int64_t max_running_per_user = 3;       // GENERATION_MAX_RUNNING: open jobs per user; more -> 429
  int max_attempts = 6;         // GENERATION_MAX_ATTEMPTS: deliveries before a retryable failure is final
  int retry_base_seconds = 10;  // GENERATION_RETRY_BASE_SECONDS: first backoff, doubled per attempt
  int retry_max_seconds = 300;  // GENERATION_RETRY_MAX_SECONDS: backoff cap (a RetryInfo may ask for more)
  int64_t lease_ms = 300'000;   // GENERATION_LEASE_SECONDS: a claim older than this may be taken over
  int64_t stuck_ms = 600'000;   // GENERATION_STUCK_SECONDS: no progress for this long -> swept
  // IMAGE_MODELS: the offered models and their prices; `cost` is the default model's 1K price.
  ImageModelSettings models = ImageModelSettings::FromConfig(Config(), kDefaultGenerationCost);

  static GenerationSettings FromConfig(const Config& config) {
    GenerationSettings s;
    s.cost = config.GetInt("GENERATION_COST_COINS", kDefaultGenerationCost);
    if (s.cost <= 0) s.cost = kDefaultGenerationCost;
    s.max_running_per_user = config.GetInt("GENERATION_MAX_RUNNING", s.max_running_per_user);
    s.max_attempts =
        static_cast<int>(std::min<int64_t>(config.GetInt("GENERATION_MAX_ATTEMPTS", s.max_attempts), 100));
    if (s.max_attempts < 1) s.max_attempts = 1;
    // Queue delays are whole seconds up to Queues' 12-hour maximum.
    s.retry_base_seconds = static_cast<int>(std::min<int64_t>(
        config.GetInt("GENERATION_RETRY_BASE_SECONDS", s.retry_base_seconds), kMaxQueueDelaySeconds));
    s.retry_max_seconds = static_cast<int>(std::min<int64_t>(
        config.GetInt("GENERATION_RETRY_MAX_SECONDS", s.retry_max_seconds), kMaxQueueDelaySeconds));
    s.lease_ms = config.GetInt("GENERATION_LEASE_SECONDS", s.lease_ms / 1000) * 1000;
    s.stuck_ms = config.GetInt("GENERATION_STUCK_SECONDS", s.stuck_ms / 1000) * 1000;
    s.models = ImageModelSettings::FromConfig(config, s.cost);
    s.cost = *s.models.Default().CostOf(kDefaultImageSize);
    return s;
  }
};

}  // namespace nb
