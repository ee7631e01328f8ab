// Gallery search (GET /api/images?q=): the user's words as an FTS5 MATCH expression that FTS5 can
// only read as words. Every word is quoted, so `"`, `*`, `-`, `NEAR`, `AND`, `OR`, `NOT`, `^` and
// column filters (`title:`) are text to look for, never syntax.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace nb {

inline constexpr size_t kMaxSearchQueryBytes = 200;  // longer: 422 (the route checks)
inline constexpr size_t kMaxSearchWords = 8;         // further words are ignored

// Words are runs of ASCII letters and digits and of any non-ASCII character (the tokenizer,
// unicode61 with remove_diacritics 2, folds case and accents on both sides). Each becomes a quoted
// prefix term ("cafe"*), all of them required, in any order. nullopt when q has no word at all.
std::optional<std::string> FtsMatchExpression(const std::string& q);

}  // namespace nb
