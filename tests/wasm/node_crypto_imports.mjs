// The "nb_test_crypto" imports of the unit tests' wasm module (tests/wasm/node_crypto.cpp): the Crypto
// port on Node's crypto, synchronous, over the instance's memory. memoryOf() is called at each import
// call, after the instance exists and after any memory.grow.
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';

export function nodeCryptoImports(memoryOf) {
  const bytes = (pointer, size) => Buffer.from(memoryOf().buffer, pointer >>> 0, size >>> 0);
  const text = (pointer, size) => bytes(pointer, size).toString('latin1');
  return {
    sha256(data, size, out) {
      createHash('sha256').update(bytes(data, size)).digest().copy(bytes(out, 32));
    },
    hmac_sha256(key, keySize, data, size, out) {
      createHmac('sha256', bytes(key, keySize)).update(bytes(data, size)).digest().copy(bytes(out, 32));
    },
    // 1 valid, 0 bad signature, -1 key refused: the keys OpenSslCrypto refuses (see its header).
    verify_rs256(n, nSize, e, eSize, data, size, signature, signatureSize, minBits, maxBits) {
      const jwk = { kty: 'RSA', n: text(n, nSize), e: text(e, eSize) };
      const base64url = /^[A-Za-z0-9_-]+$/;
      if (!base64url.test(jwk.n) || !base64url.test(jwk.e)) return -1;
      const modulus = BigInt(`0x${Buffer.from(jwk.n, 'base64url').toString('hex') || '0'}`);
      const exponent = BigInt(`0x${Buffer.from(jwk.e, 'base64url').toString('hex') || '0'}`);
      const bits = modulus.toString(2).length;
      if (modulus === 0n || bits < minBits || bits > maxBits) return -1;
      if (exponent <= 1n || exponent % 2n === 0n || exponent >= modulus) return -1;
      let key;
      try {
        key = createPublicKey({ key: jwk, format: 'jwk' });
      } catch {
        return -1;
      }
      // A signature is exactly as long as the modulus in bytes, as OpenSSL requires.
      if ((signatureSize >>> 0) !== Math.ceil(bits / 8)) return 0;
      return verify('sha256', bytes(data, size), key, bytes(signature, signatureSize)) ? 1 : 0;
    },
  };
}
