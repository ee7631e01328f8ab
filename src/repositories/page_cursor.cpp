#include "repositories/page_cursor.h"

#include "ports/database.h"
#include "util/base64.h"

namespace nb {
namespace {

constexpr size_t kMaxIdLength = 64;

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

}  // namespace

std::string EncodePageCursor(const PageCursor& cursor) {
  return Base64UrlEncode(std::to_string(cursor.created_at_ms) + ":" + cursor.id);
}

Result<PageCursor> DecodePageCursor(const std::string& text) {
  const Status bad = Status::InvalidArgument("malformed cursor");
  if (text.empty() || text.size() > 256) return bad;
  auto raw = Base64UrlDecode(text);
  if (!raw) return bad;
  const size_t colon = raw->find(':');
  if (colon == std::string::npos || colon == 0 || colon > 16) return bad;
  PageCursor out;
  for (size_t i = 0; i < colon; ++i) {
    const char c = (*raw)[i];
    if (c < '0' || c > '9') return bad;
    out.created_at_ms = out.created_at_ms * 10 + (c - '0');
  }
  if (out.created_at_ms > kMaxSafeInteger) return bad;  // the database port would refuse it
  out.id = raw->substr(colon + 1);
  if (out.id.empty() || out.id.size() > kMaxIdLength) return bad;
  for (char c : out.id) {
    if (!IsIdChar(c)) return bad;
  }
  return out;
}

}  // namespace nb
