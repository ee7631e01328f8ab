// Sign-in with Google, dev sign-in (local only) and sign-out.
#include "app/auth/current_user.h"
#include "app/auth/sign_in.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "auth/cookies.h"
#include "auth/google_sign_in.h"
#include "auth/safe_redirect.h"
#include "auth/session_store.h"
#include "http/json_body.h"
#include "i18n/messages.h"
#include "repositories/user_repository.h"

namespace nb {
namespace {

constexpr char kAuthLimiter[] = "AUTH_RATE_LIMITER";
constexpr char kOAuthCookiePath[] = "/api/auth/google";

std::string CallbackUrl(const RequestContext& ctx) {
  return ctx.request.origin + "/api/auth/google/callback";
}

// Google's locale claim ("es", "es-419", "en-GB") to one of our languages.
std::string LanguageFromLocale(const std::string& locale) {
  const std::string primary = LowerAscii(locale.substr(0, locale.find_first_of("-_")));
  return i18n::IsSupportedLanguage(primary) ? primary : "en";
}

Reply GoogleLogin(RequestContext& ctx) {
  GoogleEndpoints google = GoogleEndpoints::FromConfig(ctx.config);
  if (!google.configured()) return http::ApiError(http::ErrorCode::kNotFound, "error.google_not_configured");
  if (auto limited = CheckRateLimit(ctx, kAuthLimiter, "login:" + ClientAddress(ctx.request)))
    return *limited;
  auto start =
      GoogleSignIn(ctx.ports, google).Begin(CallbackUrl(ctx), ctx.request.Query("redirect").value_or("/"));
  if (!start.ok()) return http::ErrorFromStatus(start.status());
  http::Response response = http::Response::Redirect(start->location);
  response.headers.emplace_back(
      "set-cookie", SetCookie(kOAuthCookie, start->browser_binding, kOAuthCookiePath, kSignInTtlSeconds));
  return response;
}

// A browser navigating here gets sent back to the app with a code to show; API clients get JSON.
Reply CallbackFailure(RequestContext& ctx, http::ApiError error, const char* reason) {
  ctx.response_headers.emplace_back("set-cookie", ClearCookie(kOAuthCookie, kOAuthCookiePath));
  if (ctx.request.Header("accept").value_or("").find("text/html") != std::string::npos) {
    return http::Response::Redirect(std::string("/?authError=") + reason);
  }
  return error;
}

Reply GoogleCallback(RequestContext& ctx) {
  GoogleEndpoints google = GoogleEndpoints::FromConfig(ctx.config);
  if (!google.configured()) return http::ApiError(http::ErrorCode::kNotFound, "error.google_not_configured");
  if (auto limited = CheckRateLimit(ctx, kAuthLimiter, "callback:" + ClientAddress(ctx.request)))
    return *limited;
  if (ctx.request.Query("error")) {  // the person declined at Google
    return CallbackFailure(ctx, http::ApiError(http::ErrorCode::kUnauthenticated, "error.sign_in_cancelled"),
                           "cancelled");
  }
  const std::string binding =
      CookieValue(ctx.request.Header("cookie").value_or(""), kOAuthCookie).value_or("");
  auto result = GoogleSignIn(ctx.ports, google)
                    .Complete(ctx.request.Query("code").value_or(""), ctx.request.Query("state").value_or(""),
                              binding, CallbackUrl(ctx));
  if (!result.ok()) {
    RequestLog(ctx.ports.logger, ctx.request.request_id)
        .Warn("sign_in_failed", {{"status", result.status().ToString()}});
    switch (result.status().code()) {
      case Status::Code::kInvalidArgument:
        return CallbackFailure(ctx, http::ApiError(http::ErrorCode::kBadRequest, "error.sign_in_state"),
                               "state");
      case Status::Code::kPermissionDenied:
        return CallbackFailure(ctx, http::ApiError(http::ErrorCode::kUnauthenticated, "error.sign_in_token"),
                               "token");
      default: return CallbackFailure(ctx, http::ErrorFromStatus(result.status()), "unavailable");
    }
  }
  const IdTokenClaims& claims = result->claims;
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto user = users.FindOrCreateByGoogle(claims.subject, claims.email, claims.given_name.substr(0, 100),
                                         claims.family_name.substr(0, 100), LanguageFromLocale(claims.locale),
                                         ctx.config.GetInt("SIGNUP_BONUS_COINS", 0));
  if (!user.ok()) {
    if (user.status().IsConflict()) {
      return CallbackFailure(ctx, http::ApiError(http::ErrorCode::kConflict, "error.email_taken"),
                             "conflict");
    }
    return http::ErrorFromStatus(user.status());
  }
  auto session = StartSession(ctx, std::move(user.value()));
  if (auto* error = std::get_if<http::ApiError>(&session)) return *error;
  ctx.response_headers.emplace_back("set-cookie", ClearCookie(kOAuthCookie, kOAuthCookiePath));
  return http::Response::Redirect(SafeRedirectPath(result->after_path));
}

bool LooksLikeEmail(const std::string& email) {
  const size_t at = email.find('@');
  return at != std::string::npos && at > 0 && at == email.rfind('@') &&
         email.find('.', at) != std::string::npos && email.back() != '.' &&
         email.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

Reply DevLogin(RequestContext& ctx) {
  if (auto limited = CheckRateLimit(ctx, kAuthLimiter, "dev-login:" + ClientAddress(ctx.request)))
    return *limited;
  auto parsed = http::ReadJsonObject(ctx.request);
  if (auto* error = std::get_if<http::ApiError>(&parsed)) return *error;
  const nlohmann::json& body = std::get<nlohmann::json>(parsed);
  FieldErrors errors;
  auto email = errors.String(body, "email", 254, true);
  auto first = errors.String(body, "firstName", 100, false);
  auto last = errors.String(body, "lastName", 100, false);
  auto language = errors.String(body, "language", 8, false);
  if (email && !LooksLikeEmail(*email)) errors.Add("email", "field.invalid_email");
  if (language && !i18n::IsSupportedLanguage(*language)) errors.Add("language", "field.unsupported_language");
  if (!errors.ok()) return errors.error();
  UserRepository users(ctx.ports.db, ctx.ports.clock, ctx.ports.random);
  auto user =
      users.FindOrCreateByEmail(*email, first.value_or(""), last.value_or(""),
                                language.value_or(ctx.language), ctx.config.GetInt("SIGNUP_BONUS_COINS", 0));
  if (!user.ok()) return http::ErrorFromStatus(user.status());
  auto session = StartSession(ctx, std::move(user.value()));
  if (auto* error = std::get_if<http::ApiError>(&session)) return *error;
  return http::Response::Json(200, {{"user", std::get<User>(session).ToJson()}});
}

Reply Logout(RequestContext& ctx) {
  if (auto token = CookieValue(ctx.request.Header("cookie").value_or(""), kSessionCookie)) {
    SessionStore sessions(ctx.ports, ctx.config.GetInt("SESSION_TTL_SECONDS", kDefaultSessionTtlSeconds));
    Status revoked = sessions.Revoke(*token);
    if (!revoked.ok()) return http::ErrorFromStatus(revoked);
  }
  http::Response response = http::Response::NoContent();
  response.headers.emplace_back("set-cookie", ClearCookie(kSessionCookie, "/"));
  return response;
}

}  // namespace

void AddAuthRoutes(http::Router<Handler>& router, const Config& config) {
  router.Add("GET", "/api/auth/google/login", GoogleLogin);
  router.Add("GET", "/api/auth/google/callback", GoogleCallback);
  router.Add("POST", "/api/auth/logout", Logout);
  // Absent, not forbidden, outside the local dev environment: the contract's 404.
  if (config.GetBool("DEV_LOGIN")) router.Add("POST", "/api/auth/dev-login", DevLogin);
}

}  // namespace nb
