// The queue consumer for {"type":"generate"} messages: claim the job, call the provider, store the
// image and its thumbnail, then COMPLETED + settle — or retry later, or FAILED + refund.
//
// Delivery is at least once, so every step tolerates repeats: the claim is a compare-and-set on the
// job (a second delivery of a claimed job waits, of a finished job acks and does nothing), and the
// final writes are batches conditional on the hold still being open (repositories/
// generation_job_repository.h). A delivery that loses the race deletes the objects it wrote.
#pragma once

#include <nlohmann/json.hpp>

#include "generation/generation_settings.h"
#include "generation/image_provider.h"
#include "generation/jobs.h"
#include "models/generation_job.h"
#include "models/image.h"
#include "ports/ports.h"

namespace nb {

class GenerationWorker {
 public:
  // provider: nullptr when none is configured (every job then fails with a refund).
  GenerationWorker(Ports& ports, const Config& config, ImageProvider* provider)
      : ports_(ports),
        settings_(GenerationSettings::FromConfig(config)),
        provider_(provider),
        debug_traps_(config.GetBool("DEBUG_ROUTES")) {}

  // One delivery of a "generate" message; attempts counts deliveries of this message, from 1.
  JobOutcome Run(const nlohmann::json& body, int attempts);

 private:
  JobOutcome NotClaimed(const std::string& image_id, int attempts);
  JobOutcome Process(const GenerationJob& job, const std::string& token, int attempts);
  JobOutcome Fail(const GenerationJob& job, const std::string& token, const std::optional<Image>& image,
                  const GenerationFailure& failure, int attempts);
  // Waits and tries again, unless this was the last delivery: then the failure is final.
  JobOutcome RetryLater(const GenerationJob& job, const std::string& token, const std::optional<Image>& image,
                        const GenerationFailure& failure, int attempts);
  JobOutcome Store(const GenerationJob& job, const std::string& token, const Image& image,
                   GeneratedImage generated, int64_t latency_ms, int attempts);
  Result<std::vector<ReferenceImage>> LoadReferences(const Image& image, bool& missing);

  Ports& ports_;
  GenerationSettings settings_;
  ImageProvider* provider_;
  bool debug_traps_;  // util/debug_trap.h: integration tests only
};

// The JobHandler registered for "generate": builds the configured provider and runs one delivery.
JobOutcome HandleGenerateJob(Ports& ports, const Config& config, const nlohmann::json& body, int attempts);

}  // namespace nb
