#include "models/generation_job.h"

#include "util/time_format.h"

namespace nb {

const char* HoldStateName(HoldState state) {
  switch (state) {
    case HoldState::kOpen: return "open";
    case HoldState::kSettled: return "settled";
    case HoldState::kRefunded: return "refunded";
  }
  return "open";
}

std::optional<HoldState> ParseHoldState(const std::string& name) {
  for (HoldState s : {HoldState::kOpen, HoldState::kSettled, HoldState::kRefunded}) {
    if (name == HoldStateName(s)) return s;
  }
  return std::nullopt;
}

Result<GenerationJob> GenerationJob::FromRow(const SqlRow& row) {
  GenerationJob job;
  NB_ASSIGN_OR_RETURN(job.image_id, row.GetText("image_id"));
  NB_ASSIGN_OR_RETURN(job.user_id, row.GetText("user_id"));
  NB_ASSIGN_OR_RETURN(job.cost, row.GetInt64("cost"));
  NB_ASSIGN_OR_RETURN(const std::string hold, row.GetText("hold"));
  auto parsed_hold = ParseHoldState(hold);
  if (!parsed_hold) return Status::Internal("generation_jobs row has an unknown hold " + hold);
  job.hold = *parsed_hold;
  NB_ASSIGN_OR_RETURN(job.deadline_at_ms, row.GetInt64("deadline_at"));
  NB_ASSIGN_OR_RETURN(job.created_at_ms, row.GetInt64("created_at"));
  NB_ASSIGN_OR_RETURN(job.request_hash, row.GetText("request_hash"));
  NB_ASSIGN_OR_RETURN(job.idempotency_key, row.GetOptionalText("idempotency_key"));
  NB_ASSIGN_OR_RETURN(job.claim_token, row.GetOptionalText("claim_token"));
  NB_ASSIGN_OR_RETURN(job.claimed_at_ms, row.GetOptionalInt64("claimed_at"));
  NB_ASSIGN_OR_RETURN(job.attempts, row.GetInt64("attempts"));
  NB_ASSIGN_OR_RETURN(job.updated_at_ms, row.GetInt64("updated_at"));
  NB_ASSIGN_OR_RETURN(job.resolved_at_ms, row.GetOptionalInt64("resolved_at"));
  return job;
}

nlohmann::json GenerationJob::ToJson() const {
  return {{"imageId", image_id},
          {"userId", user_id},
          {"cost", cost},
          {"hold", HoldStateName(hold)},
          {"claimed", claim_token.has_value()},
          {"attempts", attempts},
          {"deadlineAt", FormatIsoUtc(deadline_at_ms)},
          {"createdAt", FormatIsoUtc(created_at_ms)},
          {"updatedAt", FormatIsoUtc(updated_at_ms)},
          {"resolvedAt",
           resolved_at_ms ? nlohmann::json(FormatIsoUtc(*resolved_at_ms)) : nlohmann::json(nullptr)}};
}

}  // namespace nb
