// GET /api/health: a real round trip through each binding (D1 query, R2 write/read/delete, KV
// write/read/delete), so a green answer means the Worker can actually serve.
#pragma once

#include <string>

#include "ports/ports.h"

namespace nb {

struct HealthReport {
  Status d1;
  Status r2;
  Status kv;
  bool ok() const { return d1.ok() && r2.ok() && kv.ok(); }
};

HealthReport CheckHealth(Ports& ports, const std::string& probe_id);

}  // namespace nb
