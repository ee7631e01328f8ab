// The machinery behind one GENERATED image (table generation_jobs): who pays, the state of the coins
// held for it, which queue delivery is working on it and when it counts as stuck.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

// The coins taken at request time: still held, kept for a made image, or given back.
enum class HoldState { kOpen, kSettled, kRefunded };

const char* HoldStateName(HoldState state);  // "open", "settled", "refunded"
std::optional<HoldState> ParseHoldState(const std::string& name);

struct GenerationJob {
  std::string image_id;
  std::string user_id;
  int64_t cost = 0;
  HoldState hold = HoldState::kOpen;
  std::string request_hash;
  // The namespaced Idempotency-Key ('generate:<header>'), if the request had one. Kept here, not only on
  // the image: the job outlives a deleted image, so the key is never freed for a second charge.
  std::optional<std::string> idempotency_key;
  std::optional<std::string> claim_token;
  std::optional<int64_t> claimed_at_ms;
  int64_t attempts = 0;
  int64_t deadline_at_ms = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> resolved_at_ms;

  static Result<GenerationJob> FromRow(const SqlRow& row);
  // For debugging endpoints and logs; the claim token is left out.
  nlohmann::json ToJson() const;
};

}  // namespace nb
