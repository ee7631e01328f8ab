// The API contract, api/openapi.json, as compiled into the module (cmake/embed_openapi.cmake
// generates the definitions at build time from the file itself).
#pragma once

#include <string_view>

namespace nb {

// The document's bytes, exactly as in the repository.
std::string_view OpenApiDocument();
// A strong ETag: the quoted SHA-256 hex of those bytes.
std::string_view OpenApiDocumentEtag();

}  // namespace nb
