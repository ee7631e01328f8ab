#include "openssl_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>

#include "native/base64url.h"

namespace nb {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BigNum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

// OpenSSL reports failures on a thread-local queue; drain it into the message so it cannot leak
// into a later, unrelated call.
std::string DrainErrors(const std::string& what) {
  std::string msg = what;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg += "; ";
    msg += buf;
  }
  return msg;
}

const unsigned char* Bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Result<Pkey> RsaPublicKeyFromJwk(const RsaPublicJwk& jwk) {
  const auto n_bytes = native::Base64UrlDecode(jwk.n);
  const auto e_bytes = native::Base64UrlDecode(jwk.e);
  if (!n_bytes || n_bytes->empty()) return Status::InvalidArgument("JWK modulus n is not base64url");
  if (!e_bytes || e_bytes->empty()) return Status::InvalidArgument("JWK exponent e is not base64url");
  BigNum n(BN_bin2bn(Bytes(*n_bytes), static_cast<int>(n_bytes->size()), nullptr));
  BigNum e(BN_bin2bn(Bytes(*e_bytes), static_cast<int>(e_bytes->size()), nullptr));
  if (!n || !e) return Status::Internal(DrainErrors("BN_bin2bn failed"));
  const int bits = BN_num_bits(n.get());
  if (bits < OpenSslCrypto::kMinRsaBits || bits > OpenSslCrypto::kMaxRsaBits) {
    return Status::InvalidArgument("RSA modulus of " + std::to_string(bits) + " bits is out of range");
  }
  if (!BN_is_odd(e.get()) || BN_is_one(e.get()) || BN_cmp(e.get(), n.get()) >= 0) {
    return Status::InvalidArgument("RSA exponent must be odd, above 1 and below the modulus");
  }
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return Status::Internal(DrainErrors("building RSA parameters failed"));
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return Status::Internal(DrainErrors("preparing RSA key import failed"));
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || raw == nullptr) {
    return Status::InvalidArgument(DrainErrors("RSA public key rejected"));
  }
  return Pkey(raw);
}

}  // namespace

Result<std::string> OpenSslCrypto::Sha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return Status::Internal(DrainErrors("SHA-256 failed"));
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

Result<std::string> OpenSslCrypto::HmacSha256(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t length = 0;
  // A non-null pointer even for an empty key: HMAC with a zero-length key is well defined.
  static const unsigned char kEmpty = 0;
  const unsigned char* key_ptr = key.empty() ? &kEmpty : Bytes(key);
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_ptr, key.size(), Bytes(data), data.size(),
                mac, sizeof mac, &length) == nullptr) {
    return Status::Internal(DrainErrors("HMAC-SHA256 failed"));
  }
  return std::string(reinterpret_cast<const char*>(mac), length);
}

Result<bool> OpenSslCrypto::VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                                        const std::string& signature) {
  NB_ASSIGN_OR_RETURN(Pkey pkey, RsaPublicKeyFromJwk(key));
  // PKCS#1 v1.5 signatures are exactly the modulus length; anything else cannot verify.
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(pkey.get()))) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, pkey.get(), nullptr) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return Status::Internal(DrainErrors("RS256 verifier setup failed"));
  }
  const int rc = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data), data.size());
  ERR_clear_error();  // a failed verification leaves errors queued; it is an answer, not a fault
  return rc == 1;
}

}  // namespace nb
