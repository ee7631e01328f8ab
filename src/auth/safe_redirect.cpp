#include "auth/safe_redirect.h"

namespace nb {

std::string SafeRedirectPath(const std::string& requested) {
  if (requested.empty() || requested.size() > 512 || requested[0] != '/') return "/";
  if (requested.size() > 1 && (requested[1] == '/' || requested[1] == '\\')) return "/";
  for (unsigned char c : requested) {
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  }
  return requested;
}

}  // namespace nb
