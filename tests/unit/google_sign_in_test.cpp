#include "auth/google_sign_in.h"

#include <catch2/catch.hpp>
#include <string>

#include "app_fixture.h"
#include "http/request.h"
#include "rsa_test_keys.h"
#include "util/base64.h"
#include "util/hex.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::NativePorts;

constexpr char kCallback[] = "https://app.example.com/api/auth/google/callback";
constexpr char kAuthUrl[] = "https://accounts.google.com/o/oauth2/v2/auth";
constexpr char kTokenUrl[] = "https://oauth2.googleapis.com/token";
constexpr char kJwksUrl[] = "https://www.googleapis.com/oauth2/v3/certs";
constexpr char kKid[] = "google-key-1";

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"content-type", "application/json"}, {"cache-control", "public, max-age=21600"}};
  r.body = JsonText(body);
  return r;
}

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> pairs;
  REQUIRE(http::ParseTarget(url, path, pairs));
  return {pairs.begin(), pairs.end()};
}

struct SignInFixture {
  NativePorts native;
  GoogleEndpoints endpoints{"client-123", "s3cret", kAuthUrl,
                            kTokenUrl,    kJwksUrl, "https://accounts.google.com"};
  GoogleSignIn google{native.ports, endpoints};

  struct Started {
    SignInStart start;
    std::map<std::string, std::string> query;  // of the authorization URL
    json record;                               // what KV holds for the state
  };

  Started Begin(const std::string& after_path = "/gallery") {
    auto start = google.Begin(kCallback, after_path);
    INFO(start.status().ToString());
    REQUIRE(start.ok());
    const auto* write = native.kv.LastWrite("oauth:");
    REQUIRE(write);
    json record = json::parse(write->value, nullptr, false);
    REQUIRE(record.is_object());
    return Started{*start, QueryOf(start->location), record};
  }

  int64_t NowSeconds() { return native.clock.NowMs() / 1000; }

  std::string IdToken(const std::string& nonce) {
    return testing::SignedJwt(testing::Rs256Header(kKid), testing::GoogleClaims(NowSeconds(), nonce));
  }

  // Google's answers for a successful code exchange: the token endpoint, then the JWKS.
  void ScriptGoogle(const std::string& id_token) {
    native.http.Expect(
        "POST", kTokenUrl,
        JsonResponse(200, {{"access_token", "ya29.x"}, {"id_token", id_token}, {"token_type", "Bearer"}}));
    native.http.Expect("GET", kJwksUrl,
                       JsonResponse(200, testing::Jwks({testing::JwkEntry(kKid, testing::SigningKey())})));
  }

