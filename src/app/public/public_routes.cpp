// GET /api/health (read-only; the write round trip is GET /api/admin/health) and GET /api/config.
#include "app/core/routes.h"
#include "app/public/health_reply.h"
#include "i18n/messages.h"
#include "services/generation_options.h"

namespace nb {
namespace {

// Reads only: anyone can call it (services/health_check.h).
Reply Health(RequestScope& scope) { return HealthReply(scope, CheckHealth(scope.ports)); }

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
  nlohmann::json models = nlohmann::json::array();
  for (const OfferedModel& m : s.generation.models.models)
    models.push_back(m.ToJson(&m == &s.generation.models.Default()));
  body["models"] = std::move(models);
  return http::Response::Json(200, body);
}

}  // namespace

void AddPublicRoutes(RouteTable& app) {
  app.Get("/api/health", Health);
  app.Get("/api/config", PublicConfig);
}

}  // namespace nb
