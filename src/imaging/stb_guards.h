// Inputs that reach known defects of the stb_image we build against (Debian's 2.27) are turned away
// before stb_image sees them. Each check mirrors exactly what stb_image would read, so it refuses only
// files that would have hit the defect. Found by tests/fuzz/image_fuzzer.cpp.
#pragma once

#include <string_view>

#include "imaging/image_probe.h"
#include "ports/status.h"

namespace nb {

// InvalidArgument when the bytes would reach a defect, OK otherwise (not a promise the decode works).
Status CheckStbCanDecode(std::string_view bytes, ImageFormat format);

}  // namespace nb
