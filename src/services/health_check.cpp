#include "services/health_check.h"

namespace nb {
namespace {

Status CheckD1(Database& db) {
  auto row = db.Prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?")
                 .Bind("users")
                 .First();
  if (!row.ok()) return row.status();
  if (!*row) return Status::FailedPrecondition("migrations not applied");
  auto tables = (**row).GetInt64("n");
  if (!tables.ok()) return tables.status();
  if (*tables != 1) return Status::FailedPrecondition("migrations not applied");
  return Status::Ok();
}

Status CheckR2(ObjectStore& objects, const std::string& probe_id) {
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

Status CheckKv(KeyValue& kv, const std::string& probe_id) {
  const std::string key = "health:" + probe_id;
  NB_RETURN_IF_ERROR(kv.Put(key, probe_id, kMinKvTtlSeconds));
  auto got = kv.Get(key);
  Status deleted = kv.Delete(key);
  if (!got.ok()) return got.status();
  if (!*got || **got != probe_id) return Status::IoError("KV read back a different value");
  return deleted;
}

}  // namespace

HealthReport CheckHealth(Ports& ports, const std::string& probe_id) {
  return HealthReport{CheckD1(ports.db), CheckR2(ports.objects, probe_id), CheckKv(ports.kv, probe_id)};
}

}  // namespace nb
