// Endpoints that exist only for the integration tests (DEBUG_ROUTES=true, never in staging or
// production configs): they make the bridge's hard cases reachable over HTTP.
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "app/core/routes.h"
#include "util/debug_trap.h"

namespace nb {
namespace {

// Keeps `tag` in an address-taken stack buffer across six suspensions (KV, D1, R2 round trips) and
// checks it after each: if concurrent requests shared a shadow stack, another request would overwrite it.
Reply RoundTrip(RequestScope& scope) {
  const std::string tag = scope.request.Query("tag").value_or(scope.request.request_id).substr(0, 64);
  char on_stack[128];
  std::snprintf(on_stack, sizeof on_stack, "%s", tag.c_str());
  volatile char* guard = on_stack;
  int intact = 0;
  auto check = [&] { intact += std::strcmp(const_cast<const char*>(guard), tag.c_str()) == 0 ? 1 : 0; };

  const std::string kv_key = "debug:" + tag;
  Status kv_put = scope.ports.kv.Put(kv_key, tag, kMinKvTtlSeconds);
  check();
  auto kv_value = scope.ports.kv.Get(kv_key);
  check();
  auto d1_row = scope.ports.db.Prepare("SELECT ? AS tag").Bind(tag).First();
  check();
  auto d1_tag = d1_row.ok() && *d1_row ? (**d1_row).GetText("tag") : Result<std::string>(std::string());
  const std::string r2_key = "debug/" + tag;
  auto r2_put = scope.ports.objects.Put(r2_key, tag, ObjectMetadata{"text/plain", {}});
  check();
  auto r2_got = scope.ports.objects.Get(r2_key);
  check();
  Status r2_deleted = scope.ports.objects.Delete({r2_key});
  check();
  // Best effort: the key expires by itself, and a failed delete says nothing about the stack.
  (void)scope.ports.kv.Delete(kv_key);

  for (const Status& s : {kv_put, kv_value.status(), d1_row.status(), d1_tag.status(), r2_put.status(),
                          r2_got.status(), r2_deleted}) {
    if (!s.ok()) return http::InternalError(s);
  }
  nlohmann::json body = {{"tag", tag},
                         {"kv", kv_value->value_or("")},
                         {"d1", *d1_tag},
                         {"r2", *r2_got ? (**r2_got).bytes : ""},
                         {"stackIntact", intact == 6}};
  return http::Response::Json(200, body);
}

// ?tag= records which instance trapped (GET /api/_debug/traps?point=http:<tag>) before trapping.
Reply Trap(RequestScope& scope) {
  if (auto tag = scope.request.Query("tag")) {
    (void)scope.ports.kv.Put(DebugTrapLogKey("http:" + *tag), DebugInstanceId(scope.ports),
                             kMinKvTtlSeconds * 10);
  }
  __builtin_trap();
}

// Which instance answered: tests check a trapped one never does again.
Reply Instance(RequestScope& scope) {
  return http::Response::Json(200, {{"instanceId", DebugInstanceId(scope.ports)}});
}

// Arms a fault-injection point (util/debug_trap.h): {"point": "cron" | "job:<imageId>", "mode": "once" |
// "always"}.
Reply ArmTrap(RequestScope& scope) {
  const auto& json = scope.body<nlohmann::json>();
  const std::string point = json.value("point", "");
  const std::string mode = json.value("mode", "once");
  if (point.empty() || (mode != "once" && mode != "always"))
    return http::ApiError(http::ErrorCode::kBadRequest);
  NB_TRY(scope.ports.kv.Put(DebugTrapArmKey(point), mode, kMinKvTtlSeconds * 10));
  return http::Response::NoContent();
}

// The instances that trapped at ?point=, in order.
Reply TrapLog(RequestScope& scope) {
  const std::string point = scope.request.Query("point").value_or("");
  const std::optional<std::string> log = NB_TRY(scope.ports.kv.Get(DebugTrapLogKey(point)));
  nlohmann::json ids = nlohmann::json::array();
  std::string rest = log.value_or("");
  for (size_t at; !rest.empty(); rest = at == std::string::npos ? "" : rest.substr(at + 1)) {
    at = rest.find(',');
    ids.push_back(rest.substr(0, at));
  }
  return http::Response::Json(200, {{"point", point}, {"instances", std::move(ids)}});
}

// D1 holds an integer beyond 2^53: the bridge must refuse it, not round it.
Reply BigInt(RequestScope& scope) {
  auto row = scope.ports.db.Prepare("SELECT 9007199254740993 AS big").First();
  if (!row.ok()) return http::InternalError(row.status());
  auto big = (**row).GetInt64("big");
  if (!big.ok()) return http::InternalError(big.status());
  return http::Response::Json(200, {{"big", *big}});
}

Reply BindBigInt(RequestScope& scope) {
  auto row = scope.ports.db.Prepare("SELECT ? AS big").Bind(int64_t{9007199254740993}).First();
  if (!row.ok()) return http::ApiError(http::ErrorCode::kBadRequest);
  auto big = (**row).GetInt64("big");
  if (!big.ok()) return http::InternalError(big.status());
  return http::Response::Json(200, {{"big", *big}});
}

// ?value= goes into D1 as a bound INTEGER and comes back through a typed row: the sum and
// difference are SQLite's own integer arithmetic, so a value bound or read as a double would show.
Reply TypedRow(RequestScope& scope) {
  const std::string text = scope.request.Query("value").value_or("");
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) return http::ApiError(http::ErrorCode::kBadRequest);
  auto row =
      scope.ports.db
          .Prepare(
              "WITH t(v) AS (VALUES (CAST(? AS INTEGER))) SELECT v, typeof(v) AS type, v - 1 AS below, "
              "2.5 AS real, NULL AS empty FROM t")
          .Bind(int64_t{value})
          .First();
  if (!row.ok() && row.status().IsInvalidArgument()) return http::ApiError(http::ErrorCode::kBadRequest);
  if (!row.ok()) return http::ErrorFromStatus(row.status());
  auto v = (**row).GetInt64("v");
  auto type = (**row).GetText("type");
  auto below = (**row).GetInt64("below");
  auto real = (**row).GetDouble("real");
  auto nothing = (**row).GetOptionalInt64("empty");
  auto wrong = (**row).GetInt64("real");  // a REAL read as an INTEGER must be an error, not 2
  for (const Status& s : {v.status(), type.status(), below.status(), real.status(), nothing.status()}) {
    if (!s.ok()) return http::InternalError(s);
  }
  return http::Response::Json(200, {{"value", *v},
                                    {"type", *type},
                                    {"below", *below},
                                    {"real", *real},
                                    {"nothingIsNull", !nothing->has_value()},
                                    {"realAsIntegerRefused", !wrong.ok()}});
}

Reply BadSql(RequestScope& scope) {
  NB_TRY(scope.ports.db.Prepare("SELECT * FROM no_such_table").First());
  return http::Response::Json(200, {});
}

Reply Echo(RequestScope& scope) {
  return http::Response::Json(200, {{"echo", scope.body<nlohmann::json>()}});
}

// Each read's outcome as JSON, in order: {"error": status} when it failed, else to_json(its value).
template <class T, class ToJson>
nlohmann::json Outcomes(const std::vector<Result<T>>& results, ToJson to_json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results)
    out.push_back(r.ok() ? to_json(*r) : nlohmann::json{{"error", r.status().ToString()}});
  return out;
}