  Result<SignInResult> Complete(const Started& s, const std::string& code = "4/code-from-google") {
    return google.Complete(code, s.query.at("state"), s.start.browser_binding, kCallback);
  }
};

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Begin builds Google's authorization URL with PKCE S256",
                 "[google]") {
  Started s = Begin();
  CHECK(s.start.location.rfind(std::string(kAuthUrl) + "?", 0) == 0);
  CHECK(s.query.at("response_type") == "code");
  CHECK(s.query.at("client_id") == "client-123");
  CHECK(s.query.at("redirect_uri") == kCallback);
  CHECK(s.query.at("scope") == "openid email profile");
  CHECK(s.query.at("code_challenge_method") == "S256");
  CHECK(s.query.at("state").size() >= 43);
  CHECK(s.query.at("nonce").size() >= 43);
  CHECK(s.query.at("state") != s.query.at("nonce"));

  // The challenge is base64url(SHA-256(verifier)), with the verifier kept server-side.
  const std::string verifier = s.record.value("verifier", "");
  CHECK(verifier.size() >= 43);
  CHECK(verifier.size() <= 128);
  auto digest = native.crypto.Sha256(verifier);
  REQUIRE(digest.ok());
  CHECK(s.query.at("code_challenge") == Base64UrlEncode(*digest));
  CHECK(s.start.location.find(verifier) == std::string::npos);
  CHECK(s.record.value("nonce", "") == s.query.at("nonce"));
  CHECK(s.record.value("after", "") == "/gallery");
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Begin stores the record under the state's hash with a TTL",
                 "[google]") {
  Started s = Begin();
  const auto* write = native.kv.LastWrite("oauth:");
  REQUIRE(write);
  auto state_digest = native.crypto.Sha256(s.query.at("state"));
  REQUIRE(state_digest.ok());
  CHECK(write->key == "oauth:" + HexEncode(*state_digest));
  CHECK(write->ttl_seconds == kSignInTtlSeconds);
  // The browser binding is stored hashed, so KV alone cannot complete a sign-in.
  auto binding_digest = native.crypto.Sha256(s.start.browser_binding);
  REQUIRE(binding_digest.ok());
  CHECK(s.record.value("binding", "") == HexEncode(*binding_digest));
  CHECK(write->value.find(s.start.browser_binding) == std::string::npos);
  CHECK(write->value.find(s.query.at("state")) == std::string::npos);

  // The record expires with its TTL.
  native.clock.Advance(kSignInTtlSeconds * 1000);
  auto late = Complete(s);
  REQUIRE_FALSE(late.ok());
  CHECK(late.status().code() == Status::Code::kInvalidArgument);
  CHECK(native.http.requests().empty());
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Begin keeps only a same-site after path", "[google]") {
  CHECK(Begin("//evil.example/x").record.value("after", "") == "/");
  CHECK(Begin("https://evil.example").record.value("after", "") == "/");
  CHECK(Begin("/images?type=GENERATED").record.value("after", "") == "/images?type=GENERATED");
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete exchanges the code and verifies the ID token",
                 "[google]") {
  Started s = Begin("/images");
  ScriptGoogle(IdToken(s.query.at("nonce")));
  auto result = Complete(s);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  CHECK(result->claims.subject == "110169484474386276334");
  CHECK(result->claims.email == "ana@example.com");
  CHECK(result->claims.email_verified);
  CHECK(result->after_path == "/images");
  CHECK(native.http.AllConsumed());

  // The code exchange carries the PKCE verifier and our client credentials.
  const HttpRequest& exchange = native.http.requests().at(0);
  CHECK(exchange.method == "POST");
  auto form = QueryOf("/?" + exchange.body);
  CHECK(form.at("grant_type") == "authorization_code");
  CHECK(form.at("code") == "4/code-from-google");
  CHECK(form.at("code_verifier") == s.record.value("verifier", ""));
  CHECK(form.at("redirect_uri") == kCallback);
  CHECK(form.at("client_id") == "client-123");
  CHECK(form.at("client_secret") == "s3cret");
  bool form_type = false;
  for (const auto& [k, v] : exchange.headers)
    form_type = form_type || (k == "content-type" && v == "application/x-www-form-urlencoded");
  CHECK(form_type);
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete accepts the issuer without https://", "[google]") {
  Started s = Begin();
  json claims = testing::GoogleClaims(NowSeconds(), s.query.at("nonce"));
  claims["iss"] = "accounts.google.com";
  ScriptGoogle(testing::SignedJwt(testing::Rs256Header(kKid), claims));
  CHECK(Complete(s).ok());
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete: a replayed state is InvalidArgument", "[google]") {
  Started s = Begin();
  ScriptGoogle(IdToken(s.query.at("nonce")));
  REQUIRE(Complete(s).ok());
  const size_t requests = native.http.requests().size();
  auto replay = Complete(s);
  REQUIRE_FALSE(replay.ok());
  CHECK(replay.status().code() == Status::Code::kInvalidArgument);
  CHECK(native.http.requests().size() == requests);  // Google is not asked again

  auto unknown = google.Complete("code", "made-up-state", s.start.browser_binding, kCallback);
  CHECK(unknown.status().code() == Status::Code::kInvalidArgument);
  CHECK(google.Complete("code", "", s.start.browser_binding, kCallback).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(google.Complete("", s.query.at("state"), s.start.browser_binding, kCallback).status().code() ==
        Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete: another browser's binding is InvalidArgument",
                 "[google]") {
  Started s = Begin();
  Started mine = Begin();
  auto stolen = google.Complete("code", s.query.at("state"), mine.start.browser_binding, kCallback);
  REQUIRE_FALSE(stolen.ok());
  CHECK(stolen.status().code() == Status::Code::kInvalidArgument);
  CHECK(native.http.requests().empty());  // refused before the code is spent at Google
  // The state is burnt: the rightful browser has to start again too.
  CHECK(Complete(s).status().code() == Status::Code::kInvalidArgument);

  auto no_cookie = google.Complete("code", mine.query.at("state"), "", kCallback);
  CHECK(no_cookie.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete: the token endpoint's refusals", "[google]") {
  Started s = Begin();
  SECTION("400 invalid_grant is PermissionDenied") {
    native.http.Expect("POST", kTokenUrl, JsonResponse(400, {{"error", "invalid_grant"}}));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("400 with an unexpected error shape is PermissionDenied") {
    native.http.Expect("POST", kTokenUrl,
                       JsonResponse(400, {{"error", {{"code", 400}, {"message", "bad"}}}}));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("200 without an id_token is PermissionDenied") {
    native.http.Expect("POST", kTokenUrl, JsonResponse(200, {{"access_token", "ya29.x"}}));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("200 with a non-string id_token is PermissionDenied") {
    native.http.Expect("POST", kTokenUrl, JsonResponse(200, {{"id_token", 42}}));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("a non-JSON body is PermissionDenied") {
    HttpResponse r = JsonResponse(200, {});
    r.body = "<html>oops</html>";
    native.http.Expect("POST", kTokenUrl, r);
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("503 is Unavailable") {
    native.http.Expect("POST", kTokenUrl, JsonResponse(503, {{"error", "backend"}}));
    CHECK(Complete(s).status().code() == Status::Code::kUnavailable);
  }
  SECTION("a network failure is Unavailable") {
    native.http.ExpectFailure("POST", kTokenUrl, Status::Unavailable("timeout"));
    CHECK(Complete(s).status().code() == Status::Code::kUnavailable);
  }
  CHECK(native.http.AllConsumed());
}

TEST_CASE_METHOD(SignInFixture, "GoogleSignIn::Complete: an ID token that fails verification", "[google]") {
  Started s = Begin();
  SECTION("wrong nonce is PermissionDenied") {
    ScriptGoogle(IdToken("some-other-nonce"));
    auto r = Complete(s);
    CHECK(r.status().code() == Status::Code::kPermissionDenied);
    CHECK(r.status().message().find("nonce") != std::string::npos);
  }
  SECTION("a token for another client is PermissionDenied") {
    json claims = testing::GoogleClaims(NowSeconds(), s.query.at("nonce"));
    claims["aud"] = "someone-elses-client";
    ScriptGoogle(testing::SignedJwt(testing::Rs256Header(kKid), claims));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("a token signed by an unpublished key is PermissionDenied") {
    ScriptGoogle(testing::SignedJwt(testing::Rs256Header(kKid),
                                    testing::GoogleClaims(NowSeconds(), s.query.at("nonce")),
                                    testing::RotatedKey()));
    CHECK(Complete(s).status().code() == Status::Code::kPermissionDenied);
  }
  SECTION("the JWKS endpoint failing is Unavailable") {
    native.http.Expect("POST", kTokenUrl, JsonResponse(200, {{"id_token", IdToken(s.query.at("nonce"))}}));
    native.http.Expect("GET", kJwksUrl, JsonResponse(500, {}));
    CHECK(Complete(s).status().code() == Status::Code::kUnavailable);
  }
}

}  // namespace
}  // namespace nb
