// libFuzzer: CookieValue on arbitrary Cookie headers (sent by any client). The first byte picks the
// name's length; the rest is name then header. A value found is really "name=value" in the header, at
// the start of a pair, and contains no ';'.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth/cookies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t name_len = std::min<size_t>(data[0] % 16, size - 1);
  const std::string name(reinterpret_cast<const char*>(data + 1), name_len);
  const std::string header(reinterpret_cast<const char*>(data + 1 + name_len), size - 1 - name_len);
  auto value = nb::CookieValue(header, name);
  if (!value) return 0;
  if (value->find(';') != std::string::npos) std::abort();
  const std::string pair = name + "=" + *value;
  bool found = false;
  for (size_t at = header.find(pair); at != std::string::npos && !found; at = header.find(pair, at + 1)) {
    // At the start of the header or of a pair ("; " or ";" then spaces), and ending at ';' or the end.
    size_t before = at;
    while (before > 0 && header[before - 1] == ' ') --before;
    const bool starts = before == 0 || header[before - 1] == ';';
    const size_t end = at + pair.size();
    found = starts && (end == header.size() || header[end] == ';');
  }
  if (!found) std::abort();
  return 0;
}
