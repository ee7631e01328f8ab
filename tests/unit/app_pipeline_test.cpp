// The App's request pipeline end to end on native ports: routing, CSRF, sessions, validation,
// languages, admin coin changes and rate limits, as the Worker runs them but without one.
#include <catch2/catch.hpp>
#include <string>

#include "app_fixture.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::Answer;
using testing::AppFixture;
using testing::kOrigin;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void CheckError(const Answer& r, int status, const std::string& code) {
  INFO(r.response.body);
  CHECK(r.status() == status);
  CHECK(r.error_code() == code);
  CHECK(r.body["error"]["message"].is_string());
  CHECK_FALSE(r.body["error"].value("message", "").empty());
}

// --- public endpoints and routing -------------------------------------------------------------------

TEST_CASE_METHOD(AppFixture, "App: health answers 200 with every check ok and leaves nothing behind",
                 "[app]") {
  Answer r = Get("/api/health");
  INFO(r.response.body);
  CHECK(r.status() == 200);
  CHECK(r.body == json{{"ok", true}, {"checks", {{"d1", "ok"}, {"r2", "ok"}, {"kv", "ok"}}}});
  CHECK(r.Header("x-request-id") == "req-1");
  CHECK(r.Header("cache-control") == "no-store");
  CHECK(r.Header("x-content-type-options") == "nosniff");
  CHECK(Contains(r.Header("content-type"), "application/json"));
  CHECK(native.objects.size() == 0);
  CHECK(native.kv.size() == 0);
}

TEST_CASE_METHOD(AppFixture, "App: health only reads: anyone may call it, so it writes nothing anywhere",
                 "[app][health]") {
  for (int i = 0; i < 3; ++i) REQUIRE(Get("/api/health").status() == 200);
  CHECK(native.kv.writes.empty());
  CHECK(native.kv.deleted.empty());
  CHECK(native.kv.gets == 3);  // KV is still reached, by a read
  CHECK(native.objects.writes() == 0);
}

TEST_CASE("App: a read batch answers each read on its own, in order (native: one after another)",
          "[app][health]") {
  testing::Vars vars = testing::DefaultVars();
  vars["DEBUG_ROUTES"] = "true";
  AppFixture f(vars);
  Answer r = f.Get("/api/_debug/read-batch?tag=t1");
  INFO(r.response.body);
  REQUIRE(r.status() == 200);
  CHECK(r.body["queries"][0] == json{{"rows", 1}, {"tag", "t1"}});
  CHECK(r.body["queries"][1]["error"].get<std::string>().find("no_such_table") != std::string::npos);
  CHECK(r.body["queries"][2] == json{{"rows", 1}, {"n", 7}});
  CHECK(r.body["objectHeads"] == json::array({nullptr, {{"size", 5}}}));
  CHECK(r.body["kvGets"] == json::array({"kv t1", nullptr}));
}

TEST_CASE_METHOD(AppFixture, "App: admin health makes the write round trip, for admins only",
                 "[app][health]") {
  CheckError(Get("/api/admin/health"), 401, "UNAUTHENTICATED");
  DevLogin("someone@example.com");
  CheckError(Get("/api/admin/health"), 403, "FORBIDDEN");
  DevLogin("boss@example.com");
  native.kv.writes.clear();
  Answer r = Get("/api/admin/health");
  INFO(r.response.body);
  CHECK(r.status() == 200);
  CHECK(r.body == json{{"ok", true}, {"checks", {{"d1", "ok"}, {"r2", "ok"}, {"kv", "ok"}}}});
  CHECK(r.Header("cache-control") == "no-store");
  CHECK(native.objects.writes() == 2);  // put and delete of the probe object
  CHECK(native.objects.size() == 0);    // the probes clean up after themselves
  REQUIRE(native.kv.LastWrite("health:") != nullptr);
  CHECK(native.kv.deleted.back() == native.kv.LastWrite("health:")->key);  // the probe key is gone again
}

TEST_CASE_METHOD(AppFixture, "App: health is 503 naming the failing check", "[app]") {
  REQUIRE(native.db->Prepare("ALTER TABLE users RENAME TO users_moved").Run().ok());
  Answer r = Get("/api/health");
  CHECK(r.status() == 503);
  CHECK(r.body["ok"] == false);
  CHECK(r.body["checks"] == json{{"d1", "error"}, {"r2", "ok"}, {"kv", "ok"}});
}

