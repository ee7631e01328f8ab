// The app layer's core: settings parsed once with a clear error, NB_TRY over every result shape,
// and middleware composed in the order the route table lists it.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "app/core/middleware.h"
#include "app/core/settings.h"
#include "app_fixture.h"

namespace nb {
namespace {

using testing::AppFixture;
using testing::DefaultVars;
using testing::Vars;

std::string SettingsError(Vars vars) {
  auto parsed = Settings::Parse(Config(std::move(vars)));
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().IsInvalidArgument());
  return parsed.status().message();
}

TEST_CASE("Settings: typed once, defaults for absent vars", "[app][settings]") {
  auto parsed = Settings::Parse(Config(DefaultVars()));
  REQUIRE(parsed.ok());
  const Settings& s = parsed.value();
  CHECK(s.dev_login);
  CHECK_FALSE(s.debug_routes);
  CHECK(s.signup_bonus_coins == 100);
  CHECK(s.session_ttl_seconds == kDefaultSessionTtlSeconds);
  CHECK(s.max_upload_bytes == kDefaultMaxUploadBytes);
  CHECK(s.admin_emails == std::vector<std::string>{"boss@example.com", "other.admin@example.com"});
  CHECK(s.IsConfiguredAdmin("Other.Admin@example.COM"));
  CHECK_FALSE(s.IsConfiguredAdmin("someone@example.com"));
  CHECK(s.provider == ProviderKind::kPlaceholder);
  CHECK(s.generation.cost == kDefaultGenerationCost);
}

TEST_CASE("Settings: a bad value is an error naming the var and the value", "[app][settings]") {
  CHECK(SettingsError({{"MAX_UPLOAD_BYTES", "10MB"}}) ==
        "MAX_UPLOAD_BYTES must be a whole number, got \"10MB\"");
  CHECK(SettingsError({{"GENERATION_MAX_ATTEMPTS", "-1"}}).rfind("GENERATION_MAX_ATTEMPTS", 0) == 0);
  CHECK(SettingsError({{"SESSION_TTL_SECONDS", "99999999999999999999"}}).rfind("SESSION_TTL_SECONDS", 0) ==
        0);
  CHECK(SettingsError({{"DEV_LOGIN", "yes"}}) == "DEV_LOGIN must be true or false, got \"yes\"");
  CHECK(SettingsError({{"GENERATION_COST_COINS", "0"}}) ==
        "GENERATION_COST_COINS must be at least 1, got \"0\"");
  CHECK(Settings::Parse(Config({{"DEV_LOGIN", "false"}, {"GENERATION_RETRY_BASE_SECONDS", "0"}})).ok());
}

TEST_CASE("App: bad settings are logged at start and every request answers 500", "[app][settings]") {
  Vars vars = DefaultVars();
  vars["MAX_UPLOAD_BYTES"] = "ten";
  AppFixture f(vars);
  CHECK_FALSE(f.app.settings_status().ok());
  REQUIRE(f.native.logger.Events("settings_invalid").size() == 1);
  auto r = f.Get("/api/health");
  CHECK(r.status() == 500);
  CHECK(r.error_code() == "INTERNAL");
  auto failed = f.native.logger.Events("request_failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].fields["status"].get<std::string>().find("MAX_UPLOAD_BYTES") != std::string::npos);
}

ApiResult<int> Half(int n) {
  if (n % 2) return http::ApiError(http::ErrorCode::kBadRequest, "odd");
  return n / 2;
}

ApiResult<int> Quarter(int n) {
  const int half = NB_TRY(Half(n));
  return NB_TRY(Half(half));
}

ApiResult<std::string> FromPorts(Result<std::string> result, Status status) {
  NB_TRY(status);
  return NB_TRY(std::move(result));
}

TEST_CASE("NB_TRY: the value, or the first error returned as is", "[app][try]") {
  CHECK(Quarter(8).value() == 2);
  REQUIRE_FALSE(Quarter(6).ok());
  CHECK(Quarter(6).error().message_key == "odd");
  CHECK(FromPorts(std::string("x"), Status::Ok()).value() == "x");
  // A port failure nobody mapped: 503 for Unavailable, 500 otherwise, the Status kept as the cause.
  auto unavailable = FromPorts(std::string("x"), Status::Unavailable("kv down"));
  REQUIRE_FALSE(unavailable.ok());
  CHECK(unavailable.error().code == http::ErrorCode::kServiceUnavailable);
  auto broken = FromPorts(Status::IoError("d1"), Status::Ok());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == http::ErrorCode::kInternal);
  CHECK(broken.error().cause.IsIoError());
}

TEST_CASE("Compose: middleware runs in the listed order and an error stops the chain", "[app][middleware]") {
  testing::NativePorts native;
  Settings settings;
  http::Request request;
  RequestScope scope(native.ports, settings, request, "en");
  std::vector<std::string> trace;
  auto step = [&trace](std::string name, bool fail = false) -> Middleware {
    return [&trace, name, fail](RequestScope& s, const Handler& next) -> Reply {
      trace.push_back(name);
      if (fail) return http::ErrorCode::kForbidden;
      return next(s);
    };
  };
  Handler handler = [&trace](RequestScope&) -> Reply {
    trace.push_back("handler");
    return http::Response::NoContent();
  };
  CHECK(Compose({step("a"), step("b")}, handler)(scope).ok());
  CHECK(trace == std::vector<std::string>{"a", "b", "handler"});
  trace.clear();
  Reply refused = Compose({step("a"), step("b", true), step("c")}, handler)(scope);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == http::ErrorCode::kForbidden);
  CHECK(trace == std::vector<std::string>{"a", "b"});
}

}  // namespace
}  // namespace nb
