// The health answer, shared by GET /api/health (reads only) and GET /api/admin/health (write round
// trip): {"ok", "checks": {"d1","r2","kv"}}, 503 when a check failed, each failure logged with its Status.
#pragma once

#include "app/core/scope.h"
#include "services/health_check.h"

namespace nb {

inline Reply HealthReply(RequestScope& scope, const HealthReport& report) {
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

}  // namespace nb
