#pragma once

#include <string>

#include "ports/job_queue.h"
#include "wasm/host_call.h"

namespace nb::wasm {

// A Queues producer binding (e.g. env.GENERATION_JOBS) through the shim; the message travels as JSON.
class WasmJobQueue final : public JobQueue {
 public:
  explicit WasmJobQueue(std::string binding) : binding_(std::move(binding)) {}

  Status Send(const nlohmann::json& body, int delay_seconds = 0) override {
    if (delay_seconds < 0 || delay_seconds > kMaxQueueDelaySeconds) {
      return Status::InvalidArgument("queue delay out of range");
    }
    auto reply =
        CallHost(HostPort::kQueue, {{"queue", binding_}, {"body", body}, {"delaySeconds", delay_seconds}});
    return reply.ok() ? Status::Ok() : reply.status();
  }

 private:
  std::string binding_;
};

}  // namespace nb::wasm
