#include "node_crypto.h"

#include <cstddef>
#include <cstdint>

// The runner's imports. Digests are written to `out` (32 bytes); verify_rs256 answers 1 (valid),
// 0 (bad signature) or -1 (key refused).
#define NB_TEST_CRYPTO_IMPORT(name) __attribute__((import_module("nb_test_crypto"), import_name(name)))

extern "C" {
NB_TEST_CRYPTO_IMPORT("sha256")
void nb_test_sha256(const char* data, size_t size, char* out);
NB_TEST_CRYPTO_IMPORT("hmac_sha256")
void nb_test_hmac_sha256(const char* key, size_t key_size, const char* data, size_t size, char* out);
NB_TEST_CRYPTO_IMPORT("verify_rs256")
int32_t nb_test_verify_rs256(const char* n, size_t n_size, const char* e, size_t e_size, const char* data,
                             size_t size, const char* signature, size_t signature_size, int32_t min_bits,
                             int32_t max_bits);
}

namespace nb::testing {

Result<std::string> NodeCrypto::Sha256(const std::string& data) {
  std::string digest(32, '\0');
  nb_test_sha256(data.data(), data.size(), digest.data());
  return digest;
}

Result<std::string> NodeCrypto::HmacSha256(const std::string& key, const std::string& data) {
  std::string mac(32, '\0');
  nb_test_hmac_sha256(key.data(), key.size(), data.data(), data.size(), mac.data());
  return mac;
}

Result<bool> NodeCrypto::VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                                     const std::string& signature) {
  const int32_t verdict =
      nb_test_verify_rs256(key.n.data(), key.n.size(), key.e.data(), key.e.size(), data.data(), data.size(),
                           signature.data(), signature.size(), kMinRsaBits, kMaxRsaBits);
  if (verdict < 0) return Status::InvalidArgument("RSA public key rejected");
  return verdict == 1;
}

}  // namespace nb::testing
