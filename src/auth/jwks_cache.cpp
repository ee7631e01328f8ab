#include "auth/jwks_cache.h"

#include <algorithm>
#include <cstdlib>

namespace nb {
namespace {

constexpr int64_t kDefaultJwksTtl = 3600;
constexpr int64_t kMaxJwksTtl = 7 * 24 * 3600;

std::string CacheKey(const std::string& url) {
  // KV keys are at most 512 bytes; JWKS URLs are short, but cap anyway.
  return "jwks:" + url.substr(0, 400);
}

// A string member or "": value() on a member of another type would abort (no exceptions).
std::string StringMember(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

int64_t MaxAgeSeconds(const std::string& cache_control, int64_t fallback) {
  const size_t pos = cache_control.find("max-age=");
  if (pos == std::string::npos) return fallback;
  const char* start = cache_control.c_str() + pos + 8;
  char* end = nullptr;
  const long long v = std::strtoll(start, &end, 10);
  if (end == start || v < 0) return fallback;
  return static_cast<int64_t>(v);
}

Result<RsaPublicJwk> FindKey(const nlohmann::json& jwks, const std::string& kid) {
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
    return Status::InvalidArgument("JWKS has no keys array");
  }
  for (const auto& k : jwks["keys"]) {
    if (!k.is_object() || StringMember(k, "kid") != kid) continue;
    if (StringMember(k, "kty") != "RSA") continue;
    if (k.contains("alg") && StringMember(k, "alg") != "RS256") continue;
    if (k.contains("use") && StringMember(k, "use") != "sig") continue;
    RsaPublicJwk key{StringMember(k, "n"), StringMember(k, "e")};
    if (key.n.empty() || key.e.empty()) continue;
    return key;
  }
  return Status::NotFound("no RS256 key with kid " + kid);
}

Result<nlohmann::json> JwksCache::Fetch() {
  ++fetches_;
  HttpRequest request;
  request.url = jwks_url_;
  request.headers = {{"accept", "application/json"}};
  request.timeout_ms = 10000;
  NB_ASSIGN_OR_RETURN(HttpResponse response, http_.Fetch(request));
  if (response.status != 200)
    return Status::Unavailable("JWKS answered HTTP " + std::to_string(response.status));
  auto jwks = nlohmann::json::parse(response.body, nullptr, false);
  // A document without keys is Google's problem, not the token's: Unavailable, and not cached.
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
    return Status::Unavailable("JWKS is not a JSON key set");
  }
  const int64_t ttl = std::clamp(MaxAgeSeconds(response.Header("cache-control"), kDefaultJwksTtl),
                                 kMinKvTtlSeconds, kMaxJwksTtl);
  // A failed cache write only costs a refetch next time, and the keys in hand are good: ignored.
  (void)kv_.Put(CacheKey(jwks_url_), response.body, ttl);
  return jwks;
}

Result<RsaPublicJwk> JwksCache::KeyFor(const std::string& kid) {
  auto cached = kv_.Get(CacheKey(jwks_url_));
  if (cached.ok() && *cached) {
    auto jwks = nlohmann::json::parse(**cached, nullptr, false);
    auto key = FindKey(jwks, kid);
    if (key.ok()) return key;
  }
  NB_ASSIGN_OR_RETURN(nlohmann::json fresh, Fetch());
  return FindKey(fresh, kid);
}

}  // namespace nb
