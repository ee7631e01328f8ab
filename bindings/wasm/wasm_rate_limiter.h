#pragma once

#include "ports/rate_limiter.h"
#include "wasm/host_call.h"

namespace nb::wasm {

// The Workers rate-limiting binding named `limiter` through the shim.
class WasmRateLimiter final : public RateLimiter {
 public:
  Result<bool> Allow(const std::string& limiter, const std::string& key) override {
    NB_ASSIGN_OR_RETURN(HostReply reply,
                        CallHost(HostPort::kRateLimit, {{"limiter", limiter}, {"key", key}}));
    return reply.head.value("allowed", false);
  }
};

}  // namespace nb::wasm
