#include "auth/jwt.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "native/openssl_crypto.h"
#include "rsa_test_keys.h"
#include "util/base64.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::GoogleClaims;
using testing::PublicJwk;
using testing::Rs256Header;
using testing::SignedJwt;
using testing::SigningKey;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kKid[] = "key-1";
constexpr char kNonce[] = "nonce-abc";

// Keys by kid, or a failure every lookup returns (e.g. the JWKS endpoint is down).
class MapKeySource final : public KeySource {
 public:
  Result<RsaPublicJwk> KeyFor(const std::string& kid) override {
    ++lookups;
    if (!failure.ok()) return failure;
    auto it = keys.find(kid);
    if (it == keys.end()) return Status::NotFound("no key " + kid);
    return it->second;
  }
  std::map<std::string, RsaPublicJwk> keys;
  Status failure;
  int lookups = 0;
};

struct JwtFixture {
  OpenSslCrypto crypto;
  MapKeySource keys;
  IdTokenExpectations expect;

  JwtFixture() {
    keys.keys[kKid] = PublicJwk(SigningKey());
    expect.issuers = {"https://accounts.google.com", "accounts.google.com"};
    expect.audience = "client-123";
    expect.nonce = kNonce;
    expect.now_seconds = kNow;
  }

  Result<IdTokenClaims> Verify(const std::string& token) {
    return VerifyIdToken(token, keys, crypto, expect);
  }
  Result<IdTokenClaims> VerifyClaims(const json& claims) {
    return Verify(SignedJwt(Rs256Header(kKid), claims));
  }
  // The claims of a valid token with `change` applied.
  template <class Change>
  Result<IdTokenClaims> VerifyChanged(Change change) {
    json claims = GoogleClaims(kNow, kNonce);
    change(claims);
    return VerifyClaims(claims);
  }
};

// PermissionDenied whose message names the failed check.
void CheckDenied(const Result<IdTokenClaims>& r, const std::string& check) {
  INFO(r.status().ToString());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kPermissionDenied);
  CHECK(r.status().message().find(check) != std::string::npos);
}

void CheckAccepted(const Result<IdTokenClaims>& r) {
  INFO(r.status().ToString());
  CHECK(r.ok());
}

// --- ParseJwt ---------------------------------------------------------------------------------------

TEST_CASE("ParseJwt splits a token into header, payload, signing input and raw signature", "[jwt]") {
  const std::string token = SignedJwt(Rs256Header(kKid), {{"sub", "1"}});
  auto jwt = ParseJwt(token);
  REQUIRE(jwt.ok());
  CHECK(jwt->header["alg"] == "RS256");
  CHECK(jwt->payload["sub"] == "1");
  CHECK(jwt->signing_input == token.substr(0, token.rfind('.')));
  CHECK(jwt->signature.size() == 256);
}

TEST_CASE("ParseJwt refuses anything but three base64url JSON-object segments", "[jwt]") {
  const std::string h = Base64UrlEncode(R"({"alg":"RS256"})");
  const std::string p = Base64UrlEncode(R"({"sub":"1"})");
  const std::string s = Base64UrlEncode("sig");
  for (const std::string& token :
       {std::string(), std::string("."), std::string(".."), h, h + "." + p, h + "." + p + "." + s + "." + s,
        h + "." + p + "." + s + ".", "*" + h + "." + p + "." + s, h + "." + p + "!." + s,
        h + "." + p + "." + s + "+", Base64UrlEncode("[1,2]") + "." + p + "." + s,
        h + "." + Base64UrlEncode("\"sub\"") + "." + s, h + "." + Base64UrlEncode("{not json") + "." + s,
        h + "." + Base64UrlEncode("null") + "." + s}) {
    INFO(token);
    auto jwt = ParseJwt(token);
    REQUIRE_FALSE(jwt.ok());
    CHECK(jwt.status().code() == Status::Code::kInvalidArgument);
  }
  // An empty signature segment parses (alg "none" tokens look like this); verification refuses it.
  CHECK(ParseJwt(h + "." + p + ".").ok());
}

