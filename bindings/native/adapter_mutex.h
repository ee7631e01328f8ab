// The lock of the in-memory adapters. std::mutex natively; in the unit tests' wasm run a WASI instance
// has one thread and Debian's wasm32 libc++ is built without threads (no std::mutex), so there it is
// a lock that does nothing.
#pragma once

#if defined(__wasi__)
namespace nb {
class AdapterMutex {
 public:
  void lock() {}
  void unlock() {}
};
class AdapterLock {
 public:
  explicit AdapterLock(AdapterMutex&) {}
  AdapterLock(const AdapterLock&) = delete;
  AdapterLock& operator=(const AdapterLock&) = delete;
};
}  // namespace nb
#else
#include <mutex>
namespace nb {
using AdapterMutex = std::mutex;
using AdapterLock = std::lock_guard<std::mutex>;
}  // namespace nb
#endif
