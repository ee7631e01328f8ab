#include "services/filename.h"

#include <cstdint>
#include <string_view>

namespace nb {
namespace {

constexpr size_t kMaxExtensionBytes = 16;

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when the bytes there are not one. Sets *cp to the code point.
size_t Utf8SequenceAt(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t lead = b(0);
  size_t len = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = lead & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b(k) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

// Code points that are invisible or reorder text: they let "gnp.exe" display as "exe.png".
bool IsDropped(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// Whitespace and characters with meaning in paths, URLs, shells or HTTP headers.
bool IsReplacedByDash(uint32_t cp) {
  static constexpr std::string_view kSpecial = " \t\"'*:;<>?|#%&+=`^{}[]$!@,~";
  return (cp < 0x80 && kSpecial.find(static_cast<char>(cp)) != std::string_view::npos) || cp == 0xA0 ||
         cp == 0x3000;
}

// Largest prefix of s no longer than max bytes that ends on a sequence boundary (s is valid UTF-8).
std::string_view Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<uint8_t>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string TrimDashesAndDots(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == '-' || s[begin] == '.')) ++begin;
  while (end > begin && (s[end - 1] == '-' || s[end - 1] == '.')) --end;
  return std::string(s.substr(begin, end - begin));
}

}  // namespace

std::string SanitizeFilename(const std::string& name) {
  // Browsers on Windows send full paths; only the last component names the file.
  const size_t slash = name.find_last_of("/\\");
  const std::string_view base =
      slash == std::string::npos ? std::string_view(name) : std::string_view(name).substr(slash + 1);
  std::string out;
  for (size_t i = 0; i < base.size();) {
    uint32_t cp = 0;
    const size_t len = Utf8SequenceAt(base, i, &cp);
    if (len == 0) {
      ++i;  // an invalid byte: dropped
      continue;
    }
    if (IsDropped(cp)) {
      // skipped
    } else if (IsReplacedByDash(cp)) {
      if (out.empty() || out.back() != '-') out += '-';
    } else if (cp == '.') {
      if (out.empty() || out.back() != '.') out += '.';  // ".." never survives
    } else {
      out.append(base.substr(i, len));
    }
    i += len;
  }
  // Leading dots would hide the file; trailing dots and dashes are noise (and Windows drops them).
  out = TrimDashesAndDots(out);
  if (out.empty()) return "file";
  if (out.size() <= kMaxFilenameBytes) return out;

  // Too long: shorten the stem and keep the extension, so the type stays visible.
  const size_t dot = out.rfind('.');
  std::string_view ext;
  if (dot != std::string::npos && dot > 0 && out.size() - dot <= kMaxExtensionBytes) {
    ext = std::string_view(out).substr(dot);
  }
  const std::string_view stem = std::string_view(out).substr(0, out.size() - ext.size());
  std::string shortened = TrimDashesAndDots(Utf8Prefix(stem, kMaxFilenameBytes - ext.size()));
  if (shortened.empty()) shortened = "file";
  return shortened + std::string(ext);
}

}  // namespace nb
