#include "auth/jwks_cache.h"

#include <catch2/catch.hpp>
#include <string>

#include "native/manual_clock.h"
#include "native/memory_key_value.h"
#include "native/scripted_http_client.h"
#include "rsa_test_keys.h"
#include "util/json_text.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::JwkEntry;
using testing::Jwks;
using testing::PublicJwk;
using testing::RotatedKey;
using testing::SigningKey;

constexpr char kJwksUrl[] = "https://www.googleapis.com/oauth2/v3/certs";

HttpResponse JwksResponse(const json& jwks, const std::string& cache_control = "public, max-age=21600") {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"content-type", "application/json"}};
  if (!cache_control.empty()) r.headers.emplace_back("cache-control", cache_control);
  r.body = JsonText(jwks);
  return r;
}

struct JwksFixture {
  ManualClock clock;
  MemoryKeyValue kv{clock};
  ScriptedHttpClient http;
  JwksCache cache{http, kv, kJwksUrl};

  std::optional<std::string> Cached() {
    auto v = kv.Get(std::string("jwks:") + kJwksUrl);
    REQUIRE(v.ok());
    return *v;
  }
};

TEST_CASE("MaxAgeSeconds reads max-age out of Cache-Control", "[jwks]") {
  CHECK(MaxAgeSeconds("public, max-age=21600, must-revalidate, no-transform", 7) == 21600);
  CHECK(MaxAgeSeconds("max-age=0", 7) == 0);
  CHECK(MaxAgeSeconds("max-age=60", 7) == 60);
  CHECK(MaxAgeSeconds("", 7) == 7);
  CHECK(MaxAgeSeconds("no-cache", 7) == 7);
  CHECK(MaxAgeSeconds("max-age=", 7) == 7);
  CHECK(MaxAgeSeconds("max-age=abc", 7) == 7);
  CHECK(MaxAgeSeconds("max-age=-5", 7) == 7);
  CHECK(MaxAgeSeconds("s-maxage=100", 7) == 7);  // a shared-cache directive is not ours
  CHECK(MaxAgeSeconds("s-maxage=100, max-age=300", 7) == 300);
}

TEST_CASE("FindKey picks the RS256 signing key with the kid and ignores others", "[jwks]") {
  json ec = {{"kty", "EC"},    {"alg", "ES256"}, {"use", "sig"}, {"kid", "k"},
             {"crv", "P-256"}, {"x", "a"},       {"y", "b"}};
  json rs512 = JwkEntry("k", RotatedKey());
  rs512["alg"] = "RS512";
  json enc = JwkEntry("k", RotatedKey());
  enc["use"] = "enc";
  json no_n = JwkEntry("k", RotatedKey());
  no_n.erase("n");
  const json jwks = Jwks({ec, rs512, enc, no_n, JwkEntry("other", RotatedKey())});
  auto missing = FindKey(jwks, "k");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kNotFound);

  // The same document with a proper entry appended finds exactly that one.
  json with_good = jwks;
  with_good["keys"].push_back(JwkEntry("k", SigningKey()));
  auto found = FindKey(with_good, "k");
  REQUIRE(found.ok());
  CHECK(found->n == PublicJwk(SigningKey()).n);
  CHECK(found->e == "AQAB");

  // alg and use are optional in a JWK; kty RSA without them is a usable key.
  json bare = JwkEntry("bare", SigningKey());
  bare.erase("alg");
  bare.erase("use");
  CHECK(FindKey(Jwks({bare}), "bare").ok());
}

