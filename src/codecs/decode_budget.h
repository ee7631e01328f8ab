// The counting allocator of the thumbnail engine. Every codec allocates through it — libjpeg-turbo
// through our jmemsys (jpeg_memory.cpp), libspng through its spng_alloc hooks, libwebp through
// WebPSafeMalloc (cmake/codecs.cmake points it at nb_codec_malloc), stb_image's GIF decoder through
// STBI_MALLOC — and so does the engine's own resize state. Inside a DecodeBudget an allocation that
// would take the live total over the limit fails, and the codec reports out-of-memory; so the
// thumbnail plan's working_bytes is enforced, not just estimated, and the peak is measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace nb {

// RAII: while it lives, allocations through the functions below may add at most limit_bytes to what
// was live when it opened, and no single block may exceed max_block_bytes (unlimited unless a caller
// wants to single out one oversized block, as the budget's own tests do). Single-threaded use (the
// Worker is); nests.
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
// Most bytes live at once inside the innermost open budget so far (0 outside any).
size_t CurrentBudgetPeak();

void* BudgetCalloc(size_t count, size_t size);

// An array on the budget: Allocate fails (false) instead of throwing when the budget says no.
template <typename T>
class BudgetArray {
 public:
  BudgetArray() = default;
  BudgetArray(const BudgetArray&) = delete;
  BudgetArray& operator=(const BudgetArray&) = delete;
  BudgetArray(BudgetArray&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr, other.size_ = 0;
  }
  BudgetArray& operator=(BudgetArray&& other) noexcept {
    if (this != &other) {
      BudgetFree(data_);
      data_ = other.data_, size_ = other.size_;
      other.data_ = nullptr, other.size_ = 0;
    }
    return *this;
  }
  ~BudgetArray() { BudgetFree(data_); }

  // Zero-filled.
  bool Allocate(size_t count) {
    BudgetFree(data_);
    data_ = nullptr, size_ = 0;
    if (count == 0) return true;
    if (count > SIZE_MAX / sizeof(T)) return false;
    data_ = static_cast<T*>(BudgetCalloc(count, sizeof(T)));
    if (data_ == nullptr) return false;
    size_ = count;
    return true;
  }
  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace nb

// C entry points for libwebp's utils.c (compiled with malloc/calloc/free renamed to these).
extern "C" {
void* nb_codec_malloc(size_t size);
void* nb_codec_calloc(size_t count, size_t size);
void nb_codec_free(void* block);
}

