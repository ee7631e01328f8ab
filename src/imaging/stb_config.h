// The one configuration of Debian's stb_image / stb_image_write used everywhere (the implementation in
// stb_codecs.cpp, and tests that call stb directly): memory in and out only, PNG/JPEG/GIF decoders
// only, and every decoder allocation through the decode budget.
#pragma once

#include "imaging/decode_budget.h"

#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_GIF
#define STBI_NO_LINEAR
#define STBI_NO_HDR
// ProbeImage bounds the pixel count; this bounds a single side (JPEG's own limit is 65535), so a
// 1 x 40-million strip cannot reach the decoder.
#define STBI_MAX_DIMENSIONS 65536
#define STBI_MALLOC(size) ::nb::BudgetMalloc(size)
#define STBI_REALLOC(block, size) ::nb::BudgetRealloc(block, size)
#define STBI_FREE(block) ::nb::BudgetFree(block)

#define STBI_WRITE_NO_STDIO

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
