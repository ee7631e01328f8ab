// Per-user gallery totals for GET /api/images/stats.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace nb {

struct ImageStats {
  int64_t total = 0;
  int64_t generated = 0;
  int64_t uploaded = 0;
  int64_t pending = 0;
  int64_t processing = 0;
  int64_t completed = 0;
  int64_t failed = 0;
  int64_t favorites = 0;
  int64_t coins_spent = 0;   // coins_used of every image that did not fail (failures are refunded)
  int64_t bytes_stored = 0;  // originals plus thumbnails

  // {"total","byType":{"GENERATED","UPLOADED"},"byStatus":{...},"coinsSpent","bytesStored"}
  nlohmann::json ToJson() const;
};

}  // namespace nb
