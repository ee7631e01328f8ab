// A ceiling on what the image decoder may allocate. stb_image sizes its buffers from the header and
// grows its inflate buffer for as long as the data keeps inflating, so a small file that declares or
// inflates to a huge picture would otherwise exhaust the Worker's memory. stb_image allocates through
// BudgetMalloc/BudgetRealloc/BudgetFree (see stb_codecs.cpp); inside a DecodeBudget an allocation
// that would take the live total over the limit fails, and stb_image reports "outofmem".
#pragma once

#include <cstddef>
#include <cstdint>

namespace nb {

// RAII: while it lives, allocations through the functions below may add at most limit_bytes to what
// was live when it opened, and no single block may exceed max_block_bytes (a PNG's inflate buffer
// grows by doubling past its exact, header-derived size only when the data lies about that size).
// Single-threaded use (the Worker is); nests.
class DecodeBudget {
 public:
  explicit DecodeBudget(size_t limit_bytes, size_t max_block_bytes = SIZE_MAX);
  ~DecodeBudget();
  DecodeBudget(const DecodeBudget&) = delete;
  DecodeBudget& operator=(const DecodeBudget&) = delete;

 private:
  size_t previous_limit_;
  size_t previous_max_block_;
  size_t previous_base_;
  size_t previous_peak_;
};

void* BudgetMalloc(size_t size);
void* BudgetRealloc(void* block, size_t size);
void BudgetFree(void* block);

// What the decoder did, so tests can tell a refusal before decoding from a failure during it, and a
// bomb stopped early from one inflated in full.
struct DecodeBudgetStats {
  uint64_t budgets_opened = 0;       // DecodeBudget scopes entered so far
  size_t last_peak_bytes = 0;        // most bytes the last closed scope had live at once
  uint64_t refused_allocations = 0;  // allocations either limit turned down, ever
  uint64_t refused_blocks = 0;       // of those, single blocks over max_block_bytes, ever
};
DecodeBudgetStats GetDecodeBudgetStats();

}  // namespace nb
