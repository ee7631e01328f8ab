#include "models/generation_job.h"

#include "util/row_fields.h"
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

Result<GenerationJob> GenerationJob::FromRow(const nlohmann::json& row) {
  auto image_id = RowString(row, "image_id");
  auto user_id = RowString(row, "user_id");
  auto cost = RowInt(row, "cost");
  auto hold = ParseHoldState(RowString(row, "hold").value_or(""));
  auto deadline = RowInt(row, "deadline_at");
  auto created = RowInt(row, "created_at");
  if (!image_id || !user_id || !cost || !hold || !deadline || !created) {
    return Status::Internal("generation_jobs row lacks a required column");
  }
  GenerationJob job;
  job.image_id = *image_id;
  job.user_id = *user_id;
  job.cost = *cost;
  job.hold = *hold;
  job.request_hash = RowString(row, "request_hash").value_or("");
  job.claim_token = RowString(row, "claim_token");
  job.claimed_at_ms = RowInt(row, "claimed_at");
  job.attempts = RowInt(row, "attempts").value_or(0);
  job.deadline_at_ms = *deadline;
  job.created_at_ms = *created;
  job.updated_at_ms = RowInt(row, "updated_at").value_or(*created);
  job.resolved_at_ms = RowInt(row, "resolved_at");
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
