// Test-only generation endpoints (mounted with the other debug routes when DEBUG_ROUTES is "true"):
// re-send a job message as the queue's at-least-once delivery would, run the sweeper at a chosen
// time, and audit a user's coins, jobs and objects against the invariants the tests assert.
#include <cstdlib>

#include "app/core/routes.h"
#include "generation/coin_audit.h"
#include "generation/generation_service.h"
#include "generation/sweeper.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"
#include "util/ids.h"

namespace nb {
namespace {

Reply GenerationState(RequestContext& ctx) {
  const std::string id = ctx.request.Param("id");
  if (!IsValidId(id)) return http::ApiError(http::ErrorCode::kNotFound);
  GenerationJobRepository jobs(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto job = jobs.Find(id);
  if (!job.ok()) return http::ErrorFromStatus(job.status());
  ImageRepository images(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto image = images.FindById(id);
  if (!image.ok() && !image.status().IsNotFound()) return http::ErrorFromStatus(image.status());
  if (!*job && !image.ok()) return http::ApiError(http::ErrorCode::kNotFound);
  nlohmann::json body = {{"job", *job ? (*job)->ToJson() : nlohmann::json(nullptr)}, {"image", nullptr}};
  if (image.ok()) {
    body["image"] = image->ToJson();
    body["image"]["metadata"] = image->metadata;
  }
  return http::Response::Json(200, body);
}

// A second (or late) delivery of the job's message.
Reply Redeliver(RequestContext& ctx) {
  const std::string id = ctx.request.Param("id");
  GenerationJobRepository jobs(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto job = IsValidId(id) ? jobs.Find(id) : Result<std::optional<GenerationJob>>(std::nullopt);
  if (!job.ok()) return http::ErrorFromStatus(job.status());
  if (!*job) return http::ApiError(http::ErrorCode::kNotFound);
  int delay = 0;
  if (auto d = ctx.request.Query("delaySeconds")) delay = std::atoi(d->c_str());
  Status sent = ctx.ports.jobs.Send(GenerateJobMessage(id, (*job)->user_id), delay);
  if (!sent.ok()) return http::ErrorFromStatus(sent);
  return http::Response::Json(202, {{"sent", true}});
}

// The sweeper as the cron would run it, at ?now= (ms since the epoch) or the clock's time.
Reply Sweep(RequestContext& ctx) {
  int64_t now = ctx.ports.clock.NowMs();
  if (auto n = ctx.request.Query("now")) now = std::strtoll(n->c_str(), nullptr, 10);
  SweepReport report = SweepStuckGenerations(ctx.ports, ctx.config, now);
  return http::Response::Json(
      200, {{"overdue", report.overdue}, {"refunded", report.refunded}, {"errors", report.errors}});
}

// Everything the generation tests check after each scenario (generation/coin_audit.h).
Reply Audit(RequestContext& ctx) {
  auto audit = AuditUser(ctx.ports, ctx.request.Param("id"));
  if (!audit.ok()) {
    if (audit.status().IsNotFound()) return http::ApiError(http::ErrorCode::kNotFound);
    return http::ErrorFromStatus(audit.status());
  }
  return http::Response::Json(200, audit->ToJson());
}

}  // namespace

void AddGenerationDebugRoutes(http::Router<Handler>& router) {
  router.Add("GET", "/api/_debug/generation/:id", GenerationState);
  router.Add("POST", "/api/_debug/generation/:id/redeliver", Redeliver);
  router.Add("POST", "/api/_debug/generation-sweep", Sweep);
  router.Add("GET", "/api/_debug/users/:id/generation-audit", Audit);
}

}  // namespace nb
