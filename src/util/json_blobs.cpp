#include "util/json_blobs.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace nb {
namespace {

// The value of every placeholder starts with a NUL, which JSON can only spell as the escape
// \u0000 (raw control characters are invalid in strings). Extract refuses texts where a kept
// string starts that way, so after parsing, a leading NUL means a placeholder and nothing else.
constexpr std::string_view kPlaceholderEscape = "\\u0000nb-blob:";
constexpr std::string_view kPlaceholderValue{"\0nb-blob:", 9};
constexpr std::string_view kNulEscape = "\\u0000";

// Characters that may sit in a blob unchanged: printable ASCII except '"' and '\'.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

JsonBlobs JsonBlobs::Extract(std::string_view json, size_t min_chars) {
  JsonBlobs result;
  result.original_ = json;
  const char* data = json.data();
  const size_t n = json.size();
  bool nul_led = false;
  size_t i = 0;
  while (i < n) {
    // Outside strings only a quote matters: everything else is copied as it stands.
    const void* quote = std::memchr(data + i, '"', n - i);
    if (!quote) break;
    const size_t start = static_cast<const char*>(quote) - data + 1;
    if (json.substr(start, kNulEscape.size()) == kNulEscape) nul_led = true;
    size_t j = start;
    while (j < n && kPlain[static_cast<uint8_t>(data[j])]) ++j;
    const bool plain = j < n && data[j] == '"';
    // The slow path for the rest of a string with escapes or other characters: only its end matters.
    while (j < n && data[j] != '"') j += data[j] == '\\' ? 2 : 1;
    if (j >= n) break;  // unterminated: the parser reports it
    const size_t size = j - start;
    i = j + 1;
    if (!plain || size < min_chars) continue;
    size_t next = i;
    while (next < n && IsJsonSpace(data[next])) ++next;
    if (next < n && data[next] == ':') continue;  // an object key
    result.blobs_.push_back({start, size});
  }
  if (nul_led) result.blobs_.clear();
  if (result.blobs_.empty()) return result;

  size_t copied = 0;
  for (size_t index = 0; index < result.blobs_.size(); ++index) {
    const Blob& blob = result.blobs_[index];
    result.skeleton_.append(data + copied, blob.offset - copied);
    result.skeleton_.append(kPlaceholderEscape);
    result.skeleton_.append(std::to_string(index));
    result.skeleton_.push_back('@');
    result.skeleton_.append(std::to_string(blob.offset));
    copied = blob.offset + blob.size;
  }
  result.skeleton_.append(data + copied, n - copied);
  return result;
}

std::string_view JsonBlobs::Resolve(std::string_view value) const {
  if (value.substr(0, kPlaceholderValue.size()) != kPlaceholderValue) return value;
  // "<index>@<offset>": both must match a recorded blob, so a stray NUL-led value can never
  // resolve to the wrong bytes.
  const char* p = value.data() + kPlaceholderValue.size();
  const char* end = value.data() + value.size();
  size_t index = 0, offset = 0;
  auto parsed = std::from_chars(p, end, index);
  if (parsed.ec != std::errc() || parsed.ptr == end || *parsed.ptr != '@') return value;
  parsed = std::from_chars(parsed.ptr + 1, end, offset);
  if (parsed.ec != std::errc() || parsed.ptr != end) return value;
  if (index >= blobs_.size() || blobs_[index].offset != offset) return value;
  return original_.substr(blobs_[index].offset, blobs_[index].size);
}

void JsonBlobs::Restore(nlohmann::json& value) const {
  if (blobs_.empty()) return;
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (const std::string_view original = Resolve(s); original.data() != s.data())
      value = std::string(original);
  } else if (value.is_structured()) {
    for (auto& child : value) Restore(child);
  }
}

}  // namespace nb
