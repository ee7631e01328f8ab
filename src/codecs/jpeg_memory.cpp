// libjpeg's system-dependent memory half (jmemsys.h), replacing jmemnobs.c: every block comes from
// the decode budget, and "backing store" — where libjpeg parks virtual arrays that do not fit in
// memory, a temp file in the original design — is a lossy in-memory store for DCT coefficients.
//
// Why lossy is exact here: a 1/8-scale decode runs jpeg_idct_1x1, which reads only the DC coefficient
// (and chroma subsampled 2:1 runs jpeg_idct_2x2, which reads 25 fixed coefficients). Progressive
// refinement scans consume bits depending only on whether a coefficient is already nonzero, never on
// its value (jdphuff.c: decode_mcu_AC_refine tests `*thiscoef != 0`; a nonzero coefficient stays
// nonzero). So per 128-byte block the store keeps a 64-bit mask of the nonzero coefficients and the
// exact values of the ones the IDCT reads; on reading back, every other nonzero coefficient comes
// back as 1. The entropy decoder takes the same path through the bits, the IDCT sees the same inputs,
// and the pixels are the same (tests/unit/imaging_jpeg_test.cpp compares them byte for byte).
// 16 MP 4:2:0: 10 bytes per luma block and 58 per chroma block, ~10 MB instead of 48 MB.
#include "codecs/jpeg_memory.h"

#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "codecs/decode_budget.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

// libjpeg's headers must come in this order.
// clang-format off
extern "C" {
#define JPEG_INTERNALS
#include "jinclude.h"
#include "jpeglib.h"
#include "jmemsys.h"
}
// clang-format on

namespace nb {
namespace {

constexpr long kBlockBytes = sizeof(JBLOCK);  // 64 coefficients of 16 bits

struct DcStore {
  uint8_t* data = nullptr;
  size_t blocks = 0;
  uint32_t kept_count = 0;
  uint8_t kept[64] = {};
  size_t bytes_per_block = 0;
};

// Bit k set when coefficient k is nonzero (bit 0, the DC, included). The store's hot loop: every
// iMCU row of every scan passes through it, so 8 coefficients at a time where the target has SIMD.
inline uint64_t NonzeroMask(const JCOEF* block) {
#if defined(__wasm_simd128__)
  uint64_t mask = 0;
  const v128_t zero = wasm_i16x8_splat(0);
  for (int i = 0; i < 8; ++i) {
    const v128_t v = wasm_v128_load(block + 8 * i);
    mask |= uint64_t{wasm_i16x8_bitmask(wasm_i16x8_ne(v, zero))} << (8 * i);
  }
  return mask;
#elif defined(__SSE2__)
  uint64_t mask = 0;
  const __m128i zero = _mm_setzero_si128();
  for (int i = 0; i < 8; i += 2) {
    const __m128i a = _mm_cmpeq_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 8 * i)), zero);
    const __m128i b =
        _mm_cmpeq_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 8 * i + 8)), zero);
    const uint32_t zeros = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(a, b)));
    mask |= uint64_t{~zeros & 0xFFFFu} << (8 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int k = 0; k < DCTSIZE2; ++k) mask |= uint64_t{block[k] != 0} << k;
  return mask;
#endif
}

DcStore* StoreOf(backing_store_ptr info) { return reinterpret_cast<DcStore*>(info->temp_file); }

void WriteStore(j_common_ptr cinfo, backing_store_ptr info, void* buffer, long offset, long count) {
  DcStore* store = StoreOf(info);
  const size_t first = static_cast<size_t>(offset / kBlockBytes);
  const size_t n = static_cast<size_t>(count / kBlockBytes);
  if (first > store->blocks || n > store->blocks - first) ERREXIT(cinfo, JERR_BAD_VIRTUAL_ACCESS);
  const JCOEF* block = static_cast<const JCOEF*>(buffer);
  uint8_t* out = store->data + first * store->bytes_per_block;
  for (size_t b = 0; b < n; ++b, block += DCTSIZE2, out += store->bytes_per_block) {
    const uint64_t mask = NonzeroMask(block) & ~uint64_t{1};  // the DC is kept exactly, never as a flag
    std::memcpy(out, &mask, 8);
    for (uint32_t i = 0; i < store->kept_count; ++i) std::memcpy(out + 8 + 2 * i, &block[store->kept[i]], 2);
  }
}

void ReadStore(j_common_ptr cinfo, backing_store_ptr info, void* buffer, long offset, long count) {
  DcStore* store = StoreOf(info);
  const size_t first = static_cast<size_t>(offset / kBlockBytes);
  const size_t n = static_cast<size_t>(count / kBlockBytes);
  if (first > store->blocks || n > store->blocks - first) ERREXIT(cinfo, JERR_BAD_VIRTUAL_ACCESS);
  JCOEF* block = static_cast<JCOEF*>(buffer);
  const uint8_t* in = store->data + first * store->bytes_per_block;
  for (size_t b = 0; b < n; ++b, block += DCTSIZE2, in += store->bytes_per_block) {
    uint64_t mask;
    std::memcpy(&mask, in, 8);
    std::memset(block, 0, kBlockBytes);
    while (mask != 0) {
      block[__builtin_ctzll(mask)] = 1;
      mask &= mask - 1;
    }
    for (uint32_t i = 0; i < store->kept_count; ++i) std::memcpy(&block[store->kept[i]], in + 8 + 2 * i, 2);
  }
}

