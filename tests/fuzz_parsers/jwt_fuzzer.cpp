// libFuzzer: ParseJwt on arbitrary tokens (the id_token Google returns is attacker-reachable through a
// forged callback). Never crashes; when it accepts, what it returns is consistent with the input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string token(reinterpret_cast<const char*>(data), size);
  auto jwt = nb::ParseJwt(token);
  if (!jwt.ok()) return 0;
  // Header and payload are JSON objects; the signing input is the token up to its last dot.
  if (!jwt->header.is_object() || !jwt->payload.is_object()) std::abort();
  const size_t last_dot = token.rfind('.');
  if (last_dot == std::string::npos || jwt->signing_input != token.substr(0, last_dot)) std::abort();
  // Exactly three segments.
  size_t dots = 0;
  for (char c : token) dots += c == '.';
  if (dots != 2) std::abort();
  return 0;
}
