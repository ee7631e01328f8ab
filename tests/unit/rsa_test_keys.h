// RS256 signing for tests: real 2048-bit keys, generated once per test binary (generation is the
// slow part), and helpers that build Google-shaped ID tokens and JWKS documents from them.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ports/crypto.h"
#include "util/base64.h"
#include "util/json_text.h"

namespace nb::testing {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

// The key tokens are normally signed with; inline so every test file shares the one instance.
inline EVP_PKEY* SigningKey() {
  static std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
  REQUIRE(key != nullptr);
  return key.get();
}

// A second key, for rotation and wrong-key cases.
inline EVP_PKEY* RotatedKey() {
  static std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
  REQUIRE(key != nullptr);
  return key.get();
}

inline std::string BigEndianParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

inline RsaPublicJwk PublicJwk(EVP_PKEY* key) {
  return RsaPublicJwk{Base64UrlEncode(BigEndianParam(key, OSSL_PKEY_PARAM_RSA_N)),
                      Base64UrlEncode(BigEndianParam(key, OSSL_PKEY_PARAM_RSA_E))};
}

inline std::string SignRs256(EVP_PKEY* key, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  REQUIRE(ctx != nullptr);
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t length = 0;
  REQUIRE(EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr) == 1);
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &length, in, data.size()) == 1);
  std::string sig(length, '\0');
  REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &length, in, data.size()) ==
          1);
  sig.resize(length);
  return sig;
}

// "header.payload" from JSON, unsigned.
inline std::string SigningInput(const nlohmann::json& header, const nlohmann::json& payload) {
  return Base64UrlEncode(JsonText(header)) + "." + Base64UrlEncode(JsonText(payload));
}

inline std::string SignedJwt(const nlohmann::json& header, const nlohmann::json& payload,
                             EVP_PKEY* key = SigningKey()) {
  const std::string input = SigningInput(header, payload);
  return input + "." + Base64UrlEncode(SignRs256(key, input));
}

inline nlohmann::json Rs256Header(const std::string& kid) {
  return {{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}};
}

// One JWKS entry as Google publishes it.
inline nlohmann::json JwkEntry(const std::string& kid, EVP_PKEY* key) {
  const RsaPublicJwk jwk = PublicJwk(key);
  return {{"kty", "RSA"}, {"alg", "RS256"}, {"use", "sig"}, {"kid", kid}, {"n", jwk.n}, {"e", jwk.e}};
}

inline nlohmann::json Jwks(std::vector<nlohmann::json> entries) {
  return {{"keys", nlohmann::json(std::move(entries))}};
}

// The claims of a valid Google ID token for client "client-123" issued at now_seconds.
inline nlohmann::json GoogleClaims(int64_t now_seconds, const std::string& nonce) {
  return {{"iss", "https://accounts.google.com"},
          {"azp", "client-123"},
          {"aud", "client-123"},
          {"sub", "110169484474386276334"},
          {"email", "ana@example.com"},
          {"email_verified", true},
          {"nonce", nonce},
          {"given_name", "Ana"},
          {"family_name", "García"},
          {"locale", "es-419"},
          {"iat", now_seconds},
          {"exp", now_seconds + 3600}};
}

}  // namespace nb::testing
