#include "native/openssl_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "util/base64.h"

namespace nb {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::string HexOf(Result<std::string> r) {
  REQUIRE(r.ok());
  return Hex(*r);
}

TEST_CASE("Sha256 matches the FIPS 180-2 test vectors", "[crypto]") {
  OpenSslCrypto crypto;
  CHECK(HexOf(crypto.Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexOf(crypto.Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexOf(crypto.Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(HexOf(crypto.Sha256(std::string(1'000'000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  auto raw = crypto.Sha256("abc");
  REQUIRE(raw.ok());
  CHECK(raw->size() == 32);  // raw bytes, not hex
}

TEST_CASE("HmacSha256 matches the RFC 4231 test vectors", "[crypto]") {
  OpenSslCrypto crypto;
  // Test case 1
  CHECK(HexOf(crypto.HmacSha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the output
  CHECK(HexOf(crypto.HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 3
  CHECK(HexOf(crypto.HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Test case 4
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4.push_back(static_cast<char>(i));
  CHECK(HexOf(crypto.HmacSha256(key4, std::string(50, '\xcd'))) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 6: a key longer than the block size is hashed first
  CHECK(HexOf(crypto.HmacSha256(std::string(131, '\xaa'),
                                "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // Test case 7
  CHECK(HexOf(crypto.HmacSha256(
            std::string(131, '\xaa'),
            "This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm.")) ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HmacSha256 accepts an empty key and empty data", "[crypto]") {
  OpenSslCrypto crypto;
  CHECK(HexOf(crypto.HmacSha256("", "")) ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// --- RS256 -----------------------------------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// One 2048-bit key for the whole run: generation is the slow part.
EVP_PKEY* TestKey() {
  static Pkey key(EVP_RSA_gen(2048));
  REQUIRE(key != nullptr);
  return key.get();
}

std::string BigEndianParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key, name, &bn) == 1);
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

RsaPublicJwk JwkOf(EVP_PKEY* key) {
  return RsaPublicJwk{Base64UrlEncode(BigEndianParam(key, OSSL_PKEY_PARAM_RSA_N)),
                      Base64UrlEncode(BigEndianParam(key, OSSL_PKEY_PARAM_RSA_E))};
}

std::string SignRs256(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  REQUIRE(ctx != nullptr);
  size_t length = 0;
  bool ok = EVP_DigestSignInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, key, nullptr) == 1 &&
            EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
  std::string sig(length, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &length,
                            reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  REQUIRE(ok);
  sig.resize(length);
  return sig;
}

bool Verified(Result<bool> r) {
  REQUIRE(r.ok());
  return *r;
}

const std::string kSigningInput = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9";

TEST_CASE("VerifyRs256 accepts a signature made by the matching private key", "[crypto]") {
  OpenSslCrypto crypto;
  const RsaPublicJwk jwk = JwkOf(TestKey());
  CHECK(jwk.e == "AQAB");  // 65537, as every real JWKS publishes it
  const std::string sig = SignRs256(TestKey(), kSigningInput);
  REQUIRE(sig.size() == 256);
  CHECK(Verified(crypto.VerifyRs256(jwk, kSigningInput, sig)));
  // Padded base64url (some JWKS emit it) is the same key.
  auto padded = [](std::string s) { return s.append((4 - s.size() % 4) % 4, '='); };
  REQUIRE(padded(jwk.n) != jwk.n);
  CHECK(Verified(crypto.VerifyRs256(RsaPublicJwk{padded(jwk.n), jwk.e}, kSigningInput, sig)));
}

TEST_CASE("VerifyRs256 returns false for a tampered signature or data", "[crypto]") {
  OpenSslCrypto crypto;
  const RsaPublicJwk jwk = JwkOf(TestKey());
  const std::string sig = SignRs256(TestKey(), kSigningInput);

  std::string flipped_sig = sig;
  flipped_sig[100] ^= 0x01;
  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, kSigningInput, flipped_sig)));

  std::string flipped_data = kSigningInput;
  flipped_data[5] ^= 0x01;
  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, flipped_data, sig)));

  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, kSigningInput, sig.substr(1))));  // wrong length
  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, kSigningInput, "")));
  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, kSigningInput, std::string(256, '\0'))));

  // A signature by a different key.
  Pkey other(EVP_RSA_gen(2048));
  REQUIRE(other != nullptr);
  CHECK_FALSE(Verified(crypto.VerifyRs256(jwk, kSigningInput, SignRs256(other.get(), kSigningInput))));

  // Failures must not poison the next verification.
  CHECK(Verified(crypto.VerifyRs256(jwk, kSigningInput, sig)));
}

TEST_CASE("VerifyRs256 refuses malformed keys with InvalidArgument", "[crypto]") {
  OpenSslCrypto crypto;
  const RsaPublicJwk good = JwkOf(TestKey());
  const std::string sig = SignRs256(TestKey(), kSigningInput);
  auto code = [&](RsaPublicJwk jwk) { return crypto.VerifyRs256(jwk, kSigningInput, sig).status().code(); };

  CHECK(code({"", good.e}) == Status::Code::kInvalidArgument);
  CHECK(code({good.n, ""}) == Status::Code::kInvalidArgument);
  CHECK(code({"not*base64url", good.e}) == Status::Code::kInvalidArgument);
  CHECK(code({good.n, "AQ+B"}) == Status::Code::kInvalidArgument);
  std::string standard_alphabet = good.n;
  standard_alphabet[10] = '+';
  CHECK(code({standard_alphabet, good.e}) == Status::Code::kInvalidArgument);
  CHECK(code({"AQAB", good.e}) == Status::Code::kInvalidArgument);  // 17-bit modulus
  CHECK(code({Base64UrlEncode(std::string(64, '\xff')), good.e}) == Status::Code::kInvalidArgument);  // 512
  CHECK(code({good.n, "AQ"}) == Status::Code::kInvalidArgument);                                      // e = 1
  CHECK(code({good.n, "AQAA"}) == Status::Code::kInvalidArgument);  // e = 65536, even
  CHECK(code({good.n, good.n}) == Status::Code::kInvalidArgument);  // e >= n
}

}  // namespace
}  // namespace nb
