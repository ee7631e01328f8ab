// Binding health, two ways:
// - CheckHealth (GET /api/health, anyone): reads only — a D1 query, an R2 head and a KV get of keys that
//   need not exist — so an anonymous caller can never make the Worker write (cost), and a KV write that
//   is not yet visible to a read (KV is eventually consistent) cannot turn into a false 503.
// - CheckHealthRoundTrip (GET /api/admin/health, admins): a real write, read back and delete through R2
//   and KV, so a green answer means the Worker can actually store.
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

HealthReport CheckHealth(Ports& ports);
HealthReport CheckHealthRoundTrip(Ports& ports, const std::string& probe_id);

}  // namespace nb
