// The queue-producer port (a Cloudflare Queues binding): JSON messages for background work, delivered
// at least once to the consumer (App::HandleQueue), possibly after a delay.
#pragma once

#include <nlohmann/json.hpp>

#include "ports/status.h"

namespace nb {

// Cloudflare Queues refuses a send delay beyond 12 hours; both implementations refuse alike.
inline constexpr int kMaxQueueDelaySeconds = 43200;

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Enqueues body (a JSON object with a "type"); the consumer sees it after delay_seconds.
  // kUnavailable when the queue refused or could not be reached: nothing was enqueued.
  virtual Status Send(const nlohmann::json& body, int delay_seconds = 0) = 0;
};

}  // namespace nb
