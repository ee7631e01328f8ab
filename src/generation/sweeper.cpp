#include "generation/sweeper.h"

#include "generation/failure_reasons.h"
#include "generation/job_failure.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"

namespace nb {
namespace {

constexpr int kPageSize = 50;
constexpr int kMaxPagesPerSweep = 10;  // bounded work per cron tick; the next tick takes the rest

}  // namespace

SweepReport SweepStuckGenerations(Ports& ports, const Config& config, int64_t now_ms) {
  SweepReport report;
  GenerationJobRepository jobs(ports.db, ports.clock, ports.random);
  ImageRepository images(ports.db, ports.clock, ports.random);
  for (int page = 0; page < kMaxPagesPerSweep; ++page) {
    auto overdue = jobs.ListOverdue(now_ms, kPageSize);
    if (!overdue.ok()) {
      ++report.errors;
      break;
    }
    int refunded_here = 0;
    for (const GenerationJob& job : *overdue) {
      ++report.overdue;
      std::optional<Image> image;
      if (auto found = images.FindById(job.image_id); found.ok()) image = std::move(found).value();
      GenerationFailure failure{
          false,
          generation_reason::kTimedOut,
          "no progress by the deadline (attempts: " + std::to_string(job.attempts) + ")",
          {}};
      // Overdue(now) re-checks the deadline inside the batch: a delivery that claimed the job since
      // the list was read moved it, and wins.
      auto refunded = RecordJobFailure(ports, job, JobGuard::Overdue(now_ms), image, failure);
      if (!refunded.ok()) {
        ++report.errors;
      } else if (*refunded) {
        ++report.refunded;
        ++refunded_here;
      }
    }
    // A full page where nothing changed would come back identical: stop rather than spin.
    if (static_cast<int>(overdue->size()) < kPageSize || refunded_here == 0) break;
  }
  RequestLog(ports.logger)
      .Log(report.errors ? LogLevel::kError : LogLevel::kInfo, "generation_sweep",
           {{"overdue", report.overdue}, {"refunded", report.refunded}, {"errors", report.errors}});
  return report;
}

void SweepStuckGenerationsTask(Ports& ports, const Config& config, int64_t scheduled_ms) {
  SweepStuckGenerations(ports, config, scheduled_ms > 0 ? scheduled_ms : ports.clock.NowMs());
}

}  // namespace nb
