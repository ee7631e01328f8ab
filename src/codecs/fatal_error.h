// The one way out of a codec that cannot return: libjpeg's error_exit. Natively (unit tests, the
// fuzzer) libjpeg's errors unwind with setjmp/longjmp as usual (jpeg_decoder.cpp). The wasi-libc we
// build against has no setjmp.h, so in wasm the codec module (codec.wasm) is instantiated fresh for
// every thumbnail and thrown away afterwards: FatalCodecError records the status in the module's
// result record (through the sink codec_exports.cpp installs) and traps; the JS shim catches the trap,
// reads the record and drops the instance, and its memory goes with it. See src/codecs/README.md.
#pragma once

#include "ports/status.h"

namespace nb {

using FatalErrorSink = void (*)(Status::Code code, const char* message, size_t length);

// Installed once by the codec module; without a sink the trap carries no message.
void SetFatalErrorSink(FatalErrorSink sink);

[[noreturn]] void FatalCodecError(Status::Code code, const char* message);

}  // namespace nb
