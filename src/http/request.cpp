#include "http/request.h"

namespace nb::http {

std::optional<std::string> Request::Header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return std::nullopt;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(const std::string& in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && in[i] == '+' ? ' ' : in[i]);
  }
  return out;
}

bool ParseTarget(const std::string& url, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query) {
  query.clear();
  // The shim passes an absolute URL; skip scheme and authority.
  size_t start = 0;
  if (auto scheme = url.find("://"); scheme != std::string::npos) {
    start = url.find('/', scheme + 3);
    if (start == std::string::npos) {
      path = "/";
      return true;
    }
  }
  const size_t hash = url.find('#', start);
  size_t q = url.find('?', start);
  if (q > hash) q = std::string::npos;  // a '?' inside the fragment does not start a query
  const size_t path_end = std::min(q, hash);
  path = PercentDecode(
      url.substr(start, path_end == std::string::npos ? std::string::npos : path_end - start), false);
  if (path.empty() || path[0] != '/') return false;
  if (q == std::string::npos) return true;
  const std::string qs = url.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
  size_t pos = 0;
  while (pos <= qs.size()) {
    size_t amp = qs.find('&', pos);
    if (amp == std::string::npos) amp = qs.size();
    const std::string pair = qs.substr(pos, amp - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      query.emplace_back(PercentDecode(pair.substr(0, eq), true),
                         eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1), true));
    }
    pos = amp + 1;
  }
  return true;
}

}  // namespace nb::http
