// Typed wrapper over the raw FFI: one binding call, its reply parsed, failures as Status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ports/status.h"

namespace nb::wasm {

enum class HostPort { kD1, kR2, kKv, kFetch, kCrypto, kRateLimit, kQueue, kThumbnail };

struct HostReply {
  nlohmann::json head;
  std::string body;
};

// A reply whose head carries {"error": {...}} comes back as that error's Status.
Result<HostReply> CallHost(HostPort port, const nlohmann::json& head, std::string_view body = {});

struct HostCall {
  HostPort port;
  nlohmann::json head;
  std::string body;
};

// The calls started together in the shim (one suspension for all); one reply per call, in order, each
// failing or succeeding on its own as CallHost's would.
std::vector<Result<HostReply>> CallHostTogether(const std::vector<HostCall>& calls);

}  // namespace nb::wasm
