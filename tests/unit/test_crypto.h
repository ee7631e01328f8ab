// The Crypto port the unit tests' fixtures use: OpenSSL natively; in the wasm run, where OpenSSL has
// no build, Node's crypto imported by the runner (tests/wasm/node_crypto.h).
#pragma once

#if defined(__wasi__)
#include "node_crypto.h"
namespace nb::testing {
using TestCrypto = NodeCrypto;
}
#else
#include "native/openssl_crypto.h"
namespace nb::testing {
using TestCrypto = OpenSslCrypto;
}
#endif
