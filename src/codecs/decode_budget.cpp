#include "codecs/decode_budget.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace nb {
namespace {

// Each block carries its size in front so frees can be counted; 16 bytes keeps malloc's alignment.
constexpr size_t kHeader = 16;

// Counts are relative to `base`, what was live when the innermost budget opened (say, the pixels of
// an earlier decode not yet freed), so a budget limits what its own decode adds.
struct BudgetState {
  size_t limit = std::numeric_limits<size_t>::max();
  size_t max_block = std::numeric_limits<size_t>::max();
  size_t base = 0;
  size_t live = 0;
  size_t peak = 0;
  DecodeBudgetStats stats;
};
thread_local BudgetState state;

bool Admit(size_t released, size_t wanted) {
  const size_t after_release = state.live - released;
  const size_t used = after_release > state.base ? after_release - state.base : 0;
  if (wanted > state.max_block) {
    ++state.stats.refused_allocations;
    ++state.stats.refused_blocks;
    return false;
  }
  if (wanted > state.limit || used > state.limit - wanted) {
    ++state.stats.refused_allocations;
    return false;
  }
  return true;
}

void Account(size_t released, size_t added) {
  state.live = state.live - released + added;
  if (state.live > state.peak) state.peak = state.live;
}

size_t SizeOf(void* block) {
  size_t size;
  std::memcpy(&size, static_cast<char*>(block) - kHeader, sizeof size);
  return size;
}

}  // namespace

DecodeBudget::DecodeBudget(size_t limit_bytes, size_t max_block_bytes)
    : previous_limit_(state.limit),
      previous_max_block_(state.max_block),
      previous_base_(state.base),
      previous_peak_(state.peak) {
  state.limit = limit_bytes;
  state.max_block = max_block_bytes;
  state.base = state.live;
  state.peak = state.live;
  ++state.stats.budgets_opened;
}

DecodeBudget::~DecodeBudget() {
  state.stats.last_peak_bytes = state.peak - state.base;
  state.limit = previous_limit_;
  state.max_block = previous_max_block_;
  state.base = previous_base_;
  if (previous_peak_ > state.peak) state.peak = previous_peak_;
}

void* BudgetMalloc(size_t size) {
  if (size > std::numeric_limits<size_t>::max() - kHeader || !Admit(0, size)) return nullptr;
  char* raw = static_cast<char*>(std::malloc(size + kHeader));
  if (raw == nullptr) return nullptr;
  std::memcpy(raw, &size, sizeof size);
  Account(0, size);
  return raw + kHeader;
}

void* BudgetRealloc(void* block, size_t size) {
  if (block == nullptr) return BudgetMalloc(size);
  const size_t old_size = SizeOf(block);
  if (size > std::numeric_limits<size_t>::max() - kHeader || !Admit(old_size, size)) return nullptr;
  char* raw = static_cast<char*>(std::realloc(static_cast<char*>(block) - kHeader, size + kHeader));
  if (raw == nullptr) return nullptr;
  std::memcpy(raw, &size, sizeof size);
  Account(old_size, size);
  return raw + kHeader;
}

void BudgetFree(void* block) {
  if (block == nullptr) return;
  state.live -= SizeOf(block);
  std::free(static_cast<char*>(block) - kHeader);
}

void* BudgetCalloc(size_t count, size_t size) {
  if (size != 0 && count > std::numeric_limits<size_t>::max() / size) return nullptr;
  void* block = BudgetMalloc(count * size);
  if (block != nullptr) std::memset(block, 0, count * size);
  return block;
}

DecodeBudgetStats GetDecodeBudgetStats() { return state.stats; }

size_t CurrentBudgetPeak() { return state.peak > state.base ? state.peak - state.base : 0; }

}  // namespace nb

extern "C" {
void* nb_codec_malloc(size_t size) { return nb::BudgetMalloc(size); }
void* nb_codec_calloc(size_t count, size_t size) { return nb::BudgetCalloc(count, size); }
void nb_codec_free(void* block) { nb::BudgetFree(block); }
}