TEST_CASE("ParseJwt refuses a 20 KB token before decoding it", "[jwt]") {
  json claims = {{"sub", "1"}, {"padding", std::string(20 * 1024, 'x')}};
  const std::string token = SignedJwt(Rs256Header(kKid), claims);
  REQUIRE(token.size() > 20 * 1024);
  auto jwt = ParseJwt(token);
  REQUIRE_FALSE(jwt.ok());
  CHECK(jwt.status().code() == Status::Code::kInvalidArgument);
}

// --- VerifyIdToken: algorithm, key and signature ------------------------------------------------------

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken accepts a valid Google ID token and returns its claims",
                 "[jwt]") {
  auto claims = VerifyClaims(GoogleClaims(kNow, kNonce));
  INFO(claims.status().ToString());
  REQUIRE(claims.ok());
  CHECK(claims->subject == "110169484474386276334");
  CHECK(claims->email == "ana@example.com");
  CHECK(claims->email_verified);
  CHECK(claims->given_name == "Ana");
  CHECK(claims->family_name == "García");
  CHECK(claims->locale == "es-419");
  CHECK(keys.lookups == 1);
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken refuses alg none", "[jwt]") {
  const json header = {{"alg", "none"}, {"kid", kKid}};
  const std::string unsigned_token = testing::SigningInput(header, GoogleClaims(kNow, kNonce)) + ".";
  CheckDenied(Verify(unsigned_token), "alg");
  // Even with a valid RS256 signature attached, the header's alg decides.
  CheckDenied(Verify(SignedJwt(header, GoogleClaims(kNow, kNonce))), "alg");
  CheckDenied(Verify(SignedJwt({{"alg", "None"}, {"kid", kKid}}, GoogleClaims(kNow, kNonce))), "alg");
  CHECK(keys.lookups == 0);  // refused before any key is fetched
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken refuses HS256 signed with the public key (alg confusion)",
                 "[jwt]") {
  const json header = {{"alg", "HS256"}, {"kid", kKid}};
  const std::string input = testing::SigningInput(header, GoogleClaims(kNow, kNonce));
  auto mac = crypto.HmacSha256(keys.keys[kKid].n, input);
  REQUIRE(mac.ok());
  CheckDenied(Verify(input + "." + Base64UrlEncode(*mac)), "alg");
  CHECK(keys.lookups == 0);
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken refuses other algorithms and a missing alg", "[jwt]") {
  for (const char* alg : {"RS512", "RS384", "PS256", "ES256", "rs256", ""}) {
    INFO(alg);
    CheckDenied(Verify(SignedJwt({{"alg", alg}, {"kid", kKid}}, GoogleClaims(kNow, kNonce))), "alg");
  }
  CheckDenied(Verify(SignedJwt({{"kid", kKid}}, GoogleClaims(kNow, kNonce))), "alg");
  CheckDenied(Verify(SignedJwt({{"alg", 256}, {"kid", kKid}}, GoogleClaims(kNow, kNonce))), "alg");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: missing kid, unknown kid, key source down", "[jwt]") {
  CheckDenied(Verify(SignedJwt({{"alg", "RS256"}}, GoogleClaims(kNow, kNonce))), "kid");
  CheckDenied(Verify(SignedJwt({{"alg", "RS256"}, {"kid", 7}}, GoogleClaims(kNow, kNonce))), "kid");
  CheckDenied(Verify(SignedJwt(Rs256Header("someone-elses"), GoogleClaims(kNow, kNonce))), "unknown kid");

  // The JWKS being unreachable is not the token's fault: it propagates, so the caller answers 503.
  keys.failure = Status::Unavailable("JWKS answered HTTP 500");
  auto down = VerifyClaims(GoogleClaims(kNow, kNonce));
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kUnavailable);
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken refuses a bad signature and a tampered payload", "[jwt]") {
  const std::string token = SignedJwt(Rs256Header(kKid), GoogleClaims(kNow, kNonce));
  std::string bad_sig = token;
  bad_sig.back() = bad_sig.back() == 'A' ? 'Q' : 'A';
  CheckDenied(Verify(bad_sig), "signature");

  // Swap in a payload that claims another account, keeping the original signature.
  json other = GoogleClaims(kNow, kNonce);
  other["sub"] = "attacker";
  other["email"] = "admin@example.com";
  const size_t first = token.find('.'), last = token.rfind('.');
  const std::string tampered =
      token.substr(0, first + 1) + Base64UrlEncode(JsonText(other)) + token.substr(last);
  CheckDenied(Verify(tampered), "signature");

  // Signed by a key that is not the one published under this kid.
  CheckDenied(Verify(SignedJwt(Rs256Header(kKid), GoogleClaims(kNow, kNonce), testing::RotatedKey())),
              "signature");
  // No signature at all.
  CheckDenied(Verify(token.substr(0, last + 1)), "signature");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: malformed tokens are denied, not errors", "[jwt]") {
  const std::string token = SignedJwt(Rs256Header(kKid), GoogleClaims(kNow, kNonce));
  const size_t first = token.find('.'), last = token.rfind('.');
  CheckDenied(Verify(token.substr(0, last)), "malformed");                        // 2 segments
  CheckDenied(Verify(token + "." + token.substr(last + 1)), "malformed");         // 4 segments
  CheckDenied(Verify("%%%" + token.substr(first)), "malformed");                  // bad base64
  CheckDenied(Verify(Base64UrlEncode("[]") + token.substr(first)), "malformed");  // header not an object
  CheckDenied(Verify(""), "malformed");
  json big = GoogleClaims(kNow, kNonce);
  big["padding"] = std::string(20 * 1024, 'x');
  CheckDenied(VerifyClaims(big), "malformed");
  CHECK(keys.lookups == 0);
}