TEST_CASE_METHOD(AppFixture, "App: config reflects the Worker's vars", "[app]") {
  Answer r = Get("/api/config");
  REQUIRE(r.status() == 200);
  CHECK(r.body["languages"] == json::array({"en", "es"}));
  CHECK(r.body["devLogin"] == true);
  CHECK(r.body["googleLogin"] == false);
  CHECK(r.body["generationCost"] == 10);
  CHECK(r.body["maxUploadBytes"] == 10 * 1024 * 1024);
  CHECK(r.body["aspectRatios"].is_array());
  // Exactly the ratios Gemini's ImageConfig documents (tests/fakes/gemini.js GEMINI_SIZES), in this order.
  CHECK(r.body["aspectRatios"] ==
        nlohmann::json({"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"}));

  AppFixture configured(testing::Vars{{"GOOGLE_CLIENT_ID", "client-123"}, {"GENERATION_COST_COINS", "25"}});
  Answer other = configured.Get("/api/config");
  CHECK(other.body["devLogin"] == false);
  CHECK(other.body["googleLogin"] == true);
  CHECK(other.body["generationCost"] == 25);
}

TEST_CASE_METHOD(AppFixture, "App: unknown routes are 404, wrong methods 405 with Allow", "[app]") {
  Answer missing = Get("/api/nope");
  CheckError(missing, 404, "NOT_FOUND");
  CHECK(missing.body["error"]["message"] == "No such endpoint.");
  CHECK_FALSE(missing.body["error"].contains("requestId"));

  Answer wrong = Send(NewRequest("DELETE", "/api/health"));
  CheckError(wrong, 405, "METHOD_NOT_ALLOWED");
  CHECK(wrong.Header("allow") == "GET");
  Answer put_me = Write("PUT", "/api/me", json{{"firstName", "x"}});
  CheckError(put_me, 405, "METHOD_NOT_ALLOWED");
  CHECK(put_me.Header("allow") == "GET, PATCH");
  // Every response carries the request id and no-store, errors included.
  CHECK(wrong.Header("x-request-id") == "req-2");
  CHECK(wrong.Header("cache-control") == "no-store");
}

TEST_CASE_METHOD(AppFixture, "App: HEAD is served by GET routes; a trailing slash finds the route", "[app]") {
  CHECK(Send(NewRequest("HEAD", "/api/health")).status() == 200);
  CHECK(Get("/api/config/").status() == 200);
}

TEST_CASE_METHOD(AppFixture, "App: a body the shim refused is 413, an unparsable target 400", "[app]") {
  http::Request big = NewRequest("POST", "/api/auth/dev-login", "{}");
  big.body_too_large = true;
  CheckError(Send(big), 413, "PAYLOAD_TOO_LARGE");
  http::Request bad = NewRequest("GET", "/api/health");
  bad.url = "api/health";
  CheckError(Send(bad), 400, "BAD_REQUEST");
}

// --- CSRF ---------------------------------------------------------------------------------------------

TEST_CASE_METHOD(AppFixture, "App: a cookie-authenticated write needs a same-origin Origin", "[app][csrf]") {
  const json body = {{"email", "ana@example.com"}};
  auto without_origin = [&](http::Request r) {
    std::erase_if(r.headers, [](const auto& h) { return h.first == "origin"; });
    return r;
  };

  Answer none = Send(without_origin(NewRequest("POST", "/api/auth/dev-login", JsonText(body))));
  CheckError(none, 403, "FORBIDDEN");
  CHECK(none.body["error"]["message"] == "This request must come from the app itself.");
  CHECK(session.empty());
  CHECK(none.Headers("set-cookie").empty());

  http::Request cross = without_origin(NewRequest("POST", "/api/auth/dev-login", JsonText(body)));
  cross.headers.emplace_back("origin", "https://evil.example");
  CheckError(Send(cross), 403, "FORBIDDEN");
  http::Request lookalike = without_origin(NewRequest("POST", "/api/auth/dev-login", JsonText(body)));
  lookalike.headers.emplace_back("origin", std::string(kOrigin) + ".evil.example");
  CheckError(Send(lookalike), 403, "FORBIDDEN");
  http::Request cross_site = without_origin(NewRequest("POST", "/api/auth/dev-login", JsonText(body)));
  cross_site.headers.emplace_back("sec-fetch-site", "cross-site");
  CheckError(Send(cross_site), 403, "FORBIDDEN");

  auto nobody = native.db->Prepare("SELECT COUNT(*) AS n FROM users").First();
  REQUIRE(nobody.ok());
  CHECK((**nobody).GetInt64("n").value() == 0);  // refused before the handler ran

  CHECK(Send(NewRequest("POST", "/api/auth/dev-login", JsonText(body))).status() == 200);
  http::Request fetch_metadata =
      without_origin(NewRequest("PATCH", "/api/me", JsonText({{"firstName", "A"}})));
  fetch_metadata.headers.emplace_back("sec-fetch-site", "same-origin");
  CHECK(Send(fetch_metadata).status() == 200);
  // A signed-in user's write without Origin is refused too.
  CheckError(Send(without_origin(NewRequest("PATCH", "/api/me", JsonText({{"firstName", "B"}})))), 403,
             "FORBIDDEN");
  CHECK(Get("/api/me").body["user"]["firstName"] == "A");
}

