#include "imaging/stb_guards.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace nb {
namespace {

// stb_image reads zeros past the end of its input; so do these checks.
uint32_t ByteAt(std::string_view bytes, size_t i) {
  return i < bytes.size() ? static_cast<uint8_t>(bytes[i]) : 0;
}

// stb_image 2.27's stbi__build_huffman writes one size entry per code into a 257-entry array without
// checking that a DHT table's 16 code counts sum to at most 256 (2.28 added the check): a crafted table
// writes past it into the rest of the decoder state. stb_image starts a DHT wherever it meets the
// bytes FF C4 (after fill bytes, from a header or after entropy-coded data), so every such place is
// read the way stbi__process_marker would.
bool HasOversizedHuffmanTable(std::string_view bytes) {
  for (size_t at = 0; at + 1 < bytes.size(); ++at) {
    const void* found = std::memchr(bytes.data() + at, 0xFF, bytes.size() - at - 1);
    if (found == nullptr) break;
    at = static_cast<size_t>(static_cast<const char*>(found) - bytes.data());
    if (ByteAt(bytes, at + 1) != 0xC4) continue;
    size_t pos = at + 2;
    int remaining = static_cast<int>(ByteAt(bytes, pos) << 8 | ByteAt(bytes, pos + 1)) - 2;
    pos += 2;
    while (remaining > 0) {
      const uint32_t table = ByteAt(bytes, pos++);
      if ((table >> 4) > 1 || (table & 15) > 3) break;  // stb_image stops here: "bad DHT header"
      int codes = 0;
      bool lengths_ok = true;  // stbi__build_huffman's own check, made after the writes that overflow
      uint32_t next_code = 0;
      for (uint32_t bits = 1; bits <= 16; ++bits) {
        const uint32_t count = ByteAt(bytes, pos++);
        codes += static_cast<int>(count);
        next_code += count;
        if (count > 0 && next_code - 1 >= (1u << bits)) lengths_ok = false;
        next_code <<= 1;
      }
      if (codes > 256) return true;
      if (!lengths_ok) break;  // stb_image stops here: "bad code lengths"
      pos += static_cast<size_t>(codes);
      remaining -= 17 + codes;
    }
  }
  return false;
}

}  // namespace

Status CheckStbCanDecode(std::string_view bytes, ImageFormat format) {
  if (format == ImageFormat::kJpeg && HasOversizedHuffmanTable(bytes)) {
    return Status::InvalidArgument("corrupt JPEG Huffman table");
  }
  return Status::Ok();
}

}  // namespace nb
