// The contract's error envelope: {"error": {"code", "message", ...}} with a stable code and a message in
// the caller's language.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "http/response.h"
#include "ports/status.h"

namespace nb::http {

enum class ErrorCode {
  kBadRequest,
  kValidationFailed,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kRangeNotSatisfiable,
  kInsufficientCoins,
  kRateLimited,
  kInternal,
  kServiceUnavailable,
  kQuotaExceeded,  // 403 QUOTA_EXCEEDED: the user's storage quota (STORAGE_QUOTA_BYTES)
};

struct ApiError {
  ErrorCode code = ErrorCode::kInternal;
  std::string message_key;                    // a key of messages.cpp; empty = the code's default text
  std::map<std::string, std::string> fields;  // VALIDATION_FAILED: field -> message key
  std::map<std::string, std::string> args;    // {name} placeholders in the message
  // The port failure behind a 500 or 503 (ErrorFromStatus): logged with the request id by the App,
  // never sent to the client. OK when the error has no underlying Status.
  Status cause;

  ApiError() = default;
  ApiError(ErrorCode c, std::string key = "") : code(c), message_key(std::move(key)) {}
  ApiError& Field(const std::string& name, const std::string& key) {
    fields[name] = key;
    return *this;
  }
  ApiError& Arg(const std::string& name, const std::string& value) {
    args[name] = value;
    return *this;
  }
};

int HttpStatusOf(ErrorCode code);
const char* CodeString(ErrorCode code);

// Renders the envelope. INTERNAL carries the request id so a user report can be traced in the logs.
Response ErrorResponse(const ApiError& error, const std::string& language, const std::string& request_id);

// A port failure that no handler expected becomes INTERNAL (or 503 for Unavailable); the Status
// rides along as `cause`, which the App logs and never sends.
ApiError ErrorFromStatus(const Status& status);
// INTERNAL whatever the Status says (even Unavailable), with the Status as its logged cause.
ApiError InternalError(const Status& cause);

}  // namespace nb::http