// --- sessions -----------------------------------------------------------------------------------------

TEST_CASE_METHOD(AppFixture, "App: dev-login creates the user and sets a hardened session cookie",
                 "[app][auth]") {
  Answer r = Write("POST", "/api/auth/dev-login", {{"email", "Ana@Example.com"}, {"firstName", "Ana"}});
  INFO(r.response.body);
  REQUIRE(r.status() == 200);
  const json& user = r.body["user"];
  CHECK(user["email"] == "ana@example.com");
  CHECK(user["firstName"] == "Ana");
  CHECK(user["coins"] == 100);  // SIGNUP_BONUS_COINS
  CHECK(user["roles"] == json::array({"USER"}));
  CHECK(user["language"] == "en");

  const auto cookies = r.Headers("set-cookie");
  REQUIRE(cookies.size() == 1);
  const std::string& cookie = cookies[0];
  CHECK(cookie.rfind(std::string(kSessionCookie) + "=", 0) == 0);
  CHECK(cookie.rfind("__Host-", 0) == 0);
  CHECK_FALSE(Contains(cookie, "Domain"));
  CHECK(Contains(cookie, "; HttpOnly"));
  CHECK(Contains(cookie, "; Secure"));
  CHECK(Contains(cookie, "; SameSite=Lax"));
  CHECK(Contains(cookie, "; Path=/;"));
  CHECK(Contains(cookie, "; Max-Age=2592000"));
  CHECK(session.size() == 43);

  // The same email signs in to the same account, without a second bonus.
  const std::string first_session = session;
  json again = DevLogin("ana@example.com");
  CHECK(again["id"] == user["id"]);
  CHECK(again["coins"] == 100);
  CHECK(session != first_session);
}

TEST_CASE_METHOD(AppFixture, "App: dev-login validates its body", "[app][auth]") {
  Answer r =
      Write("POST", "/api/auth/dev-login", {{"email", "not-an-email"}, {"language", "fr"}, {"firstName", 7}});
  CheckError(r, 422, "VALIDATION_FAILED");
  CHECK(r.body["error"]["fields"] == json{{"email", "Not a valid email address."},
                                          {"language", "Unsupported language."},
                                          {"firstName", "Must be text."}});
  CheckError(Write("POST", "/api/auth/dev-login", json::object()), 422, "VALIDATION_FAILED");
  CheckError(Send(NewRequest("POST", "/api/auth/dev-login", "[1]")), 400, "BAD_REQUEST");
  CHECK(session.empty());
}

TEST_CASE("App: dev-login is absent unless DEV_LOGIN is true", "[app][auth]") {
  AppFixture production(testing::Vars{{"DEV_LOGIN", "false"}});
  CheckError(production.Write("POST", "/api/auth/dev-login", {{"email", "ana@example.com"}}), 404,
             "NOT_FOUND");
  AppFixture unset(testing::Vars{});
  CheckError(unset.Write("POST", "/api/auth/dev-login", {{"email", "ana@example.com"}}), 404, "NOT_FOUND");
}

