#include "repositories/generation_job_repository.h"

#include "models/ledger_entry.h"
#include "util/ids.h"

namespace nb {
namespace {

Result<std::vector<GenerationJob>> JobsFrom(const std::vector<SqlRow>& rows) {
  std::vector<GenerationJob> jobs;
  for (const auto& row : rows) {
    NB_ASSIGN_OR_RETURN(GenerationJob job, GenerationJob::FromRow(row));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void Append(std::vector<SqlValue>& params, const std::vector<SqlValue>& more) {
  params.insert(params.end(), more.begin(), more.end());
}

}  // namespace

SqlStatement GenerationJobRepository::InsertStatement(const GenerationJob& job, int64_t max_open) {
  return db_
      .Prepare(
          "INSERT INTO generation_jobs (image_id, user_id, cost, hold, request_hash, idempotency_key, "
          "attempts, "
          "deadline_at, created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, 0, ?, "
          "CASE WHEN (SELECT COUNT(*) FROM generation_jobs WHERE user_id = ? AND hold = 'open') < ? THEN ? "
          "END, ?)")
      .Bind(job.image_id)
      .Bind(job.user_id)
      .Bind(job.cost)
      .Bind(job.request_hash)
      .Bind(job.idempotency_key)
      .Bind(job.deadline_at_ms)
      .Bind(job.user_id)
      .Bind(max_open)
      .Bind(job.created_at_ms)
      .Bind(job.updated_at_ms)
      .statement();
}

Result<std::optional<GenerationJob>> GenerationJobRepository::Find(const std::string& image_id) {
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare("SELECT * FROM generation_jobs WHERE image_id = ?").Bind(image_id).First());
  if (!row) return std::optional<GenerationJob>();
  NB_ASSIGN_OR_RETURN(GenerationJob job, GenerationJob::FromRow(*row));
  return std::optional<GenerationJob>(std::move(job));
}

Result<std::optional<GenerationJob>> GenerationJobRepository::FindByIdempotencyKey(
    const std::string& user_id, const std::string& idempotency_key) {
  NB_ASSIGN_OR_RETURN(auto row,
                      db_.Prepare("SELECT * FROM generation_jobs WHERE user_id = ? AND idempotency_key = ?")
                          .Bind(user_id)
                          .Bind(idempotency_key)
                          .First());
  if (!row) return std::optional<GenerationJob>();
  NB_ASSIGN_OR_RETURN(GenerationJob job, GenerationJob::FromRow(*row));
  return std::optional<GenerationJob>(std::move(job));
}

Result<int64_t> GenerationJobRepository::CountOpen(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(
      auto row, db_.Prepare("SELECT COUNT(*) AS n FROM generation_jobs WHERE user_id = ? AND hold = 'open'")
                    .Bind(user_id)
                    .First());
  if (!row) return Status::Internal("COUNT returned no row");
  return row->GetInt64("n");
}

Result<std::vector<GenerationJob>> GenerationJobRepository::ListForUser(const std::string& user_id,
                                                                        int limit) {
  NB_ASSIGN_OR_RETURN(auto rows, db_.Prepare("SELECT * FROM generation_jobs WHERE user_id = ? "
                                             "ORDER BY created_at DESC, image_id DESC LIMIT ?")
                                     .Bind(user_id)
                                     .Bind(limit)
                                     .All());
  return JobsFrom(rows);
}

Result<std::vector<GenerationJob>> GenerationJobRepository::ListOverdue(int64_t now_ms, int limit) {
  NB_ASSIGN_OR_RETURN(auto rows,
                      db_.Prepare("SELECT * FROM generation_jobs WHERE hold = 'open' AND deadline_at < ? "
                                  "ORDER BY deadline_at LIMIT ?")
                          .Bind(now_ms)
                          .Bind(limit)
                          .All());
  return JobsFrom(rows);
}

Result<std::optional<GenerationJob>> GenerationJobRepository::Claim(const std::string& image_id,
                                                                    const std::string& token,
                                                                    int64_t lease_ms, int64_t deadline_ms) {
  const int64_t now = clock_.NowMs();
  NB_ASSIGN_OR_RETURN(auto row, db_.Prepare("UPDATE generation_jobs SET claim_token = ?, claimed_at = ?, "
                                            "attempts = attempts + 1, deadline_at = ?, updated_at = ? "
                                            "WHERE image_id = ? AND hold = 'open' "
                                            "AND (claim_token IS NULL OR claimed_at <= ?) RETURNING *")
                                    .Bind(token)
                                    .Bind(now)
                                    .Bind(deadline_ms)
                                    .Bind(now)
                                    .Bind(image_id)
                                    .Bind(now - lease_ms)
                                    .First());
  if (!row) return std::optional<GenerationJob>();
  NB_ASSIGN_OR_RETURN(GenerationJob job, GenerationJob::FromRow(*row));
  return std::optional<GenerationJob>(std::move(job));
}

Result<bool> GenerationJobRepository::Release(const std::string& image_id, const std::string& token,
                                              int64_t deadline_ms) {
  NB_ASSIGN_OR_RETURN(auto result,
                      db_.Prepare("UPDATE generation_jobs SET claim_token = NULL, claimed_at = NULL, "
                                  "deadline_at = ?, updated_at = ? "
                                  "WHERE image_id = ? AND hold = 'open' AND claim_token = ?")
                          .Bind(deadline_ms)
                          .Bind(clock_.NowMs())
                          .Bind(image_id)
                          .Bind(token)
                          .Run());
  return result.changes > 0;
}

Result<std::optional<Image>> GenerationJobRepository::Complete(const GenerationJob& job,
                                                               const std::string& token,
                                                               ImagePatch completed) {
  completed.status = ImageStatus::kCompleted;
  completed.expected_status.reset();
  const int64_t now = clock_.NowMs();
  std::optional<SqlStatement> image_update =
      images_.UpdateStatement(job.image_id, job.user_id, completed,
                              "status IN ('PENDING', 'PROCESSING') AND EXISTS (SELECT 1 FROM generation_jobs "
                              "WHERE image_id = ? AND hold = 'open' AND claim_token = ?)",
                              {job.image_id, token});
  if (!image_update) return Status::Internal("completion patch is empty");
  // Settles only if the first statement really made the image COMPLETED in this transaction.
  SqlStatement settle =
      db_.Prepare(
             "UPDATE generation_jobs SET hold = 'settled', claim_token = NULL, claimed_at = NULL, "
             "resolved_at = ?, updated_at = ? WHERE image_id = ? AND hold = 'open' AND claim_token = ? "
             "AND EXISTS (SELECT 1 FROM images WHERE images.id = generation_jobs.image_id "
             "AND images.status = 'COMPLETED') RETURNING image_id")
          .Bind(now)
          .Bind(now)
          .Bind(job.image_id)
          .Bind(token)
          .statement();
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch({std::move(*image_update), std::move(settle)}));
  if (results.size() != 2) return Status::Internal("completion batch returned the wrong number of results");
  if (results[0].rows.empty() || results[1].rows.empty()) {
    if (results[0].rows.empty() != results[1].rows.empty()) {
      return Status::Internal("completion batch applied only half");  // the SQL above rules this out
    }
    return std::optional<Image>();
  }
  NB_ASSIGN_OR_RETURN(Image image, Image::FromRow(results[0].rows.front()));
  return std::optional<Image>(std::move(image));
}

Result<bool> GenerationJobRepository::FailAndRefund(const GenerationJob& job, const JobGuard& guard,
                                                    ImagePatch failed) {
  failed.status = ImageStatus::kFailed;
  failed.coins_used = 0;
  failed.expected_status.reset();
  const int64_t now = clock_.NowMs();
  // The job's row while it may still be refunded: open, guarded, and its image (if any) not made.
  const std::string refundable =
      "image_id = ? AND hold = 'open' AND (" + guard.sql +
      ") AND NOT EXISTS (SELECT 1 FROM images WHERE images.id = generation_jobs.image_id "
      "AND images.status = 'COMPLETED')";
  std::vector<SqlValue> refundable_params = {job.image_id};
  Append(refundable_params, guard.params);

  std::vector<SqlStatement> batch;
  // 1. The image, when the user has not deleted it.
  std::vector<SqlValue> image_params = refundable_params;
  if (auto update = images_.UpdateStatement(
          job.image_id, job.user_id, failed,
          "status IN ('PENDING', 'PROCESSING') AND EXISTS (SELECT 1 FROM generation_jobs WHERE " +
              refundable + ")",
          image_params)) {
    batch.push_back(std::move(*update));
  }
  // 2. The balance, by the job's own cost.
  {
    std::vector<SqlValue> params = refundable_params;
    params.push_back(now);
    params.push_back(job.user_id);
    Append(params, refundable_params);
    batch.push_back({"UPDATE users SET coins = coins + (SELECT cost FROM generation_jobs WHERE " +
                         refundable +
                         "), updated_at = ? WHERE id = ? AND EXISTS (SELECT 1 FROM generation_jobs WHERE " +
                         refundable + ")",
                     std::move(params)});
  }
  // 3. The ledger row recording it; its idempotency key makes a second refund fail even if the
  //    conditions above were ever wrong.
  {
    std::vector<SqlValue> params = {NewId(random_), std::string(ledger_reason::kRefund), now};
    Append(params, refundable_params);
    batch.push_back(
        {"INSERT INTO coin_ledger (id, user_id, delta, reason, image_id, actor_id, idempotency_key, "
         "balance_after, created_at) SELECT ?, user_id, cost, ?, image_id, NULL, 'refund:' || image_id, "
         "(SELECT coins FROM users WHERE users.id = generation_jobs.user_id), ? "
         "FROM generation_jobs WHERE " +
             refundable,
         std::move(params)});
  }
  // 4. The hold, last: the conditions above all read it as open.
  {
    std::vector<SqlValue> params = {now, now};
    Append(params, refundable_params);
    batch.push_back(
        {"UPDATE generation_jobs SET hold = 'refunded', claim_token = NULL, claimed_at = NULL, "
         "resolved_at = ?, updated_at = ? WHERE " +
             refundable + " RETURNING image_id",
         std::move(params)});
  }
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch(batch));
  if (results.size() != batch.size())
    return Status::Internal("refund batch returned the wrong number of results");
  return !results.back().rows.empty();
}

}  // namespace nb
