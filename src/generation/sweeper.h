// The cron-driven safety net: a generation that made no progress by its deadline (its delivery died,
// its message went to the dead-letter queue, the queue lost it) becomes FAILED and is refunded
// exactly once. The deadline moves with every claim and retry (GENERATION_STUCK_SECONDS after the
// last sign of life, plus any backoff the job is waiting out).
#pragma once

#include <cstdint>

#include "ports/ports.h"

namespace nb {

struct SweepReport {
  int overdue = 0;   // open jobs past their deadline that were looked at
  int refunded = 0;  // of those, failed and refunded by this sweep
  int errors = 0;    // left for the next sweep
};

// now_ms: the time to judge deadlines by (the cron's scheduledTime).
SweepReport SweepStuckGenerations(Ports& ports, const Config& config, int64_t now_ms);

// The PeriodicTask registered with App: SweepStuckGenerations at the tick's time (or the clock's).
void SweepStuckGenerationsTask(Ports& ports, const Config& config, int64_t scheduled_ms);

}  // namespace nb
