// Images built in code for the imaging tests, the fuzzer's seed corpus and the benchmark, so no
// binaries live in the repo: textured PNG/JPEG (stb_image_write), a tiny GIF encoder, WebP headers (and
// a real solid-colour lossless WebP), and raw PNG chunks for hand-made hostile files.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/stb_codecs.h"

namespace nb::samples {

// A texture with gradients, a checkerboard and per-pixel noise, so decode and resize mistakes show
// and the encoders see photo-like entropy. Deterministic for a seed.
inline std::vector<uint8_t> Pattern(uint32_t width, uint32_t height, uint32_t channels, uint32_t seed = 1) {
  std::vector<uint8_t> pixels(size_t{width} * height * channels);
  uint32_t noise = seed * 2654435761u + 1;
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      noise ^= noise << 13, noise ^= noise >> 17, noise ^= noise << 5;
      const uint32_t checker = ((x / 16 + y / 16) & 1) * 40;
      uint8_t* p = pixels.data() + (size_t{y} * width + x) * channels;
      const uint32_t values[4] = {x * 200 / width + checker, y * 200 / height + checker,
                                  (x + y) * 100 / (width + height) + (noise & 31) + checker,
                                  (x * 255 / width)};
      for (uint32_t c = 0; c < channels; ++c) p[c] = static_cast<uint8_t>(values[c] > 255 ? 255 : values[c]);
    }
  }
  return pixels;
}

inline std::string OrDie(Result<std::string> result) {
  if (!result.ok()) std::abort();
  return std::move(result).value();
}

inline std::string Png(uint32_t width, uint32_t height, uint32_t channels = 3, uint32_t seed = 1) {
  return OrDie(EncodePng(Pattern(width, height, channels, seed).data(), width, height, channels));
}

inline std::string Jpeg(uint32_t width, uint32_t height, int quality = 90, uint32_t seed = 1) {
  return OrDie(EncodeJpeg(Pattern(width, height, 3, seed).data(), width, height, 3, quality));
}

inline void PutLe16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
inline void PutLe24(std::string& out, uint32_t v) {
  PutLe16(out, v);
  out.push_back(static_cast<char>((v >> 16) & 0xFF));
}
inline void PutLe32(std::string& out, uint32_t v) {
  PutLe16(out, v);
  PutLe16(out, v >> 16);
}
inline void PutBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// GIF89a with a 4-colour global palette, one frame of palette indices (0-3), optionally one index
// transparent. LZW kept trivial: a clear code before every two pixels keeps every code 3 bits wide.
struct GifColour {
  uint8_t r, g, b;
};
inline std::string Gif(uint32_t width, uint32_t height, const std::vector<uint8_t>& indices,
                       const GifColour (&palette)[4], int transparent = -1) {
  std::string out = "GIF89a";
  PutLe16(out, width);
  PutLe16(out, height);
  out += std::string("\x91\x00\x00", 3);  // global table of 2^(1+1) colours
  for (const GifColour& c : palette)
    out += {static_cast<char>(c.r), static_cast<char>(c.g), static_cast<char>(c.b)};
  if (transparent >= 0) {
    out += std::string("\x21\xF9\x04\x01\x00\x00", 6);
    out.push_back(static_cast<char>(transparent));
    out.push_back('\0');
  }
  out.push_back('\x2C');
  PutLe16(out, 0);
  PutLe16(out, 0);
  PutLe16(out, width);
  PutLe16(out, height);
  out.push_back('\0');
  out.push_back('\x02');  // LZW minimum code size: clear = 4, end = 5, codes start 3 bits wide
  std::string data;
  uint32_t bits = 0, nbits = 0;
  const auto code = [&](uint32_t c) {
    bits |= c << nbits;
    nbits += 3;
    while (nbits >= 8) {
      data.push_back(static_cast<char>(bits & 0xFF));
      bits >>= 8;
      nbits -= 8;
    }
  };
  for (size_t i = 0; i < indices.size(); ++i) {
    if (i % 2 == 0) code(4);
    code(indices[i] & 3);
  }
  code(5);
  if (nbits > 0) data.push_back(static_cast<char>(bits & 0xFF));
  for (size_t i = 0; i < data.size(); i += 255) {
    const std::string_view block = std::string_view(data).substr(i, 255);
    out.push_back(static_cast<char>(block.size()));
    out += block;
  }
  out.push_back('\0');
  out.push_back('\x3B');
  return out;
}

