#include "util/base64.h"

#include <array>
#include <cstdint>

namespace nb {
namespace {

// Decoding and encoding use tables and whole 3-byte/4-character groups written through a pointer
// into an output sized once: Gemini answers carry megabytes of base64, and a per-bit loop with a
// push_back per byte cost several ms per image in wasm.

constexpr char kStandardAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Marks a character outside the alphabet; its high bit survives OR-ing sextets together, so one
// test per group (or per whole input) finds any bad character.
constexpr uint8_t kInvalid = 0xff;

using DecodeTable = std::array<uint8_t, 256>;

constexpr DecodeTable MakeDecodeTable(const char* alphabet) {
  DecodeTable table{};
  for (auto& v : table) v = kInvalid;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<uint8_t>(i);
  return table;
}

constexpr DecodeTable kStandardDecode = MakeDecodeTable(kStandardAlphabet);
constexpr DecodeTable kUrlDecode = MakeDecodeTable(kUrlAlphabet);

std::string Encode(std::string_view bytes, const char* alphabet, bool pad) {
  const size_t whole = bytes.size() / 3;
  const size_t rest = bytes.size() % 3;
  const size_t length = whole * 4 + (rest == 0 ? 0 : (pad ? 4 : rest + 1));
  std::string out(length, '\0');
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  char* o = out.data();
  for (size_t g = 0; g < whole; ++g, in += 3, o += 4) {
    const uint32_t v = (uint32_t{in[0]} << 16) | (uint32_t{in[1]} << 8) | in[2];
    o[0] = alphabet[v >> 18];
    o[1] = alphabet[(v >> 12) & 63];
    o[2] = alphabet[(v >> 6) & 63];
    o[3] = alphabet[v & 63];
  }
  if (rest != 0) {
    const uint32_t v = (uint32_t{in[0]} << 16) | (rest == 2 ? uint32_t{in[1]} << 8 : 0);
    o[0] = alphabet[v >> 18];
    o[1] = alphabet[(v >> 12) & 63];
    if (rest == 2) o[2] = alphabet[(v >> 6) & 63];
    if (pad) {
      if (rest == 1) o[2] = '=';
      o[3] = '=';
    }
  }
  return out;
}

// Decodes unpadded text (length mod 4 is 0, 2 or 3). Unused trailing bits must be zero so that
// every byte string has exactly one encoding.
std::optional<std::string> DecodeUnpadded(std::string_view text, const DecodeTable& table) {
  const size_t whole = text.size() / 4;
  const size_t rest = text.size() % 4;
  if (rest == 1) return std::nullopt;
  std::string out(whole * 3 + (rest == 0 ? 0 : rest - 1), '\0');
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  auto* o = reinterpret_cast<uint8_t*>(out.data());
  uint32_t invalid = 0;  // the OR of every sextet: kInvalid's high bit marks a bad character
  for (size_t g = 0; g < whole; ++g, in += 4, o += 3) {
    const uint32_t a = table[in[0]], b = table[in[1]], c = table[in[2]], d = table[in[3]];
    invalid |= a | b | c | d;
    const uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    o[0] = static_cast<uint8_t>(v >> 16);
    o[1] = static_cast<uint8_t>(v >> 8);
    o[2] = static_cast<uint8_t>(v);
  }
  if (rest != 0) {
    const uint32_t a = table[in[0]], b = table[in[1]], c = rest == 3 ? table[in[2]] : 0;
    invalid |= a | b | c;
    const uint32_t v = (a << 18) | (b << 12) | (c << 6);
    // 2 characters carry 12 bits for 1 byte, 3 carry 18 for 2: the leftover bits must be zero.
    if ((v & (rest == 2 ? 0xffffu : 0xffu)) != 0) return std::nullopt;
    o[0] = static_cast<uint8_t>(v >> 16);
    if (rest == 3) o[1] = static_cast<uint8_t>(v >> 8);
  }
  if (invalid & 0x80) return std::nullopt;
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
  return DecodeUnpadded(*body, kStandardDecode);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  const auto body = StripPadding(text, /*required=*/false);
  if (!body) return std::nullopt;
  return DecodeUnpadded(*body, kUrlDecode);
}

}  // namespace nb
