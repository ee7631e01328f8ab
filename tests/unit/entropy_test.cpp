// FillFromEntropy: the chunking every Random implementation uses over getentropy, and its refusal to
// pass off a failed call's buffer as random (wasm_clock_random.h once ignored the result).
#include "ports/entropy.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace nb {
namespace {

TEST_CASE("FillFromEntropy asks in chunks of at most 256 bytes and fills everything", "[random]") {
  std::vector<size_t> calls;
  std::string out(1000, '\0');
  const bool ok = FillFromEntropy(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                  [&](unsigned char* p, size_t n) {
                                    calls.push_back(n);
                                    for (size_t i = 0; i < n; ++i) p[i] = 0xA5;
                                    return 0;
                                  });
  CHECK(ok);
  CHECK(calls == std::vector<size_t>{256, 256, 256, 232});
  CHECK(out == std::string(1000, '\xA5'));
  CHECK(FillFromEntropy(nullptr, 0, [](unsigned char*, size_t) { return -1; }));  // nothing asked
}

TEST_CASE("FillFromEntropy reports a failed call instead of returning the zeros", "[random]") {
  int calls = 0;
  std::string out(600, '\0');
  const bool ok = FillFromEntropy(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                  [&](unsigned char* p, size_t n) {
                                    if (++calls == 2) return -1;  // EIO from random_get
                                    for (size_t i = 0; i < n; ++i) p[i] = 1;
                                    return 0;
                                  });
  CHECK_FALSE(ok);
  CHECK(calls == 2);  // it stops at the failure
}

}  // namespace
}  // namespace nb
