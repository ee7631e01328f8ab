#include "http/content_disposition.h"

#include <string_view>

namespace nb::http {
namespace {

// RFC 8187 attr-char: what may appear in filename* without percent-encoding.
bool IsAttrChar(unsigned char c) {
  static constexpr std::string_view kPunctuation = "!#$&+-.^_`|~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && kPunctuation.find(static_cast<char>(c)) != std::string_view::npos);
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

}  // namespace

std::string ContentDisposition(bool attachment, const std::string& filename) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string fallback;
  std::string encoded;
  for (size_t i = 0; i < filename.size(); ++i) {
    const auto c = static_cast<unsigned char>(filename[i]);
    if (IsControl(c)) continue;
    if (IsAttrChar(c)) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
    // One '_' per non-ASCII character: continuation bytes (10xxxxxx) add nothing.
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) fallback += '_';
    } else {
      fallback += (c == '"' || c == '\\') ? '_' : static_cast<char>(c);
    }
  }
  if (encoded.empty()) encoded = fallback = "file";
  return std::string(attachment ? "attachment" : "inline") + "; filename=\"" + fallback +
         "\"; filename*=UTF-8''" + encoded;
}

}  // namespace nb::http
