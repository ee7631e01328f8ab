#include "app/app.h"

#include "app/core/routes.h"
#include "app/core/session.h"
#include "generation/generation_service.h"
#include "generation/generation_worker.h"
#include "generation/sweeper.h"
#include "i18n/messages.h"
#include "util/debug_trap.h"

namespace nb {

App::App(Ports& ports, Config config) : ports_(ports) {
  auto parsed = Settings::Parse(config);
  if (parsed.ok()) {
    settings_ = std::move(parsed).value();
  } else {
    settings_status_ = parsed.status();
    settings_.vars = std::move(config);
    RequestLog(ports_.logger).Error("settings_invalid", {{"status", settings_status_.ToString()}});
  }
  RouteTable app(router_, settings_);
  AddPublicRoutes(app);
  AddOpenApiRoute(app);
  AddAuthRoutes(app);
  AddMeRoutes(app);
  AddAdminRoutes(app);
  AddGenerationRoutes(app);
  AddImageRoutes(app);
  AddBillingRoutes(app);
  if (settings_.debug_routes) {
    AddDebugRoutes(app);
    AddGenerationDebugRoutes(app);
  }
  jobs_[kGenerateJobType] = HandleGenerateJob;
  periodic_tasks_.push_back(SweepStuckGenerationsTask);
}

namespace {

void LogRequest(const RequestLog& log, const http::Request& request, const http::Response& response,
                int64_t started_ms, int64_t ended_ms) {
  log.Log(response.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "request",
          {{"method", request.method},
           {"path", request.path},
           {"status", response.status},
           {"ms", ended_ms - started_ms}});
}

// CSRF defence for cookie-authenticated writes: the browser must say the request comes from our own
// pages, by Origin or by Fetch Metadata. Reads are left alone.
bool IsSameOriginWrite(const http::Request& request) {
  const std::string& m = request.method;
  if (m == "GET" || m == "HEAD" || m == "OPTIONS") return true;
  // Stripe's server calls it with no cookie and no Origin; its signature is the authentication.
  if (request.path == kStripeWebhookPath) return true;
  if (auto origin = request.Header("origin");
      origin && !request.origin.empty() && *origin == request.origin) {
    return true;
  }
  return request.Header("sec-fetch-site").value_or("") == "same-origin";
}

// Errors speak the signed-in user's language when there is one, even if the handler never looked.
// A 5xx is logged with what caused it: the client only sees INTERNAL and the request id, so this
// line is the one place the underlying Status survives.
http::Response RenderError(RequestScope& scope, const http::ApiError& error) {
  if (http::HttpStatusOf(error.code) >= 500) {
    nlohmann::json fields = {{"code", http::CodeString(error.code)}};
    if (!error.cause.ok()) fields["status"] = error.cause.ToString();
    if (!error.message_key.empty()) fields["messageKey"] = error.message_key;
    scope.log.Error("request_failed", std::move(fields));
  }
  if (!scope.caller.checked && scope.request.Header("cookie")) {
    // Only for the language of the message: if the session cannot be read now, the error is still
    // answered, in the request's language.
    (void)Authenticate(scope);
  }
  return http::ErrorResponse(error, scope.language, scope.request.request_id);
}

}  // namespace

http::Response App::Handle(http::Request& request) {
  const int64_t started = ports_.clock.NowMs();
  RequestScope scope(ports_, settings_, request,
                     i18n::PickLanguage("", request.Header("accept-language").value_or("")));
  http::Response response;
  if (!settings_status_.ok()) {
    response = RenderError(scope, http::InternalError(settings_status_));
  } else if (request.body_too_large) {
    response = RenderError(scope, http::ApiError(http::ErrorCode::kPayloadTooLarge));
  } else if (!http::ParseTarget(request.url, request.path, request.query)) {
    response = RenderError(scope, http::ApiError(http::ErrorCode::kBadRequest));
  } else {
    auto match = router_.Find(request.method, request.path);
    if (match.handler && !IsSameOriginWrite(request)) {
      response = RenderError(scope, http::ApiError(http::ErrorCode::kForbidden, "error.cross_origin"));
    } else if (match.handler) {
      request.params = std::move(match.params);
      Reply reply = (*match.handler)(scope);
      response = reply.ok() ? std::move(reply).value() : RenderError(scope, reply.error());
    } else if (!match.allowed.empty()) {
      response = RenderError(scope, http::ApiError(http::ErrorCode::kMethodNotAllowed));
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      response.SetHeader("allow", allow);
    } else {
      response = RenderError(scope, http::ApiError(http::ErrorCode::kNotFound, "error.route_not_found"));
    }
  }
  for (const auto& [name, value] : scope.response_headers) response.headers.emplace_back(name, value);
  response.SetHeader("x-request-id", request.request_id);
  if (!response.Header("cache-control")) response.SetHeader("cache-control", "no-store");
  response.SetHeader("x-content-type-options", "nosniff");
  LogRequest(scope.log, request, response, started, ports_.clock.NowMs());
  return response;
}

}  // namespace nb

namespace nb {

nlohmann::json App::HandleQueue(const nlohmann::json& batch) {
  nlohmann::json decisions = nlohmann::json::array();
  if (!batch.is_object() || !batch.contains("messages") || !batch["messages"].is_array()) return decisions;
  for (const auto& message : batch["messages"]) {
    const std::string id = message.value("id", "");
    const nlohmann::json body = message.contains("body") ? message["body"] : nlohmann::json();
    const std::string type = body.is_object() ? body.value("type", "") : "";
    JobOutcome outcome;
    if (!settings_status_.ok()) {
      // Misconfigured: keep the message for the fixed deployment rather than act on a wrong setting.
      outcome = JobOutcome::Retry(60);
    } else if (auto it = jobs_.find(type); it != jobs_.end()) {
      outcome = it->second(ports_, settings_.vars, body, message.value("attempts", 1));
    } else {
      // No handler in this version: retry, so the message ends in the dead-letter queue, not lost.
      RequestLog(ports_.logger).Error("queue_message_unknown_type", {{"queueMessage", id}, {"type", type}});
      outcome = JobOutcome::Retry(60);
    }
    nlohmann::json d = {{"id", id}, {"action", outcome.action == JobOutcome::Action::kAck ? "ack" : "retry"}};
    if (outcome.action == JobOutcome::Action::kRetry) d["delaySeconds"] = outcome.delay_seconds;
    decisions.push_back(std::move(d));
  }
  return decisions;
}

void App::HandleScheduled(const nlohmann::json& event) {
  const int64_t scheduled_ms = event.is_object() ? event.value("scheduledTime", int64_t{0}) : 0;
  if (!settings_status_.ok()) return;
  MaybeDebugTrap(ports_, settings_.debug_routes, "cron");  // tests only: a tick that traps
  for (auto& task : periodic_tasks_) task(ports_, settings_.vars, scheduled_ms);
}

}  // namespace nb
