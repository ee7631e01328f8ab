// The crypto port (WebCrypto in the Worker, OpenSSL natively). Digests and signatures are raw bytes.
#pragma once

#include <string>

#include "ports/status.h"

namespace nb {

// An RSA public key as a JWK carries it: base64url modulus and exponent.
struct RsaPublicJwk {
  std::string n;
  std::string e;
};

class Crypto {
 public:
  virtual ~Crypto() = default;
  virtual Result<std::string> Sha256(const std::string& data) = 0;
  virtual Result<std::string> HmacSha256(const std::string& key, const std::string& data) = 0;
  // RSASSA-PKCS1-v1_5 with SHA-256 (JWT RS256). false for a bad signature; error for a bad key.
  virtual Result<bool> VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                                   const std::string& signature) = 0;
};

}  // namespace nb
