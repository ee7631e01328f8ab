#include "generation/retry_policy.h"

#include <algorithm>
#include <cstdint>

#include "ports/job_queue.h"

namespace nb {

int RetryDelaySeconds(const GenerationSettings& settings, int attempts, std::optional<int> provider_asks,
                      Random& random) {
  int64_t delay = std::max(0, settings.retry_base_seconds);
  for (int i = 1; i < attempts && delay < settings.retry_max_seconds; ++i) delay *= 2;
  delay = std::min<int64_t>(delay, std::max(0, settings.retry_max_seconds));
  if (delay > 0) {
    const std::string bytes = random.Bytes(2);
    const int64_t r = (static_cast<unsigned char>(bytes[0]) << 8) | static_cast<unsigned char>(bytes[1]);
    delay += delay * r / (4 * 65536);
  }
  if (provider_asks) delay = std::max<int64_t>(delay, *provider_asks);
  return static_cast<int>(std::clamp<int64_t>(delay, 0, kMaxQueueDelaySeconds));
}

}  // namespace nb
