#include <catch2/catch.hpp>

#include "codecs/decode_budget.h"

namespace nb {
namespace {

TEST_CASE("DecodeBudget refuses allocations past its limit and counts what was live", "[imaging][budget]") {
  void* outside = BudgetMalloc(1000);  // live before the budget opens: not charged to it
  REQUIRE(outside != nullptr);
  const uint64_t refused = GetDecodeBudgetStats().refused_allocations;
  {
    DecodeBudget budget(10000);
    void* a = BudgetMalloc(6000);
    REQUIRE(a != nullptr);
    CHECK(BudgetMalloc(5000) == nullptr);  // 11000 > 10000
    void* grown = BudgetRealloc(a, 9000);  // 9000: fits once the old 6000 is released
    REQUIRE(grown != nullptr);
    CHECK(BudgetRealloc(grown, 10001) == nullptr);  // the block stays valid when growth is refused
    static_cast<char*>(grown)[8999] = 1;
    BudgetFree(grown);
    void* b = BudgetMalloc(10000);  // freed memory is available again
    CHECK(b != nullptr);
    BudgetFree(b);
  }
  const DecodeBudgetStats stats = GetDecodeBudgetStats();
  CHECK(stats.refused_allocations == refused + 2);
  CHECK(stats.last_peak_bytes == 10000);
  void* unlimited = BudgetMalloc(1 << 20);  // no budget open: no limit
  CHECK(unlimited != nullptr);
  BudgetFree(unlimited);
  BudgetFree(outside);
  BudgetFree(nullptr);
}

}  // namespace
}  // namespace nb