void CloseStore(j_common_ptr, backing_store_ptr info) {
  DcStore* store = StoreOf(info);
  if (store == nullptr) return;
  BudgetFree(store->data);
  BudgetFree(store);
  info->temp_file = nullptr;
}

}  // namespace

uint64_t KeptCoefficients(uint32_t dct_scaled_size) {
  if (dct_scaled_size == 1) return 1;  // DC
  if (dct_scaled_size == 2) {
    // jpeg_idct_2x2 (jidctred.c): rows and columns 0, 1, 3, 5, 7.
    uint64_t mask = 0;
    for (int row : {0, 1, 3, 5, 7})
      for (int col : {0, 1, 3, 5, 7}) mask |= uint64_t{1} << (row * 8 + col);
    return mask;
  }
  return ~uint64_t{0};
}

}  // namespace nb

extern "C" {

void* jpeg_get_small(j_common_ptr, size_t size) { return nb::BudgetMalloc(size); }
void jpeg_free_small(j_common_ptr, void* object, size_t) { nb::BudgetFree(object); }
void* jpeg_get_large(j_common_ptr, size_t size) { return nb::BudgetMalloc(size); }
void jpeg_free_large(j_common_ptr, void* object, size_t) { nb::BudgetFree(object); }

// Our decoder points client_data at its policy; a compressor (the tests' encoder) has none.
static nb::JpegMemoryPolicy* PolicyOf(j_common_ptr cinfo) {
  return cinfo->is_decompressor ? static_cast<nb::JpegMemoryPolicy*>(cinfo->client_data) : nullptr;
}

size_t jpeg_mem_available(j_common_ptr cinfo, size_t, size_t max_bytes_needed, size_t) {
  const nb::JpegMemoryPolicy* policy = PolicyOf(cinfo);
  // No room: libjpeg keeps one window of each virtual array in memory and the rest in the store.
  if (policy != nullptr && policy->dc_store) return 0;
  return max_bytes_needed;
}

void jpeg_open_backing_store(j_common_ptr cinfo, backing_store_ptr info, long total_bytes_needed) {
  nb::JpegMemoryPolicy* policy = PolicyOf(cinfo);
  // Only the DC path asks for stores; anything else would be a configuration we did not plan.
  if (policy == nullptr || !policy->dc_store || total_bytes_needed % nb::kBlockBytes != 0) {
    ERREXITS(cinfo, JERR_TFILE_CREATE, "no backing store");
  }
  // Which component's array this is: the one of this size needing the most coefficients kept (two
  // arrays of the same size have the same sampling, hence the same IDCT, in any real file).
  uint64_t kept = 0;
  for (uint32_t c = 0; c < policy->components; ++c) {
    if (policy->array_bytes[c] == static_cast<uint64_t>(total_bytes_needed)) {
      kept |= nb::KeptCoefficients(policy->dct_scaled_size[c]);
    }
  }
  if (kept == 0) kept = ~uint64_t{0};
  uint32_t kept_count = 0;
  uint8_t kept_index[DCTSIZE2];
  for (int k = 0; k < DCTSIZE2; ++k) {
    if (kept & (uint64_t{1} << k)) kept_index[kept_count++] = static_cast<uint8_t>(k);
  }
  const size_t blocks = static_cast<size_t>(total_bytes_needed / nb::kBlockBytes);
  const size_t bytes_per_block = 8 + 2 * size_t{kept_count};
  if (blocks > SIZE_MAX / bytes_per_block) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
  // Nothing may be left allocated when libjpeg errors out here: it only closes stores it saw open.
  auto* data = static_cast<uint8_t*>(nb::BudgetMalloc(blocks * bytes_per_block));
  if (data == nullptr) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 11);
  auto* store = static_cast<nb::DcStore*>(nb::BudgetCalloc(1, sizeof(nb::DcStore)));
  if (store == nullptr) {
    nb::BudgetFree(data);
    ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 12);
  }
  store->data = data;
  store->blocks = blocks;
  store->kept_count = kept_count;
  std::memcpy(store->kept, kept_index, kept_count);
  store->bytes_per_block = bytes_per_block;
  info->temp_file = reinterpret_cast<FILE*>(store);
  info->read_backing_store = nb::ReadStore;
  info->write_backing_store = nb::WriteStore;
  info->close_backing_store = nb::CloseStore;
  ++policy->stores_opened;
}

long jpeg_mem_init(j_common_ptr) { return 0; }  // no max_memory_to_use: the budget is the limit
void jpeg_mem_term(j_common_ptr) {}

}  // extern "C"
