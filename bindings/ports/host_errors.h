// How the JS shim reports a failed binding call, turned into a Status. Shared by every wasm port and
// tested natively, so the D1/R2/KV error mapping is checked without a Worker.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ports/status.h"

namespace nb {

// `error` is the shim's {"kind": "...", "message": "..."}. D1 errors reach us only as messages, so
// SQLite's constraint wording decides between Conflict and FailedPrecondition, as in SqliteDatabase.
inline Status StatusFromHostError(const nlohmann::json& error) {
  const std::string kind = error.is_object() ? error.value("kind", "") : "";
  const std::string message =
      error.is_object() ? error.value("message", "host call failed") : "host call failed";
  if (message.find("UNIQUE constraint failed") != std::string::npos) return Status::Conflict(message);
  if (message.find("constraint failed") != std::string::npos) return Status::FailedPrecondition(message);
  if (kind == "not_found") return Status::NotFound(message);
  if (kind == "invalid_argument") return Status::InvalidArgument(message);
  if (kind == "out_of_range") return Status::OutOfRange(message);
  if (kind == "unavailable") return Status::Unavailable(message);
  if (kind == "conflict") return Status::Conflict(message);
  if (kind == "failed_precondition") return Status::FailedPrecondition(message);
  if (kind == "internal") return Status::Internal(message);
  return Status::IoError(message);
}

}  // namespace nb