TEST_CASE_METHOD(AppFixture, "App: GET /api/me follows the session cookie", "[app][auth]") {
  CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
  json user = DevLogin("ana@example.com", {{"firstName", "Ana"}, {"lastName", "García"}});
  Answer me = Get("/api/me");
  REQUIRE(me.status() == 200);
  CHECK(me.body["user"] == user);
  CHECK(me.body["user"]["fullName"] == "Ana García");

  // A forged or stale cookie is simply signed out.
  const std::string real = session;
  session = std::string(43, 'A');
  CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
  session = "garbage";
  CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
  session = real;

  // Logout revokes server-side: replaying the old cookie does not work.
  Answer out = Send(NewRequest("POST", "/api/auth/logout"));
  CHECK(out.status() == 204);
  CHECK(out.Header("set-cookie").rfind(std::string(kSessionCookie) + "=;", 0) == 0);
  CHECK(session.empty());
  session = real;
  CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
}

TEST_CASE_METHOD(AppFixture, "App: a session expires after 30 idle days", "[app][auth]") {
  DevLogin("ana@example.com");
  native.clock.Advance(int64_t{30} * 24 * 3600 * 1000 - 1000);
  native.clock.Advance(1000);
  CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
}

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

TEST_CASE("App: a session slides with use but ends at SESSION_MAX_AGE_SECONDS however active",
          "[app][auth][sessions]") {
  testing::Vars vars = testing::DefaultVars();
  vars["SESSION_TTL_SECONDS"] = std::to_string(7 * 24 * 3600);  // idle: 7 days
  AppFixture f(vars);                                           // absolute: the default 30 days
  f.DevLogin("ana@example.com");
  f.native.clock.Advance(2 * 3600 * 1000);
  Answer renewed = f.Get("/api/me");
  REQUIRE(renewed.status() == 200);
  CHECK(Contains(renewed.Header("set-cookie"), "Max-Age=604800"));  // the cookie is refreshed too
  for (int day = 6; day <= 24; day += 6) {
    f.native.clock.Advance(6 * kDayMs);  // never idle for 7 days
    INFO("day " << day);
    REQUIRE(f.Get("/api/me").status() == 200);
  }
  // Day 28: the refreshed cookie's Max-Age stops at the absolute end, not 7 days later.
  f.native.clock.Advance(4 * kDayMs);
  Answer late = f.Get("/api/me");
  REQUIRE(late.status() == 200);
  CHECK(Contains(late.Header("set-cookie"), "Max-Age=" + std::to_string(2 * 24 * 3600 - 2 * 3600)));
  f.native.clock.Advance(2 * kDayMs);  // 30 days after sign-in, used 2 days ago
  CheckError(f.Get("/api/me"), 401, "UNAUTHENTICATED");
  // A new sign-in starts a new lifetime.
  f.DevLogin("ana@example.com");
  CHECK(f.Get("/api/me").status() == 200);
}

TEST_CASE_METHOD(AppFixture, "App: a request carrying two session cookies is answered from neither",
                 "[app][auth][sessions]") {
  DevLogin("ana@example.com");
  const std::string ana = session;
  session.clear();
  DevLogin("eve@example.com");
  const std::string eve = session;
  session.clear();
  for (const std::string& cookies :
       {std::string(kSessionCookie) + "=" + ana + "; " + kSessionCookie + "=" + eve,
        std::string(kSessionCookie) + "=" + eve + "; " + kSessionCookie + "=" + ana,
        std::string(kSessionCookie) + "=" + ana + "; " + kSessionCookie + "=" + ana}) {
    http::Request r = NewRequest("GET", "/api/me");
    r.headers.emplace_back("cookie", cookies);
    CheckError(Send(r), 401, "UNAUTHENTICATED");
  }
  http::Request one = NewRequest("GET", "/api/me");
  one.headers.emplace_back("cookie", "nb_session=" + eve + "; " + kSessionCookie + "=" + ana);
  Answer me = Send(one);
  REQUIRE(me.status() == 200);
  CHECK(me.body["user"]["email"] == "ana@example.com");
}