TEST_CASE("FindKey survives entries with the wrong JSON types", "[jwks]") {
  json numeric_kid = JwkEntry("k", RotatedKey());
  numeric_kid["kid"] = 7;
  json object_alg = JwkEntry("k", RotatedKey());
  object_alg["alg"] = json::object();
  json array_n = JwkEntry("k", RotatedKey());
  array_n["n"] = json::array();
  json null_use = JwkEntry("k", RotatedKey());
  null_use["use"] = nullptr;
  json numeric_kty = JwkEntry("k", RotatedKey());
  numeric_kty["kty"] = 1;
  const json jwks = Jwks({"not an object", numeric_kid, object_alg, array_n, null_use, numeric_kty,
                          JwkEntry("k", SigningKey())});
  auto found = FindKey(jwks, "k");
  REQUIRE(found.ok());
  CHECK(found->n == PublicJwk(SigningKey()).n);

  CHECK_FALSE(FindKey(json::object(), "k").ok());
  CHECK_FALSE(FindKey(json{{"keys", "nope"}}, "k").ok());
  CHECK_FALSE(FindKey(json::array(), "k").ok());
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: the first lookup fetches and caches for max-age", "[jwks]") {
  http.Expect("GET", kJwksUrl, JwksResponse(Jwks({JwkEntry("k1", SigningKey())}), "public, max-age=3000"));
  auto key = cache.KeyFor("k1");
  REQUIRE(key.ok());
  CHECK(key->n == PublicJwk(SigningKey()).n);
  CHECK(cache.fetches() == 1);
  REQUIRE(http.requests().size() == 1);
  CHECK(http.requests()[0].url == kJwksUrl);
  CHECK(Cached().has_value());

  // Still cached just before max-age runs out, gone after it.
  clock.Advance(2999 * 1000);
  CHECK(Cached().has_value());
  clock.Advance(1000);
  CHECK_FALSE(Cached().has_value());
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: a second lookup is served from KV without a fetch", "[jwks]") {
  http.Expect("GET", kJwksUrl,
              JwksResponse(Jwks({JwkEntry("k1", SigningKey()), JwkEntry("k2", RotatedKey())})));
  REQUIRE(cache.KeyFor("k1").ok());
  // A new cache object (a new request in the Worker) still finds the keys in KV.
  JwksCache next_request(http, kv, kJwksUrl);
  auto k1 = next_request.KeyFor("k1");
  auto k2 = next_request.KeyFor("k2");
  REQUIRE(k1.ok());
  REQUIRE(k2.ok());
  CHECK(k2->n == PublicJwk(RotatedKey()).n);
  CHECK(next_request.fetches() == 0);
  CHECK(http.requests().size() == 1);
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: max-age is clamped to KV's 60 s minimum", "[jwks]") {
  for (const char* cache_control : {"max-age=0", "max-age=5", "no-store"}) {
    INFO(cache_control);
    MemoryKeyValue fresh_kv(clock);
    JwksCache fresh(http, fresh_kv, kJwksUrl);
    http.Expect("GET", kJwksUrl, JwksResponse(Jwks({JwkEntry("k1", SigningKey())}), cache_control));
    REQUIRE(fresh.KeyFor("k1").ok());
    auto stored = fresh_kv.Get(std::string("jwks:") + kJwksUrl);
    REQUIRE(stored.ok());
    CHECK(stored->has_value());  // the Put was not refused for a TTL under 60 s
  }
  // No max-age at all: the default hour, then expiry.
  http.Expect("GET", kJwksUrl, JwksResponse(Jwks({JwkEntry("k1", SigningKey())}), ""));
  REQUIRE(cache.KeyFor("k1").ok());
  clock.Advance(3599 * 1000);
  CHECK(Cached().has_value());
  clock.Advance(1000);
  CHECK_FALSE(Cached().has_value());
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: an unknown kid refetches exactly once, then NotFound", "[jwks]") {
  const json jwks = Jwks({JwkEntry("k1", SigningKey())});
  http.Expect("GET", kJwksUrl, JwksResponse(jwks));
  REQUIRE(cache.KeyFor("k1").ok());
  http.Expect("GET", kJwksUrl, JwksResponse(jwks));
  auto unknown = cache.KeyFor("nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Status::Code::kNotFound);
  CHECK(cache.fetches() == 2);
  CHECK(http.AllConsumed());

  // From a cold cache, an unknown kid costs one fetch too, not two.
  MemoryKeyValue cold_kv(clock);
  JwksCache cold(http, cold_kv, kJwksUrl);
  http.Expect("GET", kJwksUrl, JwksResponse(jwks));
  CHECK(cold.KeyFor("nope").status().code() == Status::Code::kNotFound);
  CHECK(cold.fetches() == 1);
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: key rotation is picked up by the refetch", "[jwks]") {
  http.Expect("GET", kJwksUrl, JwksResponse(Jwks({JwkEntry("old", SigningKey())})));
  REQUIRE(cache.KeyFor("old").ok());
  // Google rotates: the cached document does not know "new" yet.
  http.Expect("GET", kJwksUrl,
              JwksResponse(Jwks({JwkEntry("old", SigningKey()), JwkEntry("new", RotatedKey())})));
  auto rotated = cache.KeyFor("new");
  REQUIRE(rotated.ok());
  CHECK(rotated->n == PublicJwk(RotatedKey()).n);
  CHECK(cache.fetches() == 2);
  // The refreshed document replaced the cached one: no further fetch for either kid.
  CHECK(cache.KeyFor("new").ok());
  CHECK(cache.KeyFor("old").ok());
  CHECK(cache.fetches() == 2);
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: an unusable JWKS response is Unavailable and not cached",
                 "[jwks]") {
  SECTION("HTTP 500") {
    HttpResponse r = JwksResponse(Jwks({JwkEntry("k1", SigningKey())}));
    r.status = 500;
    http.Expect("GET", kJwksUrl, r);
  }
  SECTION("HTTP 404") {
    HttpResponse r = JwksResponse(Jwks({JwkEntry("k1", SigningKey())}));
    r.status = 404;
    http.Expect("GET", kJwksUrl, r);
  }
  SECTION("not JSON") {
    HttpResponse r = JwksResponse(json::object());
    r.body = "<html>Service Unavailable</html>";
    http.Expect("GET", kJwksUrl, r);
  }
  SECTION("JSON but not an object") {
    HttpResponse r = JwksResponse(json::object());
    r.body = "[1,2,3]";
    http.Expect("GET", kJwksUrl, r);
  }
  SECTION("an object without a keys array") {
    // Not the token's fault either: InvalidArgument here would read as a bad sign-in link.
    http.Expect("GET", kJwksUrl, JwksResponse(json{{"error", "maintenance"}}));
  }
  SECTION("network failure") { http.ExpectFailure("GET", kJwksUrl, Status::Unavailable("timeout")); }
  auto key = cache.KeyFor("k1");
  REQUIRE_FALSE(key.ok());
  CHECK(key.status().code() == Status::Code::kUnavailable);
  CHECK_FALSE(Cached().has_value());
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: a corrupt cached document is ignored and refetched", "[jwks]") {
  REQUIRE(kv.Put(std::string("jwks:") + kJwksUrl, "{not json", 3600).ok());
  http.Expect("GET", kJwksUrl, JwksResponse(Jwks({JwkEntry("k1", SigningKey())})));
  CHECK(cache.KeyFor("k1").ok());
  CHECK(cache.fetches() == 1);
}

TEST_CASE_METHOD(JwksFixture, "JwksCache: keys of the wrong type are ignored", "[jwks]") {
  json ec = {{"kty", "EC"}, {"alg", "ES256"}, {"use", "sig"}, {"kid", "k1"}, {"x", "a"}, {"y", "b"}};
  json rs384 = JwkEntry("k2", SigningKey());
  rs384["alg"] = "RS384";
  json enc = JwkEntry("k3", SigningKey());
  enc["use"] = "enc";
  const json jwks = Jwks({ec, rs384, enc});
  for (const char* kid : {"k1", "k2", "k3"}) {
    INFO(kid);
    http.Expect("GET", kJwksUrl, JwksResponse(jwks));
    CHECK(cache.KeyFor(kid).status().code() == Status::Code::kNotFound);
  }
}

}  // namespace
}  // namespace nb
