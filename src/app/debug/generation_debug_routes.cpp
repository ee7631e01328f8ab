// Test-only generation endpoints (mounted with the other debug routes when DEBUG_ROUTES is "true"):
// re-send a job message as the queue's at-least-once delivery would, run the sweeper at a chosen
// time, and audit a user's coins, jobs and objects against the invariants the tests assert.
#include <cstdlib>

#include "app/core/routes.h"
#include "generation/coin_audit.h"
#include "generation/generation_service.h"
#include "generation/sweeper.h"
#include "util/ids.h"

namespace nb {
namespace {

Reply GenerationState(RequestScope& scope) {
  const std::string id = scope.request.Param("id");
  if (!IsValidId(id)) return http::ErrorCode::kNotFound;
  const std::optional<GenerationJob> job = NB_TRY(scope.repos.generation_jobs.Find(id));
  auto image = scope.repos.images.FindById(id);
  if (!image.ok() && !image.status().IsNotFound()) return http::ErrorFromStatus(image.status());
  if (!job && !image.ok()) return http::ErrorCode::kNotFound;
  nlohmann::json body = {{"job", job ? job->ToJson() : nlohmann::json(nullptr)}, {"image", nullptr}};
  if (image.ok()) {
    body["image"] = image->ToJson();
    body["image"]["metadata"] = image->metadata;
  }
  return http::Response::Json(200, body);
}

// A second (or late) delivery of the job's message.
Reply Redeliver(RequestScope& scope) {
  const std::string id = scope.request.Param("id");
  const std::optional<GenerationJob> job =
      IsValidId(id) ? NB_TRY(scope.repos.generation_jobs.Find(id)) : std::nullopt;
  if (!job) return http::ErrorCode::kNotFound;
  int delay = 0;
  if (auto d = scope.request.Query("delaySeconds")) delay = std::atoi(d->c_str());
  NB_TRY(scope.ports.jobs.Send(GenerateJobMessage(id, job->user_id), delay));
  return http::Response::Json(202, {{"sent", true}});
}

// The sweeper as the cron would run it, at ?now= (ms since the epoch) or the clock's time.
Reply Sweep(RequestScope& scope) {
  int64_t now = scope.ports.clock.NowMs();
  if (auto n = scope.request.Query("now")) now = std::strtoll(n->c_str(), nullptr, 10);
  SweepReport report = SweepStuckGenerations(scope.ports, scope.settings.vars, now);
  return http::Response::Json(
      200, {{"overdue", report.overdue}, {"refunded", report.refunded}, {"errors", report.errors}});
}

http::ApiError AuditError(const Status& status) {
  if (status.IsNotFound()) return http::ErrorCode::kNotFound;
  return http::ErrorFromStatus(status);
}

// Everything the generation tests check after each scenario (generation/coin_audit.h).
Reply Audit(RequestScope& scope) {
  const auto audit = NB_TRY(OrError(AuditUser(scope.ports, scope.request.Param("id")), AuditError));
  return http::Response::Json(200, audit.ToJson());
}

}  // namespace

void AddGenerationDebugRoutes(RouteTable& app) {
  RouteTable debug = app.Group("/api/_debug");
  debug.Get("/generation/:id", GenerationState);
  debug.Post("/generation/:id/redeliver", Redeliver);
  debug.Post("/generation-sweep", Sweep);
  debug.Get("/users/:id/generation-audit", Audit);
}

}  // namespace nb
