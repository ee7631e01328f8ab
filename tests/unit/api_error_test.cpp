#include "http/api_error.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb::http {
namespace {

nlohmann::json BodyOf(const Response& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  return body;
}

TEST_CASE("api_error: every code maps to its contract status and stable name", "[api_error]") {
  const std::vector<std::tuple<ErrorCode, int, std::string>> table = {
      {ErrorCode::kBadRequest, 400, "BAD_REQUEST"},
      {ErrorCode::kValidationFailed, 422, "VALIDATION_FAILED"},
      {ErrorCode::kUnauthenticated, 401, "UNAUTHENTICATED"},
      {ErrorCode::kForbidden, 403, "FORBIDDEN"},
      {ErrorCode::kNotFound, 404, "NOT_FOUND"},
      {ErrorCode::kMethodNotAllowed, 405, "METHOD_NOT_ALLOWED"},
      {ErrorCode::kConflict, 409, "CONFLICT"},
      {ErrorCode::kPayloadTooLarge, 413, "PAYLOAD_TOO_LARGE"},
      {ErrorCode::kUnsupportedMediaType, 415, "UNSUPPORTED_MEDIA_TYPE"},
      {ErrorCode::kRangeNotSatisfiable, 416, "RANGE_NOT_SATISFIABLE"},
      {ErrorCode::kInsufficientCoins, 402, "INSUFFICIENT_COINS"},
      {ErrorCode::kRateLimited, 429, "RATE_LIMITED"},
      {ErrorCode::kInternal, 500, "INTERNAL"},
      {ErrorCode::kServiceUnavailable, 503, "SERVICE_UNAVAILABLE"},
  };
  for (const auto& [code, status, name] : table) {
    INFO(name);
    CHECK(HttpStatusOf(code) == status);
    CHECK(CodeString(code) == name);
    const Response r = ErrorResponse(ApiError(code), "en", "req-1");
    CHECK(r.status == status);
    CHECK(BodyOf(r)["error"]["code"] == name);
  }
}

TEST_CASE("api_error: the envelope is {error:{code,message}} and nothing else for a 4xx", "[api_error]") {
  const Response r = ErrorResponse(ApiError(ErrorCode::kNotFound), "en", "req-42");
  CHECK(r.status == 404);
  CHECK(r.Header("content-type") == "application/json; charset=utf-8");
  const auto body = BodyOf(r);
  CHECK(body.size() == 1);
  const auto& error = body["error"];
  CHECK(error.size() == 2);
  CHECK(error["code"] == "NOT_FOUND");
  CHECK(error["message"] == "Not found.");
  CHECK_FALSE(error.contains("requestId"));
  CHECK_FALSE(error.contains("fields"));
  CHECK(r.body.find("req-42") == std::string::npos);
}

TEST_CASE("api_error: requestId only on 500 and 503", "[api_error]") {
  for (ErrorCode code : {ErrorCode::kInternal, ErrorCode::kServiceUnavailable}) {
    const auto error = BodyOf(ErrorResponse(ApiError(code), "en", "req-7f"))["error"];
    CHECK(error["requestId"] == "req-7f");
  }
  for (ErrorCode code : {ErrorCode::kBadRequest, ErrorCode::kForbidden, ErrorCode::kRateLimited,
                         ErrorCode::kInsufficientCoins, ErrorCode::kConflict}) {
    CHECK_FALSE(BodyOf(ErrorResponse(ApiError(code), "en", "req-7f"))["error"].contains("requestId"));
  }
}

TEST_CASE("api_error: a message key and args override the code's default text", "[api_error]") {
  const ApiError error = ApiError(ErrorCode::kPayloadTooLarge, "error.body_too_large").Arg("limit", "1024");
  CHECK(BodyOf(ErrorResponse(error, "en", "r"))["error"]["message"] == "The body is larger than 1024 bytes.");
  CHECK(BodyOf(ErrorResponse(error, "es", "r"))["error"]["message"] == "El cuerpo supera los 1024 bytes.");
  CHECK(BodyOf(ErrorResponse(ApiError(ErrorCode::kForbidden), "es", "r"))["error"]["message"] ==
        "No tienes permiso para hacer eso.");
}

TEST_CASE("api_error: fields are rendered as messages in the caller's language", "[api_error]") {
  ApiError error(ErrorCode::kValidationFailed);
  error.Field("email", "field.invalid_email").Field("language", "field.unsupported_language");
  const auto en = BodyOf(ErrorResponse(error, "en", "r"))["error"];
  CHECK(en["code"] == "VALIDATION_FAILED");
  CHECK(en["message"] == "Some fields are not valid.");
  CHECK(en["fields"] ==
        nlohmann::json{{"email", "Not a valid email address."}, {"language", "Unsupported language."}});
  const auto es = BodyOf(ErrorResponse(error, "es", "r"))["error"];
  CHECK(es["fields"]["email"] == "No es un correo electrónico válido.");
  CHECK(es["fields"]["language"] == "Idioma no admitido.");
  // A later Field() for the same name replaces the first.
  error.Field("email", "field.required");
  CHECK(BodyOf(ErrorResponse(error, "en", "r"))["error"]["fields"]["email"] == "This field is required.");
}

TEST_CASE("api_error: ErrorFromStatus hides port failures behind 500, or 503 for Unavailable",
          "[api_error]") {
  CHECK(ErrorFromStatus(Status::Unavailable("D1 down")).code == ErrorCode::kServiceUnavailable);
  for (const Status& s : {Status::Internal("boom"), Status::IoError("disk"), Status::NotFound("x"),
                          Status::InvalidArgument("sql")}) {
    CHECK(ErrorFromStatus(s).code == ErrorCode::kInternal);
  }
  const Response r =
      ErrorResponse(ErrorFromStatus(Status::Internal("SQLITE_ERROR: no such table")), "en", "id-1");
  CHECK(r.status == 500);
  CHECK(r.body.find("SQLITE") == std::string::npos);
  CHECK(BodyOf(r)["error"]["requestId"] == "id-1");
}

}  // namespace
}  // namespace nb::http
