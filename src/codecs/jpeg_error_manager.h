// libjpeg's error manager as the decoder and the encoder both use it. libjpeg's fatal errors must not
// return into the library: natively they longjmp back to the caller's setjmp; in codec.wasm, whose
// wasi-libc has no setjmp, they trap after writing the result record (fatal_error.h).
#pragma once

#include <cstdio>

#include "codecs/fatal_error.h"
#include "ports/status.h"

#ifndef __wasm__
#include <csetjmp>
#endif

// clang-format off
extern "C" {
#include "jpeglib.h"
#include "jerror.h"
}
// clang-format on

namespace nb {

struct JpegErrorManager {
  jpeg_error_mgr pub;  // first, so libjpeg's cinfo->err points at the whole struct
#ifndef __wasm__
  std::jmp_buf jump;
#endif
  Status::Code code = Status::Code::kInvalidArgument;
  char message[JMSG_LENGTH_MAX] = {};
};

inline JpegErrorManager* JpegErrors(j_common_ptr cinfo) {
  return reinterpret_cast<JpegErrorManager*>(cinfo->err);
}

// Leaves libjpeg with `code` and whatever is in err->message.
[[noreturn]] inline void LeaveJpeg(JpegErrorManager* err, Status::Code code) {
  err->code = code;
#ifdef __wasm__
  FatalCodecError(code, err->message);
#else
  std::longjmp(err->jump, 1);
#endif
}

}  // namespace nb
