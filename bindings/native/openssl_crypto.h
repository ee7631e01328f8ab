// The crypto port on OpenSSL 3 (WebCrypto in the Worker): SHA-256, HMAC-SHA256, RS256 verification.
#pragma once

#include "ports/crypto.h"

namespace nb {

class OpenSslCrypto final : public Crypto {
 public:
  static constexpr int kMinRsaBits = 1024;
  static constexpr int kMaxRsaBits = 16384;

  Result<std::string> Sha256(const std::string& data) override;
  Result<std::string> HmacSha256(const std::string& key, const std::string& data) override;
  // The key is refused (kInvalidArgument) if n or e is not base64url, n is outside
  // kMinRsaBits..kMaxRsaBits, or e is not an odd number above 1.
  Result<bool> VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                           const std::string& signature) override;
};

}  // namespace nb
