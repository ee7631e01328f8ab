// Background work: queue messages dispatched by their "type", and tasks run on each cron tick.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "ports/ports.h"

namespace nb {

struct JobOutcome {
  enum class Action { kAck, kRetry } action = Action::kAck;
  int delay_seconds = 0;
  static JobOutcome Ack() { return {}; }
  static JobOutcome Retry(int delay) { return {Action::kRetry, delay}; }
};

// body is the message's JSON body; attempts counts deliveries, starting at 1.
using JobHandler = std::function<JobOutcome(Ports&, const Config&, const nlohmann::json& body, int attempts)>;
using JobHandlers = std::map<std::string, JobHandler>;
using PeriodicTask = std::function<void(Ports&, const Config&, int64_t scheduled_ms)>;

}  // namespace nb
