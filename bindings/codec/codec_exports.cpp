// The codec module's exports (codec.wasm, a reactor): the thumbnail engine behind a C ABI for the JS
// shim, which instantiates this module fresh for every thumbnail, with an imported memory sized by
// the thumbnail plan, and throws the instance away afterwards.
//
//   nb_codec_alloc(size) -> ptr           malloc for the input bytes (0 on failure)
//   nb_codec_thumbnail(ptr, len) -> rec   probe, plan, make the thumbnail; returns the result record
//   nb_codec_result() -> rec              the same record; valid after a trap too
//   nb_codec_plan(ptr, len) -> bytes      PlanThumbnail's working_bytes (0 when it refuses); the app
//                                         plans in its own module, this is for checks and benches
//
// The result record: little-endian u32 fields status_code (nb::Status::Code: 0 ok, 2 InvalidArgument,
// 4 FailedPrecondition, 9 Internal, ...), message_ptr, message_len, bytes_ptr, bytes_len, width,
// height, content_type_ptr, content_type_len, peak_heap_bytes. Every call starts it as Internal
// "codec did not finish", so a trap that left no message reads as internal; libjpeg's fatal errors
// write their status and message into it before trapping (src/codecs/fatal_error.h).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "codecs/decode_budget.h"
#include "codecs/fatal_error.h"
#include "codecs/thumbnail.h"
#include "imaging/image_probe.h"
#include "imaging/thumbnail_plan.h"

namespace {

struct ResultRecord {
  uint32_t status_code;
  uint32_t message_ptr;
  uint32_t message_len;
  uint32_t bytes_ptr;
  uint32_t bytes_len;
  uint32_t width;
  uint32_t height;
  uint32_t content_type_ptr;
  uint32_t content_type_len;
  uint32_t peak_heap_bytes;
};

ResultRecord record;
// Static, so a message survives a trap and costs no allocation on the way to it.
char message[256];
// The thumbnail lives here until the instance is dropped.
nb::Thumbnail thumbnail;

uint32_t Addr(const void* p) { return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p)); }

void SetMessage(nb::Status::Code code, const char* text, size_t length) {
  if (length >= sizeof message) length = sizeof message - 1;
  std::memcpy(message, text, length);
  message[length] = '\0';
  record.status_code = static_cast<uint32_t>(code);
  record.message_ptr = Addr(message);
  record.message_len = static_cast<uint32_t>(length);
}

void OnFatal(nb::Status::Code code, const char* text, size_t length) {
  SetMessage(code, text, length);
  record.peak_heap_bytes = static_cast<uint32_t>(nb::CurrentBudgetPeak());
}

}  // namespace

// Everything the module allocates goes through the counting allocator, so peak_heap_bytes covers
// std::string and friends too (outside a budget scope nothing is refused, only counted).
void* operator new(size_t size) {
  void* p = nb::BudgetMalloc(size);
  if (p == nullptr) __builtin_trap();
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { nb::BudgetFree(p); }
void operator delete[](void* p) noexcept { nb::BudgetFree(p); }
void operator delete(void* p, size_t) noexcept { nb::BudgetFree(p); }
void operator delete[](void* p, size_t) noexcept { nb::BudgetFree(p); }

extern "C" {

__attribute__((export_name("nb_codec_alloc"))) uint32_t nb_codec_alloc(uint32_t size) {
  return Addr(std::malloc(size == 0 ? 1 : size));
}

__attribute__((export_name("nb_codec_result"))) uint32_t nb_codec_result() { return Addr(&record); }

__attribute__((export_name("nb_codec_thumbnail"))) uint32_t nb_codec_thumbnail(uint32_t ptr, uint32_t len) {
  static const char kUnfinished[] = "codec did not finish";
  record = ResultRecord{};
  SetMessage(nb::Status::Code::kInternal, kUnfinished, sizeof kUnfinished - 1);
  nb::SetFatalErrorSink(OnFatal);
  const std::string_view bytes(reinterpret_cast<const char*>(static_cast<uintptr_t>(ptr)), len);
  nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  nb::Result<nb::Thumbnail> made =
      probe.ok() ? nb::MakeThumbnail(bytes, *probe) : nb::Result<nb::Thumbnail>(probe.status());
  record.peak_heap_bytes = static_cast<uint32_t>(nb::LastThumbnailStats().peak_bytes);
  if (!made.ok()) {
    const std::string& text = made.status().message();
    SetMessage(made.status().code(), text.data(), text.size());
    return Addr(&record);
  }
  thumbnail = std::move(made).value();
  SetMessage(nb::Status::Code::kOk, "", 0);
  record.bytes_ptr = Addr(thumbnail.bytes.data());
  record.bytes_len = static_cast<uint32_t>(thumbnail.bytes.size());
  record.width = thumbnail.width;
  record.height = thumbnail.height;
  record.content_type_ptr = Addr(thumbnail.content_type.data());
  record.content_type_len = static_cast<uint32_t>(thumbnail.content_type.size());
  return Addr(&record);
}

__attribute__((export_name("nb_codec_plan"))) uint32_t nb_codec_plan(uint32_t ptr, uint32_t len) {
  const std::string_view bytes(reinterpret_cast<const char*>(static_cast<uintptr_t>(ptr)), len);
  const nb::Result<nb::ImageProbe> probe = nb::ProbeImage(bytes);
  if (!probe.ok()) return 0;
  const nb::Result<nb::ThumbnailPlan> plan = nb::PlanThumbnail(bytes, *probe);
  return plan.ok() ? static_cast<uint32_t>(plan->working_bytes) : 0;
}

}  // extern "C"
