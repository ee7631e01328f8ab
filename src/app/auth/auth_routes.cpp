// Sign-in with Google, dev sign-in (local only) and sign-out.
#include "app/auth/sign_in.h"
#include "app/core/profile_fields.h"
#include "app/core/routes.h"
#include "app/core/validation.h"
#include "auth/cookies.h"
#include "auth/google_sign_in.h"
#include "auth/safe_redirect.h"
#include "i18n/messages.h"

namespace nb {
namespace {

constexpr char kAuthLimiter[] = "AUTH_RATE_LIMITER";
constexpr char kOAuthCookiePath[] = "/api/auth/google";

std::string CallbackUrl(const RequestScope& scope) {
  return scope.request.origin + "/api/auth/google/callback";
}

// Google's locale claim ("es", "es-419", "en-GB") to one of our languages.
std::string LanguageFromLocale(const std::string& locale) {
  const std::string primary = LowerAscii(locale.substr(0, locale.find_first_of("-_")));
  return i18n::IsSupportedLanguage(primary) ? primary : "en";
}

// Without GOOGLE_CLIENT_ID the Google routes answer as if absent.
Reply GoogleConfigured(RequestScope& scope, const Handler& next) {
  if (!scope.settings.google.configured()) {
    return http::ApiError(http::ErrorCode::kNotFound, "error.google_not_configured");
  }
  return next(scope);
}

Reply GoogleLogin(RequestScope& scope) {
  const SignInStart start =
      NB_TRY(GoogleSignIn(scope.ports, scope.settings.google)
                 .Begin(CallbackUrl(scope), scope.request.Query("redirect").value_or("/")));
  http::Response response = http::Response::Redirect(start.location);
  response.headers.emplace_back(
      "set-cookie", SetCookie(kOAuthCookie, start.browser_binding, kOAuthCookiePath, kSignInTtlSeconds));
  return response;
}

// A browser navigating here gets sent back to the app with a code to show; API clients get JSON.
Reply CallbackFailure(RequestScope& scope, http::ApiError error, const char* reason) {
  scope.response_headers.emplace_back("set-cookie", ClearCookie(kOAuthCookie, kOAuthCookiePath));
  if (scope.request.Header("accept").value_or("").find("text/html") != std::string::npos) {
    return http::Response::Redirect(std::string("/?authError=") + reason);
  }
  return error;
}

Reply GoogleCallback(RequestScope& scope) {
  if (scope.request.Query("error")) {  // the person declined at Google
    return CallbackFailure(
        scope, http::ApiError(http::ErrorCode::kUnauthenticated, "error.sign_in_cancelled"), "cancelled");
  }
  const std::string binding =
      CookieValue(scope.request.Header("cookie").value_or(""), kOAuthCookie).value_or("");
  auto result = GoogleSignIn(scope.ports, scope.settings.google)
                    .Complete(scope.request.Query("code").value_or(""),
                              scope.request.Query("state").value_or(""), binding, CallbackUrl(scope));
  if (!result.ok()) {
    scope.log.Warn("sign_in_failed", {{"status", result.status().ToString()}});
    switch (result.status().code()) {
      case Status::Code::kInvalidArgument:
        return CallbackFailure(scope, http::ApiError(http::ErrorCode::kBadRequest, "error.sign_in_state"),
                               "state");
      case Status::Code::kPermissionDenied:
        return CallbackFailure(
            scope, http::ApiError(http::ErrorCode::kUnauthenticated, "error.sign_in_token"), "token");
      default: return CallbackFailure(scope, http::ErrorFromStatus(result.status()), "unavailable");
    }
  }
  const IdTokenClaims& claims = result->claims;
  auto user = scope.repos.users.FindOrCreateByGoogle(
      claims.subject, claims.email, claims.given_name.substr(0, 100), claims.family_name.substr(0, 100),
      LanguageFromLocale(claims.locale), scope.settings.signup_bonus_coins);
  if (!user.ok() && user.status().IsConflict()) {
    return CallbackFailure(scope, http::ApiError(http::ErrorCode::kConflict, "error.email_taken"),
                           "conflict");
  }
  User found = NB_TRY(std::move(user));
  NB_TRY(StartSession(scope, std::move(found)));
  scope.response_headers.emplace_back("set-cookie", ClearCookie(kOAuthCookie, kOAuthCookiePath));
  return http::Response::Redirect(SafeRedirectPath(result->after_path));
}

bool LooksLikeEmail(const std::string& email) {
  const size_t at = email.find('@');
  return at != std::string::npos && at > 0 && at == email.rfind('@') &&
         email.find('.', at) != std::string::npos && email.back() != '.' &&
         email.find_first_of(" \t\r\n<>,;\"") == std::string::npos;
}

struct DevSignIn {
  std::string email;
  ProfileFields profile;
};

ApiResult<DevSignIn> ParseDevSignIn(const nlohmann::json& body) {
  FieldErrors errors;
  auto email = errors.String(body, "email", 254, true);
  if (email && !LooksLikeEmail(*email)) errors.Add("email", "field.invalid_email");
  ProfileFields profile = ReadProfileFields(errors, body);
  return errors.Or(DevSignIn{email.value_or(""), std::move(profile)});
}

Reply DevLogin(RequestScope& scope) {
  const DevSignIn& in = scope.body<DevSignIn>();
  User found = NB_TRY(scope.repos.users.FindOrCreateByEmail(
      in.email, in.profile.first_name.value_or(""), in.profile.last_name.value_or(""),
      in.profile.language.value_or(scope.language), scope.settings.signup_bonus_coins));
  const User user = NB_TRY(StartSession(scope, std::move(found)));
  return http::Response::Json(200, {{"user", user.ToJson()}});
}

Reply Logout(RequestScope& scope) {
  if (auto token = CookieValue(scope.request.Header("cookie").value_or(""), kSessionCookie)) {
    NB_TRY(scope.sessions.Revoke(*token));
  }
  http::Response response = http::Response::NoContent();
  response.headers.emplace_back("set-cookie", ClearCookie(kSessionCookie, "/"));
  return response;
}

// Every session of the user ends, this one included: the user's epoch moves on, so sessions made
// before it are refused wherever they are (KV cannot list a user's sessions).
Reply LogoutEverywhere(RequestScope& scope) {
  NB_TRY(scope.repos.users.BumpSessionEpoch(scope.user().id));
  if (!scope.caller.session_token.empty()) NB_TRY(scope.sessions.Revoke(scope.caller.session_token));
  http::Response response = http::Response::NoContent();
  response.headers.emplace_back("set-cookie", ClearCookie(kSessionCookie, "/"));
  return response;
}

}  // namespace

void AddAuthRoutes(RouteTable& app) {
  RouteTable auth = app.Group("/api/auth");
  auth.Get("/google/login", {GoogleConfigured, RateLimited(kAuthLimiter, PerClient("login:"))}, GoogleLogin);
  auth.Get("/google/callback", {GoogleConfigured, RateLimited(kAuthLimiter, PerClient("callback:"))},
           GoogleCallback);
  auth.Post("/logout", Logout);
  auth.Post("/logout-everywhere", {SignedIn}, LogoutEverywhere);
  // Absent, not forbidden, outside the local dev environment: the contract's 404.
  if (app.settings().dev_login) {
    auth.Post("/dev-login", {RateLimited(kAuthLimiter, PerClient("dev-login:")), JsonBody(ParseDevSignIn)},
              DevLogin);
  }
}

}  // namespace nb
