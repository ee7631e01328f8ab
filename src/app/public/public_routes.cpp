// GET /api/health and GET /api/config.
#include "app/core/routes.h"
#include "i18n/messages.h"
#include "services/generation_options.h"
#include "services/health_check.h"

namespace nb {
namespace {

Reply Health(RequestScope& scope) {
  HealthReport report = CheckHealth(scope.ports, scope.request.request_id);
  auto name = [](const Status& s) { return s.ok() ? "ok" : "error"; };
  for (const auto& [check, status] : {std::pair{"d1", &report.d1}, {"r2", &report.r2}, {"kv", &report.kv}}) {
    if (!status->ok())
      scope.log.Error("health_check_failed", {{"check", check}, {"status", status->ToString()}});
  }
  nlohmann::json body = {
      {"ok", report.ok()},
      {"checks", {{"d1", name(report.d1)}, {"r2", name(report.r2)}, {"kv", name(report.kv)}}}};
  return http::Response::Json(report.ok() ? 200 : 503, body);
}

Reply PublicConfig(RequestScope& scope) {
  const Settings& s = scope.settings;
  nlohmann::json body = {{"generationCost", s.generation.cost},
                         {"aspectRatios", AspectRatios()},
                         {"maxUploadBytes", s.max_upload_bytes},
                         {"languages", i18n::SupportedLanguages()},
                         {"devLogin", s.dev_login},
                         {"googleLogin", s.google.configured()},
                         {"billing", s.billing.enabled()},
                         {"dailyReward", s.billing.daily_reward_coins}};
  return http::Response::Json(200, body);
}

}  // namespace

void AddPublicRoutes(RouteTable& app) {
  app.Get("/api/health", Health);
  app.Get("/api/config", PublicConfig);
}

}  // namespace nb
