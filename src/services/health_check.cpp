#include "services/health_check.h"

namespace nb {
namespace {

// Migrations applied: the users table exists.
SqlStatement MigratedQuery() {
  return {"SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
          {std::string("users")}};
}

Status CheckMigrated(const Result<SqlResult>& result) {
  if (!result.ok()) return result.status();
  if (result->rows.empty()) return Status::FailedPrecondition("migrations not applied");
  auto tables = result->rows.front().GetInt64("n");
  if (!tables.ok()) return tables.status();
  if (*tables != 1) return Status::FailedPrecondition("migrations not applied");
  return Status::Ok();
}

Status CheckD1(Database& db) { return CheckMigrated(db.Execute(MigratedQuery())); }

// Keys the read-only probes look up; nothing ever writes them, so the answer is "not found", which
// still proves the binding answered.
constexpr char kR2ReadProbe[] = "health/read-probe";
constexpr char kKvReadProbe[] = "health:read-probe";

Status RoundTripR2(ObjectStore& objects, const std::string& probe_id) {
  const std::string key = "health/" + probe_id;
  const std::string payload = "health " + probe_id;
  auto put = objects.Put(key, payload, ObjectMetadata{"text/plain", {}});
  if (!put.ok()) return put.status();
  auto got = objects.Get(key);
  Status deleted = objects.Delete({key});
  if (!got.ok()) return got.status();
  if (!*got || (**got).bytes != payload) return Status::IoError("R2 read back different bytes");
  return deleted;
}

Status RoundTripKv(KeyValue& kv, const std::string& probe_id) {
  const std::string key = "health:" + probe_id;
  NB_RETURN_IF_ERROR(kv.Put(key, probe_id, kMinKvTtlSeconds));
  auto got = kv.Get(key);
  Status deleted = kv.Delete(key);
  if (!got.ok()) return got.status();
  if (!*got || **got != probe_id) return Status::IoError("KV read back a different value");
  return deleted;
}

}  // namespace

// The three reads do not depend on each other, so they go together (ports/batch_reader.h).
HealthReport CheckHealth(Ports& ports) {
  ReadBatchResults read = ports.reads.Read({{MigratedQuery()}, {kR2ReadProbe}, {kKvReadProbe}});
  return HealthReport{CheckMigrated(read.queries.at(0)), read.object_heads.at(0).status(),
                      read.kv_gets.at(0).status()};
}

HealthReport CheckHealthRoundTrip(Ports& ports, const std::string& probe_id) {
  return HealthReport{CheckD1(ports.db), RoundTripR2(ports.objects, probe_id),
                      RoundTripKv(ports.kv, probe_id)};
}

}  // namespace nb
