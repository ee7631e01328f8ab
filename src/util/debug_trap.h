// Test-only fault injection for the integration tests (active only with DEBUG_ROUTES="true", which no
// deployed environment sets: tests/integration/deploy_config.test.js). A test arms a named point
// through POST /api/_debug/traps; the code at that point then traps the wasm instance, as a real bug
// would, and records which instance it was, so the test can check the pool never uses it again.
#pragma once

#include <string>

#include "ports/ports.h"

namespace nb {

// A random id for this instance (this linear memory), made on first use.
const std::string& DebugInstanceId(Ports& ports);

// The KV keys behind the arming and the record; the debug routes read and write them.
std::string DebugTrapArmKey(const std::string& point);  // value "once" or "always"
std::string DebugTrapLogKey(const std::string& point);  // instance ids that trapped here, comma-separated

// When `enabled` and `point` is armed: appends this instance's id to the record and traps.
void MaybeDebugTrap(Ports& ports, bool enabled, const std::string& point);

}  // namespace nb
