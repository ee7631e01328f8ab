#include "http/entity_tag.h"

#include <string_view>

namespace nb::http {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The opaque-tag part of a tag, dropping W/: `W/"x"` and `"x"` both give `"x"`.
std::string_view WithoutWeakPrefix(std::string_view tag) {
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string StrongEtag(const std::string& opaque) { return "\"" + opaque + "\""; }

bool IfNoneMatchMatches(const std::string& header, const std::string& etag) {
  const std::string_view all = Trim(header);
  if (all == "*") return true;
  const std::string_view ours = WithoutWeakPrefix(etag);
  size_t pos = 0;
  while (pos < all.size()) {
    while (pos < all.size() && (IsSpace(all[pos]) || all[pos] == ',')) ++pos;
    if (pos >= all.size()) break;
    size_t start = pos;
    if (all.compare(pos, 2, "W/") == 0) pos += 2;
    if (pos >= all.size() || all[pos] != '"') return false;  // malformed: stop matching
    const size_t close = all.find('"', pos + 1);
    if (close == std::string_view::npos) return false;
    const std::string_view tag = all.substr(start, close + 1 - start);
    if (WithoutWeakPrefix(tag) == ours) return true;
    pos = close + 1;
  }
  return false;
}

bool IfRangeMatches(const std::string& header, const std::string& etag) {
  const std::string_view tag = Trim(header);
  return !etag.empty() && tag.size() >= 2 && tag.front() == '"' && tag == etag;
}

}  // namespace nb::http