TEST_CASE_METHOD(AppFixture, "App: logout-everywhere revokes every session of the user, this one included",
                 "[app][auth][sessions]") {
  DevLogin("ana@example.com");
  const std::string laptop = session;
  DevLogin("ana@example.com");
  const std::string phone = session;
  session.clear();
  DevLogin("bob@example.com");
  const std::string bob = session;

  session = laptop;
  Answer out = Send(NewRequest("POST", "/api/auth/logout-everywhere", ""));
  CHECK(out.status() == 204);
  CHECK(out.Header("set-cookie").rfind(std::string(kSessionCookie) + "=;", 0) == 0);
  for (const std::string& dead : {laptop, phone}) {
    session = dead;
    CheckError(Get("/api/me"), 401, "UNAUTHENTICATED");
  }
  session = bob;  // another user's session lives on
  CHECK(Get("/api/me").status() == 200);
  // Signing in again works, and the new session is not killed by the old epoch.
  session.clear();
  DevLogin("ana@example.com");
  CHECK(Get("/api/me").status() == 200);
  // Signed out, it is 401.
  session.clear();
  CheckError(Send(NewRequest("POST", "/api/auth/logout-everywhere", "")), 401, "UNAUTHENTICATED");
}

// --- PATCH /api/me and languages -------------------------------------------------------------------

TEST_CASE_METHOD(AppFixture, "App: PATCH /api/me rejects invalid fields and changes nothing", "[app][me]") {
  DevLogin("ana@example.com", {{"firstName", "Ana"}, {"lastName", "García"}});
  const json before = Get("/api/me").body["user"];
  Answer r = Write("PATCH", "/api/me",
                   {{"firstName", "Anita"}, {"lastName", std::string(101, 'x')}, {"language", "fr"}});
  CheckError(r, 422, "VALIDATION_FAILED");
  CHECK(r.body["error"]["fields"] == json{{"lastName", "Too long."}, {"language", "Unsupported language."}});
  CHECK(Get("/api/me").body["user"] == before);  // the valid firstName was not applied either

  CheckError(Write("PATCH", "/api/me", {{"firstName", json::array({"A"})}}), 422, "VALIDATION_FAILED");
  CheckError(Send(NewRequest("PATCH", "/api/me", "{\"firstName\":")), 400, "BAD_REQUEST");
  http::Request form = NewRequest("PATCH", "/api/me", "firstName=x");
  for (auto& [k, v] : form.headers)
    if (k == "content-type") v = "application/x-www-form-urlencoded";
  CheckError(Send(form), 415, "UNSUPPORTED_MEDIA_TYPE");
  CHECK(Get("/api/me").body["user"] == before);

  // 100 characters (not bytes) is the limit: ñ is two bytes.
  Answer ok = Write("PATCH", "/api/me", {{"firstName", "  " + [] {
                                            std::string s;
                                            for (int i = 0; i < 100; ++i) s += "ñ";
                                            return s;
                                          }() + " "}});
  INFO(ok.response.body);
  CHECK(ok.status() == 200);
  CHECK(ok.body["user"]["lastName"] == "García");
}

TEST_CASE_METHOD(AppFixture, "App: messages follow the user's language over Accept-Language", "[app][me]") {
  http::Request anon = NewRequest("GET", "/api/nope");
  anon.headers.emplace_back("accept-language", "es-MX,es;q=0.9,en;q=0.5");
  CHECK(Send(anon).body["error"]["message"] == "Ese recurso no existe.");

  DevLogin("ana@example.com");
  CHECK(Get("/api/nope").body["error"]["message"] == "No such endpoint.");
  Answer switched = Write("PATCH", "/api/me", {{"language", "es"}});
  REQUIRE(switched.status() == 200);
  CHECK(switched.body["user"]["language"] == "es");

  // Now Spanish, even when the browser asks for English.
  http::Request english = NewRequest("GET", "/api/nope");
  english.headers.emplace_back("accept-language", "en-US,en;q=0.9");
  CHECK(Send(english).body["error"]["message"] == "Ese recurso no existe.");
  Answer invalid = Write("PATCH", "/api/me", {{"language", "de"}});
  CheckError(invalid, 422, "VALIDATION_FAILED");
  CHECK(invalid.body["error"]["message"] == "Algunos campos no son válidos.");
  CHECK(invalid.body["error"]["fields"]["language"] == "Idioma no admitido.");
  CHECK(Send(NewRequest("DELETE", "/api/me")).body["error"]["message"] == "Método no permitido.");
  http::Request too_big = NewRequest("PATCH", "/api/me", "{}");
  too_big.body_too_large = true;
  CHECK(Send(too_big).body["error"]["message"] == "El cuerpo de la solicitud es demasiado grande.");
  // Switching back answers the very response in English.
  Answer back = Write("PATCH", "/api/me", {{"language", "en"}, {"firstName", 5}});
  CHECK(back.body["error"]["fields"]["firstName"] == "Debe ser texto.");  // refused, so still Spanish
  REQUIRE(Write("PATCH", "/api/me", {{"language", "en"}}).status() == 200);
  CHECK(Get("/api/nope").body["error"]["message"] == "No such endpoint.");
}

