// ISO-8601 timestamps for the HTTP contract. Pure arithmetic (no gmtime) so wasm32-wasi needs no tz data.
#pragma once

#include <cstdint>
#include <string>

namespace nb {

// Milliseconds since the Unix epoch -> "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, always with milliseconds).
std::string FormatIsoUtc(int64_t epoch_ms);

}  // namespace nb
