// Base64 (RFC 4648 section 4) and base64url (section 5). Plain C++20: no exceptions, no OpenSSL,
// so the same code runs natively and in wasm32-wasi.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nb {

// Standard alphabet, '=' padded.
std::string Base64Encode(std::string_view bytes);
// URL-safe alphabet ('-', '_'), unpadded (as JWTs and JWKs use it).
std::string Base64UrlEncode(std::string_view bytes);

// Decoders return nullopt for any character outside the alphabet, a wrong length, misplaced or
// excess padding, or non-zero trailing bits. Base64Decode requires padding to a multiple of 4;
// Base64UrlDecode accepts input with or without '=' padding.
std::optional<std::string> Base64Decode(std::string_view text);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace nb
