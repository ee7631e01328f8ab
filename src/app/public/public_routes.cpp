// GET /api/health and GET /api/config.
#include "app/core/routes.h"
#include "i18n/messages.h"
#include "services/generation_options.h"
#include "services/health_check.h"

namespace nb {
namespace {

Reply Health(RequestContext& ctx) {
  HealthReport report = CheckHealth(ctx.ports, ctx.request.request_id);
  auto name = [](const Status& s) { return s.ok() ? "ok" : "error"; };
  for (const auto& [check, status] : {std::pair{"d1", &report.d1}, {"r2", &report.r2}, {"kv", &report.kv}}) {
    if (!status->ok()) {
      RequestLog(ctx.ports.logger, ctx.request.request_id)
          .Error("health_check_failed", {{"check", check}, {"status", status->ToString()}});
    }
  }
  nlohmann::json body = {
      {"ok", report.ok()},
      {"checks", {{"d1", name(report.d1)}, {"r2", name(report.r2)}, {"kv", name(report.kv)}}}};
  return http::Response::Json(report.ok() ? 200 : 503, body);
}

Reply PublicConfig(RequestContext& ctx) {
  const Config& c = ctx.config;
  nlohmann::json body = {{"generationCost", c.GetInt("GENERATION_COST_COINS", kDefaultGenerationCost)},
                         {"aspectRatios", AspectRatios()},
                         {"maxUploadBytes", c.GetInt("MAX_UPLOAD_BYTES", kDefaultMaxUploadBytes)},
                         {"languages", i18n::SupportedLanguages()},
                         {"devLogin", c.GetBool("DEV_LOGIN")},
                         {"googleLogin", !c.Get("GOOGLE_CLIENT_ID").empty()}};
  return http::Response::Json(200, body);
}

}  // namespace

void AddPublicRoutes(http::Router<Handler>& router) {
  router.Add("GET", "/api/health", Health);
  router.Add("GET", "/api/config", PublicConfig);
}

}  // namespace nb
