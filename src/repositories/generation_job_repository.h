// Generation jobs in D1, and the batches that move a generation's coins: each transition writes the
// image row, the balance, the ledger and the job's hold state in one transaction, and each is
// conditional on the hold still being open, so a duplicate or late queue delivery, a retry and the
// sweeper can race freely: settle and refund each apply at most once, and never both (docs/coins.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/generation_job.h"
#include "ports/clock.h"
#include "ports/database.h"
#include "ports/random.h"
#include "repositories/image_repository.h"

namespace nb {

// Who may resolve an open job, as a condition on generation_jobs' columns.
struct JobGuard {
  std::string sql;
  std::vector<SqlValue> params;

  // The queue delivery holding the claim.
  static JobGuard ClaimedBy(const std::string& token) { return {"claim_token = ?", {token}}; }
  // The sweeper: the job made no progress by its deadline.
  static JobGuard Overdue(int64_t now_ms) { return {"deadline_at < ?", {now_ms}}; }
  // The request handler undoing a job no delivery has seen (its enqueue failed).
  static JobGuard Unclaimed() { return {"claim_token IS NULL", {}}; }
};

class GenerationJobRepository {
 public:
  GenerationJobRepository(Database& db, Clock& clock, Random& random)
      : db_(db), clock_(clock), random_(random), images_(db, clock, random) {}

  // The new job's INSERT (hold open) for the request's batch. When the user already has
  // max_open open jobs the insert writes NULL into created_at, so NOT NULL fails the whole batch
  // (the hold and the image with it) — the limit holds under concurrency, not just on a prior read.
  SqlStatement InsertStatement(const GenerationJob& job, int64_t max_open);

  Result<std::optional<GenerationJob>> Find(const std::string& image_id);
  // The job an Idempotency-Key started, even when its image was deleted since.
  Result<std::optional<GenerationJob>> FindByIdempotencyKey(const std::string& user_id,
                                                            const std::string& idempotency_key);
  Result<int64_t> CountOpen(const std::string& user_id);
  Result<std::vector<GenerationJob>> ListForUser(const std::string& user_id, int limit);
  // Open jobs past their deadline, oldest deadline first.
  Result<std::vector<GenerationJob>> ListOverdue(int64_t now_ms, int limit);

  // Takes the open job for one queue delivery when nobody holds it, or when the holder's claim is
  // older than lease_ms (that delivery died). Counts the attempt and sets the next deadline.
  // nullopt when another live delivery holds it or the job is not open (or does not exist).
  Result<std::optional<GenerationJob>> Claim(const std::string& image_id, const std::string& token,
                                             int64_t lease_ms, int64_t deadline_ms);
  // Gives the claim back so a later delivery can take it; false if it was no longer ours.
  Result<bool> Release(const std::string& image_id, const std::string& token, int64_t deadline_ms);

  // One batch: the image becomes `completed` (a COMPLETED patch) and the hold is settled. Applies only
  // while the job is open and claimed by `token` and the image is PENDING or PROCESSING; nullopt
  // (nothing written) otherwise, e.g. the sweeper failed it meanwhile or the user deleted the image.
  Result<std::optional<Image>> Complete(const GenerationJob& job, const std::string& token,
                                        ImagePatch completed);

  // One batch: the image (if it still exists) becomes FAILED with `failed`'s error and metadata and
  // coins_used 0, a ledger 'refund' of the job's cost (idempotency key "refund:{imageId}") restores
  // the balance, and the hold is marked refunded. Applies only while the job is open, `guard` holds
  // and the image is not COMPLETED; false (nothing written) otherwise.
  Result<bool> FailAndRefund(const GenerationJob& job, const JobGuard& guard, ImagePatch failed);

 private:
  Database& db_;
  Clock& clock_;
  Random& random_;
  ImageRepository images_;
};

}  // namespace nb