// Reads through the batch reader (one `together` binding call on the Worker) with a failing query and
// missing keys among them: each result must be its own, in the order asked.
Reply ReadBatchProbe(RequestScope& scope) {
  const std::string tag = scope.request.Query("tag").value_or(scope.request.request_id).substr(0, 64);
  const std::string kv_key = "debug-batch:" + tag;
  const std::string r2_key = "debug-batch/" + tag;
  NB_TRY(scope.ports.kv.Put(kv_key, "kv " + tag, kMinKvTtlSeconds));
  NB_TRY(scope.ports.objects.Put(r2_key, "r2 " + tag, ObjectMetadata{"text/plain", {}}));
  ReadBatch batch;
  batch.queries = {
      {"SELECT ? AS tag", {tag}}, {"SELECT * FROM no_such_table", {}}, {"SELECT ? AS n", {int64_t{7}}}};
  batch.object_heads = {r2_key + "-missing", r2_key};
  batch.kv_gets = {kv_key, kv_key + "-missing"};
  ReadBatchResults read = scope.ports.reads.Read(batch);
  (void)scope.ports.kv.Delete(kv_key);
  (void)scope.ports.objects.Delete({r2_key});

  nlohmann::json queries = Outcomes(read.queries, [](const SqlResult& q) {
    nlohmann::json out = {{"rows", q.rows.size()}};
    if (q.rows.empty()) return out;
    if (auto text = q.rows[0].GetText("tag"); text.ok())
      out["tag"] = *text;
    else
      out["n"] = q.rows[0].GetInt64("n").ok() ? *q.rows[0].GetInt64("n") : -1;
    return out;
  });
  nlohmann::json heads = Outcomes(read.object_heads, [](const std::optional<ObjectInfo>& h) {
    return h ? nlohmann::json{{"size", h->size}} : nlohmann::json(nullptr);
  });
  nlohmann::json gets = Outcomes(read.kv_gets, [](const std::optional<std::string>& g) {
    return g ? nlohmann::json(*g) : nlohmann::json(nullptr);
  });
  return http::Response::Json(200, {{"queries", queries}, {"objectHeads", heads}, {"kvGets", gets}});
}

