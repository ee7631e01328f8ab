// JSON Web Tokens as Google issues them for OpenID Connect: RS256 only. Parsing and claim checks
// are pure; the signature goes through the Crypto port and the key through a KeySource.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ports/crypto.h"
#include "ports/status.h"

namespace nb {

struct Jwt {
  nlohmann::json header;
  nlohmann::json payload;
  std::string signing_input;  // "base64url(header).base64url(payload)"
  std::string signature;      // raw bytes
};

// Three base64url segments, header and payload JSON objects. InvalidArgument otherwise.
Result<Jwt> ParseJwt(const std::string& token);

// Where verification gets the public key for a `kid` (the JWKS cache in the Worker).
class KeySource {
 public:
  virtual ~KeySource() = default;
  virtual Result<RsaPublicJwk> KeyFor(const std::string& kid) = 0;
};

struct IdTokenExpectations {
  std::vector<std::string>
      issuers;           // Google uses both "https://accounts.google.com" and "accounts.google.com"
  std::string audience;  // our OAuth client id
  std::string nonce;     // the one we sent with the authorization request
  int64_t now_seconds = 0;
  int64_t clock_skew_seconds = 60;
};

struct IdTokenClaims {
  std::string subject;  // Google's stable account id
  std::string email;
  bool email_verified = false;
  std::string given_name;
  std::string family_name;
  std::string locale;
};

// Checks, in order: alg RS256 (never "none" or HMAC), kid, signature, iss, aud, exp/iat/nbf with
// skew, nonce, sub, email_verified. PermissionDenied with the failed check's name in the message.
Result<IdTokenClaims> VerifyIdToken(const std::string& token, KeySource& keys, Crypto& crypto,
                                    const IdTokenExpectations& expect);

}  // namespace nb
