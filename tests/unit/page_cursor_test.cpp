#include "repositories/page_cursor.h"

#include <catch2/catch.hpp>

#include "util/base64.h"

namespace nb {
namespace {

TEST_CASE("Page cursors round-trip", "[cursor]") {
  const PageCursor in{1700000000123, "0123456789abcdef0123456789abcdef"};
  const std::string text = EncodePageCursor(in);
  CHECK(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);  // URL-safe as is
  auto out = DecodePageCursor(text);
  REQUIRE(out.ok());
  CHECK(out->created_at_ms == in.created_at_ms);
  CHECK(out->id == in.id);

  auto zero = DecodePageCursor(EncodePageCursor({0, "a"}));
  REQUIRE(zero.ok());
  CHECK(zero->created_at_ms == 0);
}

TEST_CASE("Malformed cursors are InvalidArgument", "[cursor]") {
  const char* bad_plain[] = {"",
                             ":abc",
                             "12:",
                             "12",
                             "-5:abc",
                             "1x:abc",
                             "12:a b",
                             "12:a:b",
                             "12:é",
                             "99999999999999999:a",
                             "9007199254740992:a"};
  for (const char* plain : bad_plain) {
    INFO(plain);
    CHECK(DecodePageCursor(Base64UrlEncode(plain)).status().code() == Status::Code::kInvalidArgument);
  }
  CHECK(DecodePageCursor("not base64!").status().code() == Status::Code::kInvalidArgument);
  CHECK(DecodePageCursor("").status().code() == Status::Code::kInvalidArgument);
  CHECK(DecodePageCursor(std::string(300, 'A')).status().code() == Status::Code::kInvalidArgument);
  CHECK(DecodePageCursor(Base64UrlEncode("12:" + std::string(65, 'a'))).status().code() ==
        Status::Code::kInvalidArgument);
}

TEST_CASE("CheckPageLimit accepts 1..100", "[cursor]") {
  CHECK(CheckPageLimit(1).ok());
  CHECK(CheckPageLimit(100).ok());
  CHECK(CheckPageLimit(0).code() == Status::Code::kInvalidArgument);
  CHECK(CheckPageLimit(101).code() == Status::Code::kInvalidArgument);
  CHECK(CheckPageLimit(-1).code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace nb