inline uint32_t Crc32(std::string_view bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

inline std::string PngChunk(std::string_view type, std::string_view data) {
  std::string out;
  PutBe32(out, static_cast<uint32_t>(data.size()));
  const std::string body = std::string(type) + std::string(data);
  out += body;
  PutBe32(out, Crc32(body));
  return out;
}

// A PNG from its parts: IHDR with the given header fields, then one IDAT holding zlib_stream.
inline std::string PngFromParts(uint32_t width, uint32_t height, uint8_t depth, uint8_t colour_type,
                                std::string_view zlib_stream) {
  std::string ihdr;
  PutBe32(ihdr, width);
  PutBe32(ihdr, height);
  ihdr += {static_cast<char>(depth), static_cast<char>(colour_type), 0, 0, 0};
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + PngChunk("IDAT", zlib_stream) +
         PngChunk("IEND", "");
}

// A valid zlib stream that inflates to `size` zero bytes at deflate's best ratio (about 1000:1): one
// dynamic-Huffman block where "copy 258 bytes from distance 1" costs two bits.
inline std::string ZeroBombZlib(uint64_t size) {
  std::string out("\x78\x01", 2);
  uint64_t bits = 0;
  uint32_t nbits = 0;
  const auto put = [&](uint32_t value, uint32_t count) {  // header fields and extra bits: LSB first
    bits |= uint64_t{value} << nbits;
    nbits += count;
    while (nbits >= 8) {
      out.push_back(static_cast<char>(bits & 0xFF));
      bits >>= 8;
      nbits -= 8;
    }
  };
  const auto huffman = [&](uint32_t code, uint32_t count) {  // Huffman codes: most significant bit first
    uint32_t reversed = 0;
    for (uint32_t i = 0; i < count; ++i) reversed |= ((code >> i) & 1) << (count - 1 - i);
    put(reversed, count);
  };
  put(1, 1);   // final block
  put(2, 2);   // dynamic Huffman codes
  put(29, 5);  // 286 literal/length codes
  put(0, 5);   // 1 distance code
  put(14, 4);  // 18 code-length codes, in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1
  const uint32_t code_length_lengths[18] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2};
  for (uint32_t length : code_length_lengths) put(length, 3);
  // Code-length code: 18 -> "0", 1 -> "10", 2 -> "11". Literal/length lengths: symbol 0 -> 2,
  // 256 (end) -> 2, 285 (length 258) -> 1; distance code 0 -> 1.
  huffman(3, 2);               // symbol 0: length 2
  huffman(0, 1), put(127, 7);  // 138 zeros
  huffman(0, 1), put(106, 7);  // 117 zeros (symbols 1-255)
  huffman(3, 2);               // symbol 256: length 2
  huffman(0, 1), put(17, 7);   // 28 zeros (257-284)
  huffman(2, 2);               // symbol 285: length 1
  huffman(2, 2);               // distance 0: length 1
  // Canonical codes: 285 -> "0", 0 -> "10", 256 -> "11"; distance 0 -> "0".
  uint64_t produced = 0;
  // Literal zeros (at least one, for the copies to copy from) until the rest is whole copies.
  for (; produced < size && (produced == 0 || (size - produced) % 258 != 0); ++produced) huffman(2, 2);
  for (; produced < size; produced += 258) huffman(0, 1), huffman(0, 1);
  huffman(3, 2);  // end of block
  if (nbits > 0) put(0, 8 - nbits);
  PutBe32(out, static_cast<uint32_t>(((size % 65521) << 16) | 1));  // Adler-32 of zeros
  return out;
}

inline std::string Riff(std::string_view fourcc, std::string_view payload) {
  std::string chunk(fourcc);
  PutLe32(chunk, static_cast<uint32_t>(payload.size()));
  chunk += payload;
  std::string out = "RIFF";
  PutLe32(out, static_cast<uint32_t>(4 + chunk.size()));
  return out + "WEBP" + chunk;
}

inline std::string WebpLossy(uint32_t width, uint32_t height) {
  std::string payload("\x50\x02\x00\x9D\x01\x2A", 6);  // key-frame tag, start code
  PutLe16(payload, width);
  PutLe16(payload, height);
  payload += std::string(8, '\0');
  return Riff("VP8 ", payload);
}

// A real lossless WebP of one solid colour, any size, in 13 payload bytes: no transforms, no colour
// cache, and five "simple" prefix codes of one symbol each, so every pixel costs zero bits. Decoders
// take it like any other VP8L image.
inline std::string WebpLossless(uint32_t width, uint32_t height, uint8_t r = 200, uint8_t g = 120,
                                uint8_t b = 40) {
  std::string payload("\x2F", 1);
  PutLe32(payload, (width - 1) | (height - 1) << 14);  // alpha hint 0, version 0
  uint64_t bits = 0;
  uint32_t nbits = 0;
  const auto put = [&](uint32_t value, uint32_t count) {
    bits |= uint64_t{value} << nbits;
    nbits += count;
  };
  put(0, 1);  // no transform
  put(0, 1);  // no colour cache
  put(0, 1);  // no meta prefix codes
  // Green, red, blue, alpha, distance: simple code, one symbol, 8-bit symbol value.
  for (uint32_t symbol : {uint32_t{g}, uint32_t{r}, uint32_t{b}, 255u, 0u})
    put(1, 1), put(0, 1), put(1, 1), put(symbol, 8);
  for (uint32_t i = 0; i < (nbits + 7) / 8; ++i)
    payload.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return Riff("VP8L", payload);
}

inline std::string WebpExtended(uint32_t width, uint32_t height) {
  std::string payload(4, '\0');
  PutLe24(payload, width - 1);
  PutLe24(payload, height - 1);
  return Riff("VP8X", payload);
}

}  // namespace nb::samples
