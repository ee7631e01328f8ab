// POST /api/images' form, checked before any byte is looked at: exactly one file in the "file" field,
// within the size limit, plus an optional title and description.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/core/api_result.h"
#include "http/request.h"

namespace nb {

struct UploadForm {
  http::FormFile file;  // its bytes are request.body
  std::optional<std::string> title;
  std::optional<std::string> description;
};

// 415 when the body is not multipart/form-data, 400 when the runtime could not parse it (or the shim's
// description disagrees with the bytes), 413 for a file over max_bytes, and one 422 listing every field
// problem: no file, several files, an empty file, repeated or invalid title/description.
ApiResult<UploadForm> ReadUploadForm(const http::Request& request, int64_t max_bytes);

}  // namespace nb
