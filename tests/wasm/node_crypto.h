// The Crypto port for the unit tests' wasm run: Node's crypto, imported from the runner
// (tests/wasm/run_unit_tests.mjs, module "nb_test_crypto"), the way the Worker's crypto is the host's
// WebCrypto through imports. Natively the tests use OpenSslCrypto; OpenSSL has no wasm build here.
// VerifyRs256 refuses the keys OpenSslCrypto refuses (not base64url, modulus outside
// kMinRsaBits..kMaxRsaBits, exponent even, 1 or not below the modulus).
#pragma once

#include "ports/crypto.h"

namespace nb::testing {

class NodeCrypto final : public Crypto {
 public:
  static constexpr int kMinRsaBits = 1024;
  static constexpr int kMaxRsaBits = 16384;

  Result<std::string> Sha256(const std::string& data) override;
  Result<std::string> HmacSha256(const std::string& key, const std::string& data) override;
  Result<bool> VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                           const std::string& signature) override;
};

}  // namespace nb::testing
