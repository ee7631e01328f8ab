#include "generation/job_failure.h"

#include "i18n/messages.h"
#include "repositories/user_repository.h"

namespace nb {

Result<bool> RecordJobFailure(Ports& ports, const GenerationJob& job, const JobGuard& guard,
                              const std::optional<Image>& image, const GenerationFailure& failure) {
  UserRepository users(ports.db, ports.clock, ports.random);
  std::string language = "en";
  if (auto owner = users.FindById(job.user_id); owner.ok()) language = owner->language;

  ImagePatch patch;
  // The message is stored in the owner's language: the gallery shows `error` as it is. The key stays
  // in metadata for clients that want to word it themselves.
  patch.error = i18n::Message(failure.reason_key, language, {});
  nlohmann::json metadata = image && image->metadata.is_object() ? image->metadata : nlohmann::json::object();
  metadata["errorKey"] = failure.reason_key;
  if (!failure.detail.empty()) metadata["errorDetail"] = failure.detail;
  metadata["attempts"] = job.attempts;
  patch.metadata = std::move(metadata);

  GenerationJobRepository jobs(ports.db, ports.clock, ports.random);
  NB_ASSIGN_OR_RETURN(bool refunded, jobs.FailAndRefund(job, guard, std::move(patch)));
  RequestLog(ports.logger)
      .Log(refunded ? LogLevel::kWarn : LogLevel::kInfo,
           refunded ? "generation_failed" : "generation_already_finished",
           {{"imageId", job.image_id},
            {"reason", failure.reason_key},
            {"detail", failure.detail},
            {"refunded", refunded}});
  return refunded;
}

}  // namespace nb
