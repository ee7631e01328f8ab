#include "generation/generation_service.h"

#include "generation/failure_reasons.h"
#include "generation/job_failure.h"
#include "models/ledger_entry.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"
#include "repositories/user_repository.h"
#include "util/hex.h"
#include "util/ids.h"
#include "util/json_text.h"

namespace nb {
namespace {

// Upload and generation share the images table's (user_id, idempotency_key) index: a namespace keeps
// one endpoint's keys from replaying the other's images.
std::string StoredKey(const std::string& header) { return "generate:" + header; }

template <class T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json GenerateJobMessage(const std::string& image_id, const std::string& user_id) {
  return {{"type", kGenerateJobType}, {"imageId", image_id}, {"userId", user_id}};
}

std::string GenerationRequest::CanonicalText() const {
  // Object keys are sorted by nlohmann::json, so equal requests give equal text.
  return JsonText({{"prompt", prompt},
                   {"aspectRatio", OrNull(aspect_ratio)},
                   {"referenceImageIds", reference_ids},
                   {"title", OrNull(title)},
                   {"model", model},
                   {"imageSize", image_size},
                   {"grounding", grounding},
                   {"thinking", OrNull(thinking)}});
}

// Defaults filled in before hashing, so leaving a field out and naming its default replay alike.
GenerationRequest GenerationService::WithDefaults(const GenerationRequest& asked) const {
  GenerationRequest request = asked;
  if (request.model.empty()) request.model = settings_.models.Default().Id();
  if (request.image_size.empty()) request.image_size = kDefaultImageSize;
  return request;
}

Result<std::string> GenerationService::RequestHash(const GenerationRequest& request) {
  NB_ASSIGN_OR_RETURN(std::string digest, ports_.crypto.Sha256(WithDefaults(request).CanonicalText()));
  return HexEncode(digest);
}

Result<std::optional<StartOutcome>> GenerationService::FindReplay(const User& user,
                                                                  const GenerationRequest& request,
                                                                  const std::string& idempotency_key) {
  NB_ASSIGN_OR_RETURN(std::string hash, RequestHash(request));
  auto replay = Replay(user.id, StoredKey(idempotency_key), hash);
  if (replay.ok()) return std::optional<StartOutcome>(std::move(replay).value());
  if (replay.status().IsNotFound()) return std::optional<StartOutcome>();
  return replay.status();
}

Result<StartOutcome> GenerationService::Start(const User& user, const GenerationRequest& asked,
                                              const std::optional<std::string>& idempotency_key) {
  const GenerationRequest request = WithDefaults(asked);
  NB_ASSIGN_OR_RETURN(const std::string hash, RequestHash(request));
  std::optional<std::string> stored_key;
  if (idempotency_key) {
    stored_key = StoredKey(*idempotency_key);
    auto replay = Replay(user.id, *stored_key, hash);
    if (replay.ok() || !replay.status().IsNotFound()) return replay;
  }

  ImageRepository images(ports_.db, ports_.clock, ports_.random);
  UserRepository users(ports_.db, ports_.clock, ports_.random);
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);

  // The route checked the model and size against the offer; a request that slipped past is refused
  // here too rather than charged a guess.
  const OfferedModel* offered = settings_.models.Find(request.model);
  const std::optional<int64_t> price = offered ? offered->CostOf(request.image_size) : std::nullopt;
  if (!price) return Status::InvalidArgument("model or image size not offered");
  const int64_t cost = *price;

  Image image;
  image.id = NewId(ports_.random);
  image.user_id = user.id;
  image.type = ImageType::kGenerated;
  image.status = ImageStatus::kPending;
  image.title = request.title;
  image.prompt = request.prompt;
  image.aspect_ratio = request.aspect_ratio;
  image.parent_image_ids = request.reference_ids;
  image.coins_used = cost;
  image.idempotency_key = stored_key;
  image.model = request.model;
  image.image_size = request.image_size;
  image.grounding_requested = request.grounding;
  image.thinking = request.thinking;

