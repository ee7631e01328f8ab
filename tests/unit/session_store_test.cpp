#include "auth/session_store.h"

#include <catch2/catch.hpp>
#include <string>

#include "app_fixture.h"
#include "util/base64.h"
#include "util/hex.h"

namespace nb {
namespace {

using testing::NativePorts;

constexpr int64_t kTtl = 3600;
constexpr int64_t kRenewAfter = 600;
constexpr int64_t kMaxAge = 1000 * kTtl;  // far away unless a test is about it

struct SessionFixture {
  NativePorts native;
  SessionStore sessions{native.ports, kTtl, kMaxAge, kRenewAfter};

  NewSession Create(const std::string& user_id = "usr_1") {
    auto created = sessions.Create(user_id);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    return *created;
  }
  std::optional<Session> Find(const std::string& token, bool* renewed = nullptr) {
    auto found = sessions.Find(token, renewed);
    INFO(found.status().ToString());
    REQUIRE(found.ok());
    return *found;
  }
  void Advance(int64_t seconds) { native.clock.Advance(seconds * 1000); }
};

TEST_CASE_METHOD(SessionFixture, "SessionStore: a created session is found by its token", "[sessions]") {
  const int64_t now = native.clock.NowMs();
  NewSession created = Create("usr_ana");
  CHECK(created.token.size() == 43);
  CHECK(Base64UrlDecode(created.token)->size() == 32);
  CHECK(created.session.user_id == "usr_ana");
  CHECK(created.session.created_ms == now);
  CHECK(created.session.expires_ms == now + kTtl * 1000);

  bool renewed = true;
  auto found = Find(created.token, &renewed);
  REQUIRE(found);
  CHECK(found->user_id == "usr_ana");
  CHECK(found->expires_ms == now + kTtl * 1000);
  CHECK_FALSE(renewed);

  // Each session gets its own token.
  NewSession other = Create("usr_bob");
  CHECK(other.token != created.token);
  CHECK(Find(other.token)->user_id == "usr_bob");
  CHECK(Find(created.token)->user_id == "usr_ana");
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: KV holds only the token's SHA-256", "[sessions]") {
  NewSession created = Create("usr_ana");
  REQUIRE(native.kv.writes.size() == 1);
  const auto& write = native.kv.writes[0];
  auto digest = native.crypto.Sha256(created.token);
  REQUIRE(digest.ok());
  CHECK(write.key == "session:" + HexEncode(*digest));
  CHECK(write.ttl_seconds == kTtl);
  CHECK(write.value.find("usr_ana") != std::string::npos);
  // Neither the token nor its raw bytes appear anywhere KV can see.
  const std::string raw = *Base64UrlDecode(created.token);
  for (const auto& w : native.kv.writes) {
    CHECK(w.key.find(created.token) == std::string::npos);
    CHECK(w.value.find(created.token) == std::string::npos);
    CHECK(w.key.find(HexEncode(raw)) == std::string::npos);
    CHECK(w.value.find(raw) == std::string::npos);
  }
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: a session expires after its TTL of idleness", "[sessions]") {
  SessionStore no_renewal(native.ports, kTtl, kMaxAge, /*renew_after_seconds=*/10 * kTtl);
  auto created = no_renewal.Create("usr_ana");
  REQUIRE(created.ok());
  Advance(kTtl - 1);
  auto before = no_renewal.Find(created->token);
  REQUIRE(before.ok());
  CHECK(before->has_value());
  Advance(1);
  auto after = no_renewal.Find(created->token);
  REQUIRE(after.ok());
  CHECK_FALSE(after->has_value());
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: expiry is enforced even when KV keeps the entry longer",
                 "[sessions]") {
  // KV refuses TTLs under 60 s, so a 30 s session sits in KV for 60 s; the stored expiry decides.
  SessionStore short_lived(native.ports, 30, kMaxAge, 3600);
  auto created = short_lived.Create("usr_ana");
  REQUIRE(created.ok());
  CHECK(native.kv.writes.back().ttl_seconds == kMinKvTtlSeconds);
  Advance(29);
  CHECK(short_lived.Find(created->token)->has_value());
  Advance(1);
  CHECK_FALSE(short_lived.Find(created->token)->has_value());
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: use after renew_after slides the expiry", "[sessions]") {
  NewSession created = Create("usr_ana");
  const size_t writes_after_create = native.kv.writes.size();

  Advance(kRenewAfter - 1);
  bool renewed = true;
  REQUIRE(Find(created.token, &renewed));
  CHECK_FALSE(renewed);
  CHECK(native.kv.writes.size() == writes_after_create);  // no write on every request

  Advance(1);
  const int64_t now = native.clock.NowMs();
  auto found = Find(created.token, &renewed);
  REQUIRE(found);
  CHECK(renewed);
  CHECK(found->renewed_ms == now);
  CHECK(found->expires_ms == now + kTtl * 1000);
  CHECK(found->created_ms == created.session.created_ms);
  CHECK(native.kv.writes.size() == writes_after_create + 1);
  CHECK(native.kv.writes.back().ttl_seconds == kTtl);

  // Past the original expiry, the renewed session lives on (in the value and in KV's TTL).
  Advance(kTtl - 1);
  REQUIRE(created.session.expires_ms < native.clock.NowMs());
  auto still = Find(created.token, &renewed);
  REQUIRE(still);
  CHECK(renewed);  // and renews again, since renew_after has passed
  // Left alone for a whole TTL, it ends.
  Advance(kTtl);
  CHECK_FALSE(Find(created.token));
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: the absolute lifetime ends a session however active",
                 "[sessions]") {
  // Idle TTL 1 h, renewed every 10 min of use, but at most 3 h old.
  SessionStore capped(native.ports, kTtl, 3 * kTtl, kRenewAfter);
  auto created = capped.Create("usr_ana", 4);
  REQUIRE(created.ok());
  CHECK(created->session.ends_ms == created->session.created_ms + 3 * kTtl * 1000);
  CHECK(created->session.epoch == 4);
  CHECK(capped.CookieMaxAge(created->session) == kTtl);
  // Used every 10 minutes: the idle TTL never runs out, the absolute one does.
  for (int64_t used = kRenewAfter; used < 3 * kTtl; used += kRenewAfter) {
    Advance(kRenewAfter);
    auto found = capped.Find(created->token);
    REQUIRE(found.ok());
    INFO("after " << used << " s");
    REQUIRE(found->has_value());
    CHECK((*found)->expires_ms <= (*found)->ends_ms);
    CHECK((*found)->epoch == 4);
    CHECK(capped.CookieMaxAge(**found) <= 3 * kTtl - used);
  }
  Advance(kRenewAfter);  // exactly 3 h after sign-in
  auto gone = capped.Find(created->token);
  REQUIRE(gone.ok());
  CHECK_FALSE(gone->has_value());
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: a record without endsMs ends max_age after it was made",
                 "[sessions]") {
  SessionStore capped(native.ports, kTtl, 2 * kTtl, kRenewAfter);
  auto created = capped.Create("usr_ana");
  REQUIRE(created.ok());
  const std::string key = native.kv.writes.back().key;
  const int64_t now = native.clock.NowMs();
  // As stored before the absolute lifetime existed: a far idle expiry and no endsMs.
  REQUIRE(native.kv
              .Put(key,
                   R"({"userId":"usr_ana","createdMs":)" + std::to_string(now) + R"(,"expiresMs":)" +
                       std::to_string(now + 100 * kTtl * 1000) + R"(,"renewedMs":)" + std::to_string(now) +
                       "}",
                   100 * kTtl)
              .ok());
  Advance(2 * kTtl - 1);
  CHECK(capped.Find(created->token)->has_value());
  Advance(1);
  CHECK_FALSE(capped.Find(created->token)->has_value());
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: revoke ends the session", "[sessions]") {
  NewSession created = Create("usr_ana");
  NewSession other = Create("usr_ana");
  REQUIRE(sessions.Revoke(created.token).ok());
  CHECK_FALSE(Find(created.token));
  CHECK(Find(other.token));                    // only that one
  CHECK(sessions.Revoke(created.token).ok());  // idempotent
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: malformed tokens are nullopt without touching KV",
                 "[sessions]") {
  NewSession created = Create("usr_ana");
  const int calls = native.kv.calls();
  std::string plus = created.token;
  plus[5] = '+';
  std::string star = created.token;
  star[0] = '*';
  std::string padded = created.token.substr(0, 42) + "=";
  for (const std::string& token : {std::string(), created.token.substr(0, 42), created.token + "A",
                                   std::string(43, '.'), plus, star, padded, std::string(4096, 'A')}) {
    INFO(token);
    bool renewed = true;
    CHECK_FALSE(Find(token, &renewed));
    CHECK_FALSE(renewed);
  }
  CHECK(sessions.Revoke("").ok());
  CHECK(sessions.Revoke(created.token.substr(1)).ok());
  CHECK(native.kv.calls() == calls);
  CHECK(Find(created.token));  // and the real session is untouched
}

TEST_CASE_METHOD(SessionFixture, "SessionStore: an unknown well-formed token or a corrupt record is nullopt",
                 "[sessions]") {
  CHECK_FALSE(Find(Base64UrlEncode(std::string(32, '\x01'))));
  NewSession created = Create("usr_ana");
  const std::string key = native.kv.writes.back().key;
  for (const char* stored : {"{not json", "[]", R"({"userId":""})", R"({"expiresMs":99999999999999})",
                             R"({"userId":"usr_ana","expiresMs":"soon"})"}) {
    INFO(stored);
    REQUIRE(native.kv.Put(key, stored, 3600).ok());
    CHECK_FALSE(Find(created.token));
  }
}

}  // namespace
}  // namespace nb