// Account deletion has no public endpoint yet; tests need it to prove a deleted user's session dies.
Reply DeleteUser(RequestScope& scope) {
  Status s = scope.repos.users.Delete(scope.request.Param("id"));
  if (!s.ok() && !s.IsNotFound()) return http::ErrorFromStatus(s);
  return http::Response::NoContent();
}

// Every R2 object under ?prefix= (non-empty), so tests can prove nothing was stored or left behind.
Reply ListObjects(RequestScope& scope) {
  const std::string prefix = scope.request.Query("prefix").value_or("");
  if (prefix.empty()) return http::ApiError(http::ErrorCode::kBadRequest);
  nlohmann::json objects = nlohmann::json::array();
  std::optional<std::string> cursor;
  for (int page = 0; page < 100; ++page) {
    const auto list = NB_TRY(scope.ports.objects.List(prefix, 1000, cursor));
    for (const auto& o : list.objects) {
      objects.push_back({{"key", o.key}, {"size", o.size}, {"contentType", o.metadata.content_type}});
    }
    if (!list.cursor) break;
    cursor = list.cursor;
  }
  return http::Response::Json(200, {{"objects", std::move(objects)}});
}

}  // namespace

void AddDebugRoutes(RouteTable& app) {
  RouteTable debug = app.Group("/api/_debug");
  debug.Get("/objects", ListObjects);
  debug.Get("/roundtrip", RoundTrip);
  debug.Get("/read-batch", ReadBatchProbe);
  debug.Get("/trap", Trap);
  debug.Get("/instance", Instance);
  debug.Post("/traps", {JsonBody()}, ArmTrap);
  debug.Get("/traps", TrapLog);
  debug.Get("/bigint", BigInt);
  debug.Get("/bind-bigint", BindBigInt);
  debug.Get("/typed-row", TypedRow);
  debug.Get("/bad-sql", BadSql);
  debug.Post("/echo", {JsonBody()}, Echo);
  debug.Delete("/users/:id", DeleteUser);
}

}  // namespace nb
