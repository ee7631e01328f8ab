#include "util/base64.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb {
namespace {

TEST_CASE("Base64Encode matches the RFC 4648 test vectors", "[base64]") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("Base64Decode inverts the RFC 4648 test vectors", "[base64]") {
  CHECK(Base64Decode("") == std::string());
  CHECK(Base64Decode("Zg==") == std::string("f"));
  CHECK(Base64Decode("Zm8=") == std::string("fo"));
  CHECK(Base64Decode("Zm9v") == std::string("foo"));
  CHECK(Base64Decode("Zm9vYg==") == std::string("foob"));
  CHECK(Base64Decode("Zm9vYmE=") == std::string("fooba"));
  CHECK(Base64Decode("Zm9vYmFy") == std::string("foobar"));
}

TEST_CASE("the two alphabets differ only in characters 62 and 63", "[base64]") {
  const std::string bytes("\xfb\xff\xbf", 3);  // sextets 62, 63, 62, 63
  CHECK(Base64Encode(bytes) == "+/+/");
  CHECK(Base64UrlEncode(bytes) == "-_-_");
  CHECK(Base64Decode("+/+/") == bytes);
  CHECK(Base64UrlDecode("-_-_") == bytes);
  CHECK_FALSE(Base64Decode("-_-_").has_value());
  CHECK_FALSE(Base64UrlDecode("+/+/").has_value());
}

TEST_CASE("Base64UrlEncode omits padding and Base64UrlDecode accepts it either way", "[base64]") {
  CHECK(Base64UrlEncode("f") == "Zg");
  CHECK(Base64UrlEncode("fo") == "Zm8");
  CHECK(Base64UrlEncode("foo") == "Zm9v");
  CHECK(Base64UrlDecode("Zg") == std::string("f"));
  CHECK(Base64UrlDecode("Zg==") == std::string("f"));
  CHECK(Base64UrlDecode("Zm8") == std::string("fo"));
  CHECK(Base64UrlDecode("Zm8=") == std::string("fo"));
}

TEST_CASE("every byte value round-trips through both encodings", "[base64]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(0, len);
    CHECK(Base64Decode(Base64Encode(bytes)) == bytes);
    CHECK(Base64UrlDecode(Base64UrlEncode(bytes)) == bytes);
  }
  CHECK(Base64Decode(Base64Encode(all)) == all);
  CHECK(Base64UrlDecode(Base64UrlEncode(all)) == all);
}

TEST_CASE("malformed input decodes to nullopt", "[base64]") {
  // Standard base64 requires padding.
  CHECK_FALSE(Base64Decode("Zg").has_value());
  CHECK_FALSE(Base64Decode("Zm8").has_value());
  // A single leftover character can never encode a byte.
  CHECK_FALSE(Base64Decode("Zm9vY===").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm9vY").has_value());
  // Wrong amounts or places of padding.
  CHECK_FALSE(Base64Decode("Zg=").has_value());
  CHECK_FALSE(Base64Decode("Zm8==").has_value());
  CHECK_FALSE(Base64Decode("Zm9v====").has_value());
  CHECK_FALSE(Base64Decode("Zg==Zg==").has_value());
  CHECK_FALSE(Base64Decode("Z=g=").has_value());
  CHECK_FALSE(Base64Decode("====").has_value());
  CHECK_FALSE(Base64UrlDecode("Zg=").has_value());
  // Characters outside the alphabet, including whitespace.
  CHECK_FALSE(Base64Decode("Zm9v\n").has_value());
  CHECK_FALSE(Base64Decode("Zm 9v").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm9v.").has_value());
  CHECK_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).has_value());
  // Non-zero bits after the last byte: "Zh" would otherwise also decode to "f".
  CHECK_FALSE(Base64Decode("Zh==").has_value());
  CHECK_FALSE(Base64UrlDecode("Zh").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm9").has_value());
}

TEST_CASE("a bad character anywhere in a long input is refused", "[base64]") {
  std::string bytes;
  for (int i = 0; i < 3000; ++i) bytes.push_back(static_cast<char>(i * 7));
  const std::string text = Base64Encode(bytes);
  REQUIRE(Base64Decode(text) == bytes);
  for (size_t at : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, text.size() / 2, text.size() - 3}) {
    for (char bad : {'*', '-', '_', '\0', '\xff', ' '}) {
      std::string broken = text;
      broken[at] = bad;
      CHECK_FALSE(Base64Decode(broken).has_value());
    }
  }
}

TEST_CASE("encoded lengths follow the padding rules for every remainder", "[base64]") {
  for (size_t n = 0; n < 12; ++n) {
    const std::string bytes(n, '\x5a');
    CHECK(Base64Encode(bytes).size() == (n + 2) / 3 * 4);
    CHECK(Base64UrlEncode(bytes).size() == n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1));
    CHECK(Base64Decode(Base64Encode(bytes)) == bytes);
    CHECK(Base64UrlDecode(Base64UrlEncode(bytes)) == bytes);
  }
}

}  // namespace
}  // namespace nb