// --- VerifyIdToken: claims ----------------------------------------------------------------------------

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken checks the issuer, accepting both Google spellings", "[jwt]") {
  CheckAccepted(VerifyChanged([](json& c) { c["iss"] = "https://accounts.google.com"; }));
  CheckAccepted(VerifyChanged([](json& c) { c["iss"] = "accounts.google.com"; }));
  CheckDenied(VerifyChanged([](json& c) { c["iss"] = "https://accounts.google.com.evil.example"; }),
              "issuer");
  CheckDenied(VerifyChanged([](json& c) { c["iss"] = "http://accounts.google.com"; }), "issuer");
  CheckDenied(VerifyChanged([](json& c) { c.erase("iss"); }), "issuer");
  CheckDenied(VerifyChanged([](json& c) { c["iss"] = json::array({"accounts.google.com"}); }), "issuer");
  expect.issuers = {"https://accounts.google.com"};
  CheckDenied(VerifyChanged([](json& c) { c["iss"] = "accounts.google.com"; }), "issuer");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken checks the audience as a string or an array", "[jwt]") {
  CheckAccepted(VerifyChanged([](json& c) { c["aud"] = "client-123"; }));
  CheckAccepted(VerifyChanged([](json& c) { c["aud"] = json::array({"other", "client-123"}); }));
  CheckDenied(VerifyChanged([](json& c) { c["aud"] = "client-1234"; }), "audience");
  CheckDenied(VerifyChanged([](json& c) { c["aud"] = json::array({"other", "another"}); }), "audience");
  CheckDenied(VerifyChanged([](json& c) { c["aud"] = json::array(); }), "audience");
  CheckDenied(VerifyChanged([](json& c) { c["aud"] = json::array({json::array({"client-123"})}); }),
              "audience");
  CheckDenied(VerifyChanged([](json& c) { c["aud"] = 123; }), "audience");
  CheckDenied(VerifyChanged([](json& c) { c.erase("aud"); }), "audience");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: exp with clock skew", "[jwt]") {
  CheckAccepted(VerifyChanged([](json& c) { c["exp"] = kNow - 30; }));  // within the 60 s skew
  CheckAccepted(VerifyChanged([](json& c) { c["exp"] = kNow - 60; }));
  CheckDenied(VerifyChanged([](json& c) { c["exp"] = kNow - 61; }), "expired");
  CheckDenied(VerifyChanged([](json& c) { c["exp"] = kNow - 86400; }), "expired");
  CheckDenied(VerifyChanged([](json& c) { c.erase("exp"); }), "expired");
  CheckDenied(VerifyChanged([](json& c) { c["exp"] = std::to_string(kNow + 3600); }), "expired");
  expect.clock_skew_seconds = 0;
  CheckDenied(VerifyChanged([](json& c) { c["exp"] = kNow - 1; }), "expired");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: iat in the future and nbf", "[jwt]") {
  CheckAccepted(VerifyChanged([](json& c) { c["iat"] = kNow + 30; }));
  CheckDenied(VerifyChanged([](json& c) { c["iat"] = kNow + 61; }), "future");
  CheckDenied(VerifyChanged([](json& c) { c.erase("iat"); }), "future");
  CheckAccepted(VerifyChanged([](json& c) { c["nbf"] = kNow - 10; }));
  CheckAccepted(VerifyChanged([](json& c) { c["nbf"] = kNow + 60; }));
  CheckDenied(VerifyChanged([](json& c) { c["nbf"] = kNow + 61; }), "not yet valid");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: nonce must match the one sent", "[jwt]") {
  CheckDenied(VerifyChanged([](json& c) { c["nonce"] = "nonce-abd"; }), "nonce");
  CheckDenied(VerifyChanged([](json& c) { c.erase("nonce"); }), "nonce");
  CheckDenied(VerifyChanged([](json& c) { c["nonce"] = json::array({kNonce}); }), "nonce");
  // An empty expected nonce never matches, not even a token without one.
  expect.nonce = "";
  CheckDenied(VerifyChanged([](json& c) { c.erase("nonce"); }), "nonce");
  CheckDenied(VerifyChanged([](json& c) { c["nonce"] = ""; }), "nonce");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: email must be present and verified", "[jwt]") {
  CheckAccepted(VerifyChanged([](json& c) { c["email_verified"] = "true"; }));  // older tokens
  CheckDenied(VerifyChanged([](json& c) { c["email_verified"] = false; }), "email");
  CheckDenied(VerifyChanged([](json& c) { c["email_verified"] = "false"; }), "email");
  CheckDenied(VerifyChanged([](json& c) { c["email_verified"] = 1; }), "email");
  CheckDenied(VerifyChanged([](json& c) { c.erase("email_verified"); }), "email");
  CheckDenied(VerifyChanged([](json& c) { c.erase("email"); }), "email");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: sub is required", "[jwt]") {
  CheckDenied(VerifyChanged([](json& c) { c.erase("sub"); }), "sub");
  CheckDenied(VerifyChanged([](json& c) { c["sub"] = ""; }), "sub");
  CheckDenied(VerifyChanged([](json& c) { c["sub"] = 110169484474386276; }), "sub");
}

TEST_CASE_METHOD(JwtFixture, "VerifyIdToken: optional profile claims may be absent", "[jwt]") {
  auto claims = VerifyChanged([](json& c) {
    c.erase("given_name");
    c.erase("family_name");
    c["locale"] = 5;
  });
  REQUIRE(claims.ok());
  CHECK(claims->given_name.empty());
  CHECK(claims->family_name.empty());
  CHECK(claims->locale.empty());
}

}  // namespace
}  // namespace nb
