#include "repositories/search_query.h"

#include <vector>

namespace nb {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::optional<std::string> FtsMatchExpression(const std::string& q) {
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i <= q.size() && words.size() < kMaxSearchWords; ++i) {
    if (i < q.size() && IsWordByte(static_cast<unsigned char>(q[i]))) {
      word += q[i];
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (words.empty()) return std::nullopt;
  std::string match;
  for (const auto& w : words) {
    // A word holds no quote (quotes are separators above), so the string cannot end early.
    match += (match.empty() ? "\"" : " \"") + w + "\"*";
  }
  return match;
}

}  // namespace nb
