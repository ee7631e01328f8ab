#pragma once

#include "ports/crypto.h"

namespace nb::wasm {

// WebCrypto through the shim. Two byte inputs travel concatenated in one body with the first's length
// in the head, so nothing is base64-encoded on the way.
class WasmCrypto final : public Crypto {
 public:
  Result<std::string> Sha256(const std::string& data) override;
  Result<std::string> HmacSha256(const std::string& key, const std::string& data) override;
  Result<bool> VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                           const std::string& signature) override;
};

}  // namespace nb::wasm