// --- admin coins and the ledger ----------------------------------------------------------------------

struct CoinsFixture : AppFixture {
  std::string admin_session, user_session, user_id, admin_id;

  CoinsFixture() {
    admin_id = DevLogin("boss@example.com")["id"];
    admin_session = session;
    session.clear();
    user_id = DevLogin("ana@example.com")["id"];
    user_session = session;
    session = admin_session;
  }

  Answer Adjust(const json& body, const std::string& idempotency_key = "") {
    native.clock.Advance(1000);  // distinct timestamps, so "newest first" has one answer
    http::Request r = NewRequest("POST", "/api/admin/users/" + user_id + "/coins", JsonText(body));
    if (!idempotency_key.empty()) r.headers.emplace_back("idempotency-key", idempotency_key);
    return Send(r);
  }

  int64_t Balance() {
    auto row = native.db->Prepare("SELECT coins FROM users WHERE id = ?").Bind(user_id).First();
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return (**row).GetInt64("coins").value();
  }
  int64_t LedgerSum() {
    auto row = native.db->Prepare("SELECT COALESCE(SUM(delta), 0) AS s FROM coin_ledger WHERE user_id = ?")
                   .Bind(user_id)
                   .First();
    REQUIRE(row.ok());
    return (**row).GetInt64("s").value();
  }
  int64_t LedgerRows() {
    auto row =
        native.db->Prepare("SELECT COUNT(*) AS n FROM coin_ledger WHERE user_id = ?").Bind(user_id).First();
    REQUIRE(row.ok());
    return (**row).GetInt64("n").value();
  }
};

TEST_CASE_METHOD(CoinsFixture, "App: ADMIN_EMAILS promotes at sign-in, case-insensitively", "[app][admin]") {
  CHECK(Get("/api/me").body["user"]["roles"] == json::array({"USER", "ADMIN"}));
  session.clear();
  CHECK(DevLogin("other.admin@example.com")["roles"] == json::array({"USER", "ADMIN"}));
  session = user_session;
  CHECK(Get("/api/me").body["user"]["roles"] == json::array({"USER"}));
}

TEST_CASE_METHOD(CoinsFixture, "App: admin grants and takes keep balance == sum of the ledger",
                 "[app][admin]") {
  REQUIRE(Balance() == 100);
  Answer grant = Adjust({{"amount", 50}, {"reason", "welcome back"}});
  INFO(grant.response.body);
  REQUIRE(grant.status() == 200);
  CHECK(grant.body["user"]["coins"] == 150);
  CHECK(grant.body["user"]["id"] == user_id);

  CHECK(Adjust({{"amount", -30}, {"reason", "correction"}}).body["user"]["coins"] == 120);
  CHECK(Adjust({{"amount", 1}, {"reason", "x"}}).body["user"]["coins"] == 121);

  // An overdraft is refused whole: no balance change, no ledger row.
  const int64_t rows = LedgerRows();
  Answer overdraft = Adjust({{"amount", -122}, {"reason", "too much"}});
  CheckError(overdraft, 409, "CONFLICT");
  CHECK(overdraft.body["error"]["message"] == "That would make the balance negative.");
  CHECK(Balance() == 121);
  CHECK(LedgerRows() == rows);

  // Taking everything down to exactly zero is allowed.
  CHECK(Adjust({{"amount", -121}, {"reason", "reset"}}).body["user"]["coins"] == 0);
  CHECK(Balance() == 0);
  CHECK(LedgerSum() == Balance());
  CHECK(LedgerRows() == 5);  // signup bonus + four applied changes

  // The admin's id is recorded on the rows they wrote.
  auto actors = native.db->Prepare("SELECT COUNT(*) AS n FROM coin_ledger WHERE user_id = ? AND actor_id = ?")
                    .Bind(user_id)
                    .Bind(admin_id)
                    .First();
  REQUIRE(actors.ok());
  CHECK((**actors).GetInt64("n").value() == 4);

  // And the user sees the history, newest first.
  session = user_session;
  Answer history = Get("/api/me/transactions?limit=2");
  REQUIRE(history.status() == 200);
  REQUIRE(history.body["items"].size() == 2);
  CHECK(history.body["items"][0]["delta"] == -121);
  CHECK(history.body["items"][0]["balanceAfter"] == 0);
  CHECK(history.body["nextCursor"].is_string());
}

