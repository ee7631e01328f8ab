#include "codecs/fatal_error.h"

#include <cstdlib>
#include <cstring>

namespace nb {
namespace {
FatalErrorSink sink = nullptr;
}  // namespace

void SetFatalErrorSink(FatalErrorSink s) { sink = s; }

void FatalCodecError(Status::Code code, const char* message) {
  if (sink != nullptr) sink(code, message, std::strlen(message));
  __builtin_trap();
}

}  // namespace nb
