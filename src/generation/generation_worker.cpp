#include "generation/generation_worker.h"

#include <algorithm>

#include "generation/failure_reasons.h"
#include "generation/job_failure.h"
#include "generation/provider_factory.h"
#include "generation/retry_policy.h"
#include "imaging/image_probe.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"
#include "services/image_service.h"
#include "util/debug_trap.h"
#include "util/ids.h"

namespace nb {
namespace {

namespace reason = generation_reason;

// Queue deliveries have no request id; the image id is what ties a job's lines together.
void Log(Logger& logger, LogLevel level, const char* event, const std::string& image_id,
         nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json fields = {{"imageId", image_id}};
  if (extra.is_object()) fields.update(extra);
  RequestLog(logger).Log(level, event, std::move(fields));
}

// Our own storage failed, not the provider: worth retrying like a provider outage.
GenerationFailure Infrastructure(const char* what, const Status& status) {
  return {true, reason::kInternal, std::string(what) + ": " + status.ToString(), std::nullopt};
}

std::string StringField(const nlohmann::json& body, const char* name) {
  if (!body.is_object()) return "";
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

JobOutcome GenerationWorker::Run(const nlohmann::json& body, int attempts) {
  const std::string image_id = StringField(body, "imageId");
  if (!IsValidId(image_id)) {
    Log(ports_.logger, LogLevel::kError, "generation_message_malformed", image_id, {{"body", body}});
    return JobOutcome::Ack();  // retrying cannot make it well-formed
  }
  const std::string token = NewId(ports_.random);
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  auto claimed = jobs.Claim(image_id, token, settings_.lease_ms, ports_.clock.NowMs() + settings_.stuck_ms);
  if (!claimed.ok()) {
    Log(ports_.logger, LogLevel::kError, "generation_claim_failed", image_id,
        {{"status", claimed.status().ToString()}});
    return JobOutcome::Retry(
        std::max(1, RetryDelaySeconds(settings_, attempts, std::nullopt, ports_.random)));
  }
  if (!*claimed) return NotClaimed(image_id, attempts);
  return Process(**claimed, token, attempts);
}

// The claim failed: the job is finished (a duplicate or late delivery), unknown, or held by another
// live delivery.
JobOutcome GenerationWorker::NotClaimed(const std::string& image_id, int attempts) {
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  auto job = jobs.Find(image_id);
  if (!job.ok())
    return JobOutcome::Retry(std::max(1, RetryDelaySeconds(settings_, attempts, {}, ports_.random)));
  if (!*job) {
    Log(ports_.logger, LogLevel::kWarn, "generation_job_unknown", image_id);
    return JobOutcome::Ack();
  }
  if ((*job)->hold != HoldState::kOpen) {
    Log(ports_.logger, LogLevel::kInfo, "generation_duplicate_delivery", image_id,
        {{"hold", HoldStateName((*job)->hold)}});
    return JobOutcome::Ack();
  }
  if (attempts >= settings_.max_attempts) {
    // The delivery holding the claim finishes it; if that one died, the sweeper does.
    Log(ports_.logger, LogLevel::kWarn, "generation_claimed_elsewhere_giving_up", image_id);
    return JobOutcome::Ack();
  }
  // Look again when the holder has likely finished, and no later than when its lease runs out.
  const int64_t lease_left_ms = (*job)->claimed_at_ms.value_or(0) + settings_.lease_ms - ports_.clock.NowMs();
  const int64_t lease_left_s = std::max<int64_t>(1, lease_left_ms / 1000 + 1);
  const int backoff = RetryDelaySeconds(settings_, attempts, std::nullopt, ports_.random);
  return JobOutcome::Retry(
      static_cast<int>(std::clamp<int64_t>(std::min<int64_t>(lease_left_s, backoff), 1, lease_left_s)));
}

JobOutcome GenerationWorker::Process(const GenerationJob& job, const std::string& token, int attempts) {
  ImageRepository images(ports_.db, ports_.clock, ports_.random);
  auto found = images.FindById(job.image_id);
  if (!found.ok()) {
    if (found.status().IsNotFound()) {
      return Fail(job, token, std::nullopt, {false, reason::kDeleted, "image deleted before generation", {}},
                  attempts);
    }
    return RetryLater(job, token, std::nullopt, Infrastructure("reading the image", found.status()),
                      attempts);
  }
  Image image = std::move(found).value();
  if (image.status == ImageStatus::kPending) {
    ImagePatch processing;
    processing.status = ImageStatus::kProcessing;
    processing.expected_status = ImageStatus::kPending;
    if (auto updated = images.Update(image.id, image.user_id, processing); updated.ok())
      image = std::move(updated).value();
  }

  bool missing = false;
  auto references = LoadReferences(image, missing);
  if (missing) {
    return Fail(job, token, image, {false, reason::kReferenceMissing, "a reference image is gone", {}},
                attempts);
  }
  if (!references.ok()) {
    return RetryLater(job, token, image, Infrastructure("reading references", references.status()), attempts);
  }
  if (!provider_) {
    return Fail(job, token, image, {false, reason::kUnavailable, "no image provider configured", {}},
                attempts);
  }

  GenerationInput input;
  input.prompt = image.prompt.value_or("");
  input.aspect_ratio = image.aspect_ratio;
  input.references = std::move(references).value();
  // Images from before the model catalog have no model: the provider's default (GEMINI_MODEL) makes them.
  input.model = image.model.value_or("");
  input.image_size = image.image_size.value_or("");
  input.grounding = image.grounding_requested;
  input.thinking = image.thinking;
  const int64_t started = ports_.clock.NowMs();
  ProviderOutcome outcome = provider_->Generate(input);
  const int64_t latency_ms = ports_.clock.NowMs() - started;
  // Tests only: a trap mid-job, with the claim taken and the coins held (bridge/trap tests).
  MaybeDebugTrap(ports_, debug_traps_, "job:" + job.image_id);
  if (auto* failure = std::get_if<GenerationFailure>(&outcome)) {
    Log(ports_.logger, LogLevel::kWarn, "generation_provider_failed", job.image_id,
        {{"reason", failure->reason_key},
         {"detail", failure->detail},
         {"retryable", failure->retryable},
         {"attempt", attempts},
         {"latencyMs", latency_ms}});
    if (failure->retryable) return RetryLater(job, token, image, *failure, attempts);
    return Fail(job, token, image, *failure, attempts);
  }
  return Store(job, token, image, std::move(std::get<GeneratedImage>(outcome)), latency_ms, attempts);
}

Result<std::vector<ReferenceImage>> GenerationWorker::LoadReferences(const Image& image, bool& missing) {
  ImageRepository images(ports_.db, ports_.clock, ports_.random);
  std::vector<ReferenceImage> references;
  for (const std::string& id : image.parent_image_ids) {
    auto parent = images.FindByIdForUser(id, image.user_id);
    if (!parent.ok()) {
      if (!parent.status().IsNotFound()) return parent.status();
      missing = true;
      return references;
    }
    if (!parent->IsReady()) {
      missing = true;
      return references;
    }
    NB_ASSIGN_OR_RETURN(auto object, ports_.objects.Get(*parent->storage_key));
    if (!object) {
      missing = true;
      return references;
    }
    references.push_back({parent->content_type.value_or("image/png"), std::move(object->bytes)});
  }
  return references;
}

JobOutcome GenerationWorker::Store(const GenerationJob& job, const std::string& token, const Image& image,
                                   GeneratedImage generated, int64_t latency_ms, int attempts) {
  auto probe = ProbeImage(generated.bytes);
  if (!probe.ok()) {
    return RetryLater(
        job, token, image,
        {true, reason::kProviderError, "answer is not an image: " + probe.status().message(), {}}, attempts);
  }
  ImageService service(ports_);
  const std::string filename = "generated-" + image.id + "." + FormatName(probe->format);
  StoreOptions options;
  options.fail_when_busy = false;  // the answer is paid for: keep it, with or without a thumbnail
  auto stored = service.StoreOriginalAndThumbnail(image.user_id, filename, generated.bytes, *probe, options);
  if (!stored.ok()) {
    if (IsDamagedImage(stored.status())) {
      return RetryLater(job, token, image, {true, reason::kProviderError, stored.status().message(), {}},
                        attempts);
    }
    return RetryLater(job, token, image, Infrastructure("storing the image", stored.status()), attempts);
  }

  ImagePatch patch = stored->ToPatch();
  nlohmann::json metadata = image.metadata.is_object() ? image.metadata : nlohmann::json::object();
  metadata.update(*patch.metadata);
  metadata["model"] = generated.model;
  metadata["modelVersion"] = generated.model_version;
  metadata["usage"] = generated.usage;
  metadata["latencyMs"] = latency_ms;
  metadata["attempts"] = job.attempts;
  if (generated.placeholder) metadata["placeholder"] = true;
  if (generated.text) metadata["text"] = *generated.text;
  patch.metadata = std::move(metadata);
  if (generated.grounding.is_object()) patch.grounding = std::move(generated.grounding);

  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  auto completed = jobs.Complete(job, token, std::move(patch));
  if (!completed.ok()) {
    (void)service.DeleteStored(*stored);
    return RetryLater(job, token, image, Infrastructure("completing the image", completed.status()),
                      attempts);
  }
  if (!*completed) {
    // Someone finished the job first (the sweeper gave up on it) or the user deleted the image:
    // these objects belong to no row.
    (void)service.DeleteStored(*stored);
    auto current = jobs.Find(job.image_id);
    if (current.ok() && *current && (*current)->hold == HoldState::kOpen &&
        (*current)->claim_token == token) {
      return Fail(job, token, std::nullopt, {false, reason::kDeleted, "image deleted while generating", {}},
                  attempts);
    }
    Log(ports_.logger, LogLevel::kInfo, "generation_completion_lost", job.image_id);
    return JobOutcome::Ack();
  }
  Log(ports_.logger, LogLevel::kInfo, "generation_completed", job.image_id,
      {{"attempt", attempts},
       {"latencyMs", latency_ms},
       {"bytes", stored->size},
       {"model", generated.model}});
  return JobOutcome::Ack();
}

JobOutcome GenerationWorker::RetryLater(const GenerationJob& job, const std::string& token,
                                        const std::optional<Image>& image, const GenerationFailure& failure,
                                        int attempts) {
  if (attempts >= settings_.max_attempts) return Fail(job, token, image, failure, attempts);
  const int delay = RetryDelaySeconds(settings_, attempts, failure.retry_after_seconds, ports_.random);
  if (image && image->status == ImageStatus::kProcessing) {
    ImageRepository images(ports_.db, ports_.clock, ports_.random);
    ImagePatch pending;
    pending.status = ImageStatus::kPending;
    pending.expected_status = ImageStatus::kProcessing;
    (void)images.Update(image->id, image->user_id, pending);
  }
  // Released, the next delivery claims it at once; if this write fails the claim simply expires.
  // The deadline leaves room for the wait itself, so the sweeper does not take a patient job for stuck.
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  (void)jobs.Release(job.image_id, token, ports_.clock.NowMs() + int64_t{delay} * 1000 + settings_.stuck_ms);
  Log(ports_.logger, LogLevel::kInfo, "generation_retry_scheduled", job.image_id,
      {{"reason", failure.reason_key}, {"attempt", attempts}, {"delaySeconds", delay}});
  return JobOutcome::Retry(delay);
}

JobOutcome GenerationWorker::Fail(const GenerationJob& job, const std::string& token,
                                  const std::optional<Image>& image, const GenerationFailure& failure,
                                  int attempts) {
  auto refunded = RecordJobFailure(ports_, job, JobGuard::ClaimedBy(token), image, failure);
  if (!refunded.ok()) {
    // Still claimed by us: a later delivery waits for the lease; the sweeper is the last resort.
    Log(ports_.logger, LogLevel::kError, "generation_fail_write_failed", job.image_id,
        {{"status", refunded.status().ToString()}});
    return JobOutcome::Retry(
        std::max(1, RetryDelaySeconds(settings_, attempts, std::nullopt, ports_.random)));
  }
  return JobOutcome::Ack();
}

JobOutcome HandleGenerateJob(Ports& ports, const Config& config, const nlohmann::json& body, int attempts) {
  std::unique_ptr<ImageProvider> provider = MakeProvider(config, ports);
  GenerationWorker worker(ports, config, provider.get());
  return worker.Run(body, attempts);
}

}  // namespace nb
