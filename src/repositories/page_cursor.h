// Opaque keyset cursors for lists ordered newest first by (created_at DESC, id DESC).
// A cursor names the last row a page returned; the next page starts strictly after it, so rows
// inserted meanwhile (always newer) neither repeat nor shift later pages, unlike OFFSET.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ports/status.h"

namespace nb {

struct PageCursor {
  int64_t created_at_ms = 0;
  std::string id;
};

// base64url of "created_at_ms:id". Clients must treat it as opaque.
std::string EncodePageCursor(const PageCursor& cursor);
// InvalidArgument for anything EncodePageCursor could not have produced.
Result<PageCursor> DecodePageCursor(const std::string& text);

// One page of a list. `total` (all matches, across pages) is set only by lists that count.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
  std::optional<int64_t> total;
};

// Bounds every list accepts for `limit`.
inline constexpr int kMinPageLimit = 1;
inline constexpr int kMaxPageLimit = 100;

inline Status CheckPageLimit(int limit) {
  if (limit < kMinPageLimit || limit > kMaxPageLimit) {
    return Status::InvalidArgument("limit must be between 1 and 100");
  }
  return Status::Ok();
}

// The WHERE fragment that starts after a cursor; binds created_at, created_at, id in that order.
inline constexpr char kAfterCursorSql[] = "(created_at < ? OR (created_at = ? AND id < ?))";

}  // namespace nb
