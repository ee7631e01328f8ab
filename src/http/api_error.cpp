#include "http/api_error.h"

#include "i18n/messages.h"

namespace nb::http {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return 400;
    case ErrorCode::kValidationFailed: return 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kRangeNotSatisfiable: return 416;
    case ErrorCode::kInsufficientCoins: return 402;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kServiceUnavailable: return 503;
    case ErrorCode::kQuotaExceeded: return 403;
  }
  return 500;
}

const char* CodeString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return "BAD_REQUEST";
    case ErrorCode::kValidationFailed: return "VALIDATION_FAILED";
    case ErrorCode::kUnauthenticated: return "UNAUTHENTICATED";
    case ErrorCode::kForbidden: return "FORBIDDEN";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kMethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case ErrorCode::kConflict: return "CONFLICT";
    case ErrorCode::kPayloadTooLarge: return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType: return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kRangeNotSatisfiable: return "RANGE_NOT_SATISFIABLE";
    case ErrorCode::kInsufficientCoins: return "INSUFFICIENT_COINS";
    case ErrorCode::kRateLimited: return "RATE_LIMITED";
    case ErrorCode::kInternal: return "INTERNAL";
    case ErrorCode::kServiceUnavailable: return "SERVICE_UNAVAILABLE";
    case ErrorCode::kQuotaExceeded: return "QUOTA_EXCEEDED";
  }
  return "INTERNAL";
}

Response ErrorResponse(const ApiError& error, const std::string& language, const std::string& request_id) {
  const std::string key =
      error.message_key.empty() ? std::string("code.") + CodeString(error.code) : error.message_key;
  nlohmann::json body = {{"code", CodeString(error.code)},
                         {"message", i18n::Message(key, language, error.args)}};
  if (!error.fields.empty()) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [name, field_key] : error.fields) fields[name] = i18n::Message(field_key, language, {});
    body["fields"] = std::move(fields);
  }
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kServiceUnavailable) {
    body["requestId"] = request_id;
  }
  return Response::Json(HttpStatusOf(error.code), {{"error", std::move(body)}});
}

ApiError ErrorFromStatus(const Status& status) {
  ApiError error(status.IsUnavailable() ? ErrorCode::kServiceUnavailable : ErrorCode::kInternal);
  error.cause = status;
  return error;
}

ApiError InternalError(const Status& cause) {
  ApiError error(ErrorCode::kInternal);
  error.cause = cause;
  return error;
}

}  // namespace nb::http