TEST_CASE_METHOD(CoinsFixture, "App: an idempotency key applies a grant once", "[app][admin]") {
  CHECK(Adjust({{"amount", 25}, {"reason", "promo"}}, "grant-1").body["user"]["coins"] == 125);
  CHECK(Adjust({{"amount", 25}, {"reason", "promo"}}, "grant-1").body["user"]["coins"] == 125);
  CheckError(Adjust({{"amount", 26}, {"reason", "promo"}}, "grant-1"), 409, "CONFLICT");
  CheckError(Adjust({{"amount", 1}, {"reason", "x"}}, std::string(129, 'k')), 400, "BAD_REQUEST");
  CHECK(Balance() == 125);
  CHECK(LedgerSum() == Balance());
}

TEST_CASE_METHOD(CoinsFixture, "App: every grant and role change lands in the audit, newest first",
                 "[app][admin][audit]") {
  REQUIRE(Adjust({{"amount", 50}, {"reason", "welcome back"}}).status() == 200);
  REQUIRE(Adjust({{"amount", 50}, {"reason", "welcome back"}}, "g-1").status() == 200);
  REQUIRE(Adjust({{"amount", 50}, {"reason", "welcome back"}}, "g-1").status() == 200);  // a replay: no row
  CheckError(Adjust({{"amount", -1000}, {"reason", "too much"}}), 409, "CONFLICT");      // refused: no row
  native.clock.Advance(1000);
  Answer promoted = Write("PUT", "/api/admin/users/" + user_id + "/roles", {{"roles", {"USER", "ADMIN"}}});
  REQUIRE(promoted.status() == 200);
  native.clock.Advance(1000);
  REQUIRE(Write("PUT", "/api/admin/users/" + user_id + "/roles", {{"roles", {"USER"}}}).status() == 200);

  Answer page = Get("/api/admin/audit?limit=2");
  INFO(page.response.body);
  REQUIRE(page.status() == 200);
  REQUIRE(page.body["items"].size() == 2);
  const json& demotion = page.body["items"][0];
  CHECK(demotion["action"] == "roles.update");
  CHECK(demotion["actorId"] == admin_id);
  CHECK(demotion["targetUserId"] == user_id);
  CHECK(demotion["before"] == json{{"roles", {"USER", "ADMIN"}}});
  CHECK(demotion["after"] == json{{"roles", {"USER"}}});
  CHECK(page.body["items"][1]["after"] == json{{"roles", {"USER", "ADMIN"}}});
  REQUIRE(page.body["nextCursor"].is_string());
  Answer rest = Get("/api/admin/audit?limit=10&cursor=" + page.body["nextCursor"].get<std::string>());
  REQUIRE(rest.status() == 200);
  REQUIRE(rest.body["items"].size() == 2);
  CHECK(rest.body["nextCursor"].is_null());
  const json& grant = rest.body["items"][1];
  CHECK(grant["action"] == "coins.grant");
  CHECK(grant["actorId"] == admin_id);
  CHECK(grant["before"] == json{{"coins", 100}});
  CHECK(grant["after"] == json{{"coins", 150}, {"delta", 50}, {"reason", "admin_grant: welcome back"}});
  CHECK(rest.body["items"][0]["after"]["coins"] == 200);

  // A refused role change (the last admin) leaves no audit row either.
  session = admin_session;
  CheckError(Write("PUT", "/api/admin/users/" + admin_id + "/roles", {{"roles", {"USER"}}}), 409, "CONFLICT");
  CHECK(Get("/api/admin/audit?limit=100").body["items"].size() == 4);
  // Admins only.
  session = user_session;
  CheckError(Get("/api/admin/audit"), 403, "FORBIDDEN");
  CheckError(Get("/api/admin/audit?limit=0"), 403, "FORBIDDEN");
  session = admin_session;
  CheckError(Get("/api/admin/audit?limit=0"), 400, "BAD_REQUEST");
}

