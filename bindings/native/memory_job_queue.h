// An in-memory JobQueue for tests: keeps every sent message so a test can deliver it to the consumer
// by hand (once, twice, late) and can be told to refuse sends.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "adapter_mutex.h"
#include "ports/job_queue.h"

namespace nb {

class MemoryJobQueue final : public JobQueue {
 public:
  struct Message {
    nlohmann::json body;
    int delay_seconds = 0;
  };

  Status Send(const nlohmann::json& body, int delay_seconds = 0) override {
    if (delay_seconds < 0 || delay_seconds > kMaxQueueDelaySeconds) {
      return Status::InvalidArgument("queue delay out of range");
    }
    std::function<void(const nlohmann::json&)> after_keep;
    {
      AdapterLock lock(mu_);
      if (fail_sends_) return Status::Unavailable("queue send refused (test)");
      messages_.push_back({body, delay_seconds});
      if (!fail_after_keep_) return Status::Ok();
      after_keep = fail_after_keep_;
    }
    // The platform's worst case: the message is on the queue (and may already be delivered) but the
    // send reports an error.
    after_keep(body);
    return Status::Unavailable("queue send failed after enqueueing (test)");
  }

  // While set, Send keeps the message, calls `delivered` with it (a test delivers it to the consumer
  // there, as the platform may before the send returns) and then fails with kUnavailable.
  void set_fail_after_keep(std::function<void(const nlohmann::json&)> delivered) {
    AdapterLock lock(mu_);
    fail_after_keep_ = std::move(delivered);
  }

  // While set, Send fails with kUnavailable and keeps nothing.
  void set_fail_sends(bool fail) {
    AdapterLock lock(mu_);
    fail_sends_ = fail;
  }
  std::vector<Message> messages() const {
    AdapterLock lock(mu_);
    return messages_;
  }
  // Removes and returns everything sent so far.
  std::vector<Message> Drain() {
    AdapterLock lock(mu_);
    return std::exchange(messages_, {});
  }

 private:
  mutable AdapterMutex mu_;
  bool fail_sends_ = false;
  std::function<void(const nlohmann::json&)> fail_after_keep_;
  std::vector<Message> messages_;
};

}  // namespace nb
