#include "util/ids.h"

namespace nb {

std::string NewId(Random& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = random.Bytes(kIdLength / 2);
  std::string out;
  out.reserve(kIdLength);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

bool IsValidId(const std::string& id) {
  if (id.size() != kIdLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace nb
