#include "util/debug_trap.h"

#include "util/ids.h"

namespace nb {

const std::string& DebugInstanceId(Ports& ports) {
  static const std::string id = NewId(ports.random);
  return id;
}

std::string DebugTrapArmKey(const std::string& point) { return "debug:trap-arm:" + point; }
std::string DebugTrapLogKey(const std::string& point) { return "debug:trap-log:" + point; }

void MaybeDebugTrap(Ports& ports, bool enabled, const std::string& point) {
  if (!enabled) return;
  auto armed = ports.kv.Get(DebugTrapArmKey(point));
  if (!armed.ok() || !*armed) return;
  if (**armed == "once") (void)ports.kv.Delete(DebugTrapArmKey(point));
  auto log = ports.kv.Get(DebugTrapLogKey(point));
  std::string ids = log.ok() && *log ? **log + "," : "";
  (void)ports.kv.Put(DebugTrapLogKey(point), ids + DebugInstanceId(ports), kMinKvTtlSeconds * 10);
  __builtin_trap();
}

}  // namespace nb
