#include "models/image_stats.h"

namespace nb {

nlohmann::json ImageStats::ToJson() const {
  return {{"total", total},
          {"byType", {{"GENERATED", generated}, {"UPLOADED", uploaded}}},
          {"byStatus",
           {{"PENDING", pending}, {"PROCESSING", processing}, {"COMPLETED", completed}, {"FAILED", failed}}},
          {"favorites", favorites},
          {"coinsSpent", coins_spent},
          {"bytesStored", bytes_stored}};
}

}  // namespace nb