  const int64_t now = ports_.clock.NowMs();
  GenerationJob job;
  job.image_id = image.id;
  job.user_id = user.id;
  job.cost = cost;
  job.request_hash = hash;
  job.idempotency_key = stored_key;
  job.deadline_at_ms = now + settings_.stuck_ms;
  job.created_at_ms = job.updated_at_ms = now;

  // One transaction: the hold (balance and ledger), the image and the job, or none of them.
  std::vector<SqlStatement> batch = users.CoinChangeStatements(user.id, -cost, ledger_reason::kHold, image.id,
                                                               std::nullopt, "hold:" + image.id);
  NB_ASSIGN_OR_RETURN(SqlStatement insert_image, images.InsertStatement(image));
  batch.push_back(std::move(insert_image));
  batch.push_back(jobs.InsertStatement(job, settings_.max_running_per_user));
  if (auto written = ports_.db.Batch(batch); !written.ok()) {
    if (written.status().IsConflict() && stored_key) {
      // A concurrent request with the same key won the race; its image is this request's answer.
      return Replay(user.id, *stored_key, hash);
    }
    return ExplainRefusal(written.status(), user.id, cost);
  }

  if (Status sent = ports_.jobs.Send(GenerateJobMessage(image.id, user.id)); !sent.ok()) {
    // Never charge for a job nobody will run. No delivery can hold the job yet, hence Unclaimed.
    GenerationFailure failure{false, generation_reason::kInternal, "enqueue failed: " + sent.ToString(), {}};
    NB_ASSIGN_OR_RETURN(bool refunded, RecordJobFailure(ports_, job, JobGuard::Unclaimed(), image, failure));
    if (!refunded) {
      // A delivery already claimed (or finished) the job: the send reported an error after the
      // message was enqueued. The job runs and is paid for, so the client is told it started.
      auto current = images.FindById(image.id);
      return StartOutcome{
          StartOutcome::Kind::kStarted, current.ok() ? std::move(current).value() : image, {}};
    }
    StartOutcome outcome{StartOutcome::Kind::kEnqueueFailed, std::nullopt, sent};
    if (auto failed = images.FindById(image.id); failed.ok()) outcome.image = std::move(failed).value();
    return outcome;
  }
  return StartOutcome{StartOutcome::Kind::kStarted, std::move(image), {}};
}

Result<StartOutcome> GenerationService::Replay(const std::string& user_id, const std::string& stored_key,
                                               const std::string& hash) {
  // The job keeps the key (it outlives the image): a deleted image never frees the key for a new charge.
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  NB_ASSIGN_OR_RETURN(auto job, jobs.FindByIdempotencyKey(user_id, stored_key));
  if (!job) return Status::NotFound("idempotency key unused");
  if (job->request_hash != hash) return StartOutcome{StartOutcome::Kind::kKeyReused, std::nullopt, {}};
  ImageRepository images(ports_.db, ports_.clock, ports_.random);
  auto existing = images.FindByIdForUser(job->image_id, user_id);
  if (!existing.ok()) {
    if (!existing.status().IsNotFound()) return existing.status();
    return StartOutcome{StartOutcome::Kind::kReplayedDeleted, std::nullopt, {}};
  }
  return StartOutcome{StartOutcome::Kind::kReplayed, std::move(existing).value(), {}};
}

// The batch failed on a constraint: an overdraft (users CHECK) or the running-jobs limit (the job's
// NOT NULL guard). Both are read back rather than parsed out of D1's error text.
Result<StartOutcome> GenerationService::ExplainRefusal(const Status& failure, const std::string& user_id,
                                                       int64_t cost) {
  if (!failure.IsFailedPrecondition()) return failure;
  UserRepository users(ports_.db, ports_.clock, ports_.random);
  NB_ASSIGN_OR_RETURN(User user, users.FindById(user_id));
  if (user.coins < cost) return StartOutcome{StartOutcome::Kind::kInsufficientCoins, std::nullopt, {}};
  GenerationJobRepository jobs(ports_.db, ports_.clock, ports_.random);
  NB_ASSIGN_OR_RETURN(int64_t running, jobs.CountOpen(user_id));
  if (running >= settings_.max_running_per_user)
    return StartOutcome{StartOutcome::Kind::kTooManyRunning, std::nullopt, {}};
  return failure;
}

}  // namespace nb