TEST_CASE_METHOD(CoinsFixture, "App: a demotion sticks against ADMIN_EMAILS", "[app][admin][audit]") {
  // other.admin@example.com is in ADMIN_EMAILS; an admin demotes them.
  session.clear();
  const std::string other_id = DevLogin("other.admin@example.com")["id"];
  session = admin_session;
  REQUIRE(Write("PUT", "/api/admin/users/" + other_id + "/roles", {{"roles", {"USER"}}}).status() == 200);
  session.clear();
  CHECK(DevLogin("other.admin@example.com")["roles"] == json::array({"USER"}));
  // An admin can still promote them again by hand.
  session = admin_session;
  REQUIRE(Write("PUT", "/api/admin/users/" + other_id + "/roles", {{"roles", {"USER", "ADMIN"}}}).status() ==
          200);
  session.clear();
  CHECK(DevLogin("other.admin@example.com")["roles"] == json::array({"USER", "ADMIN"}));
}

TEST_CASE_METHOD(CoinsFixture, "App: coin changes are validated and admin-only", "[app][admin]") {
  for (const json& body :
       {json{{"amount", 0}, {"reason", "x"}}, json{{"amount", "5"}, {"reason", "x"}},
        json{{"amount", 1.5}, {"reason", "x"}}, json{{"amount", 5}}, json{{"amount", 5}, {"reason", "   "}},
        json{{"amount", 2'000'000'000}, {"reason", "x"}}, json{{"reason", "x"}}}) {
    INFO(JsonText(body));
    CheckError(Adjust(body), 422, "VALIDATION_FAILED");
  }
  Answer zero = Adjust({{"amount", 0}, {"reason", "x"}});
  CHECK(zero.body["error"]["fields"]["amount"] == "Must not be zero.");
  CheckError(Send(NewRequest("POST", "/api/admin/users/usr_nobody/coins",
                             JsonText({{"amount", 5}, {"reason", "x"}}))),
             404, "NOT_FOUND");

  session = user_session;
  CheckError(Adjust({{"amount", 1000}, {"reason", "self-service"}}), 403, "FORBIDDEN");
  session.clear();
  CheckError(Adjust({{"amount", 1000}, {"reason", "anonymous"}}), 401, "UNAUTHENTICATED");
  CHECK(Balance() == 100);
  CHECK(LedgerSum() == Balance());
}

TEST_CASE_METHOD(CoinsFixture, "App: a port failure is 500 with the request id, never the raw error",
                 "[app]") {
  REQUIRE(native.db->Prepare("ALTER TABLE coin_ledger RENAME TO ledger_moved").Run().ok());
  Answer r = Adjust({{"amount", 5}, {"reason", "x"}});
  CheckError(r, 500, "INTERNAL");
  CHECK(r.body["error"]["requestId"] == r.Header("x-request-id"));
  CHECK_FALSE(Contains(r.response.body, "coin_ledger"));
  CHECK_FALSE(Contains(r.response.body, "SQLITE"));
}

// --- rate limits --------------------------------------------------------------------------------------

TEST_CASE("App: sign-in attempts are rate limited per client with Retry-After", "[app][rate]") {
  AppFixture limited(testing::DefaultVars(), /*rate_limit=*/3);
  for (int i = 0; i < 3; ++i) {
    limited.session.clear();
    CHECK(limited.Write("POST", "/api/auth/dev-login", {{"email", "ana@example.com"}}).status() == 200);
  }
  limited.session.clear();
  Answer refused = limited.Write("POST", "/api/auth/dev-login", {{"email", "ana@example.com"}});
  CheckError(refused, 429, "RATE_LIMITED");
  CHECK(refused.Header("retry-after") == "60");
  CHECK(limited.session.empty());  // no session for a refused attempt

  // Another client address has its own budget.
  http::Request other =
      limited.NewRequest("POST", "/api/auth/dev-login", JsonText({{"email", "bob@example.com"}}));
  for (auto& [k, v] : other.headers)
    if (k == "cf-connecting-ip") v = "198.51.100.9";
  CHECK(limited.Send(other).status() == 200);

  // The window passes and the first client may try again.
  limited.native.clock.Advance(60 * 1000);
  limited.session.clear();
  CHECK(limited.Write("POST", "/api/auth/dev-login", {{"email", "ana@example.com"}}).status() == 200);
}

}  // namespace
}  // namespace nb
