#include "util/base64.h"

#include <cstdint>

namespace nb {
namespace {

constexpr char kStandardAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// The 6-bit value of `c` in the chosen alphabet, or -1.
int SextetOf(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

// Decodes unpadded text (length mod 4 is 0, 2 or 3). Unused trailing bits must be zero so that
// every byte string has exactly one encoding.
std::optional<std::string> DecodeUnpadded(std::string_view text, bool url) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = SextetOf(c, url);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// Strips '=' padding; nullopt if padding is present but wrong. `required` demands it.
std::optional<std::string_view> StripPadding(std::string_view text, bool required) {
  size_t pads = 0;
  while (pads < text.size() && pads < 3 && text[text.size() - 1 - pads] == '=') ++pads;
  if (pads == 3) return std::nullopt;
  if (pads == 0) {
    if (required && text.size() % 4 != 0) return std::nullopt;
    return text;
  }
  if (text.size() % 4 != 0) return std::nullopt;
  const std::string_view body = text.substr(0, text.size() - pads);
  // One '=' follows 3 characters of a final quantum, two follow 2.
  if (body.size() % 4 != 4 - pads) return std::nullopt;
  return body;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes, kStandardAlphabet, true); }

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrlAlphabet, false); }

std::optional<std::string> Base64Decode(std::string_view text) {
  const auto body = StripPadding(text, /*required=*/true);
  if (!body) return std::nullopt;
  return DecodeUnpadded(*body, /*url=*/false);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  const auto body = StripPadding(text, /*required=*/false);
  if (!body) return std::nullopt;
  return DecodeUnpadded(*body, /*url=*/true);
}

}  // namespace nb
