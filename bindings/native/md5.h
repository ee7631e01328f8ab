// MD5 (RFC 1321) as lower-case hex: R2's etag for a single-part upload, which MemoryObjectStore
// reproduces. Written out here rather than taken from OpenSSL so the in-memory store builds for the
// unit tests' wasm run too, where there is no OpenSSL. Not for security: only the etag's value.
#pragma once

#include <string>

namespace nb {

std::string Md5Hex(const std::string& bytes);

}  // namespace nb
