#include "http/entity_tag.h"

#include <catch2/catch.hpp>

namespace nb::http {
namespace {

const std::string kTag = StrongEtag("abc123");

TEST_CASE("Strong tags are quoted without W/", "[etag]") { CHECK(kTag == "\"abc123\""); }

TEST_CASE("If-None-Match compares weakly over a list", "[etag]") {
  CHECK(IfNoneMatchMatches("\"abc123\"", kTag));
  CHECK(IfNoneMatchMatches("W/\"abc123\"", kTag));
  CHECK(IfNoneMatchMatches("*", kTag));
  CHECK(IfNoneMatchMatches(" * ", kTag));
  CHECK(IfNoneMatchMatches("\"x\", \"abc123\"", kTag));
  CHECK(IfNoneMatchMatches("\"x\",W/\"abc123\"", kTag));
  CHECK(IfNoneMatchMatches(",, \"abc123\" ,", kTag));
}

TEST_CASE("If-None-Match misses and malformed lists never match", "[etag]") {
  CHECK_FALSE(IfNoneMatchMatches("\"abc12\"", kTag));
  CHECK_FALSE(IfNoneMatchMatches("\"abc1234\"", kTag));
  CHECK_FALSE(IfNoneMatchMatches("abc123", kTag));
  CHECK_FALSE(IfNoneMatchMatches("\"abc123", kTag));
  CHECK_FALSE(IfNoneMatchMatches("", kTag));
  CHECK_FALSE(IfNoneMatchMatches("w/\"abc123\"", kTag));
  CHECK_FALSE(IfNoneMatchMatches("junk, \"abc123\"", kTag));
  CHECK_FALSE(IfNoneMatchMatches("**", kTag));
}

TEST_CASE("If-Range needs our exact strong tag", "[etag]") {
  CHECK(IfRangeMatches("\"abc123\"", kTag));
  CHECK(IfRangeMatches(" \"abc123\" ", kTag));
  CHECK_FALSE(IfRangeMatches("W/\"abc123\"", kTag));
  CHECK_FALSE(IfRangeMatches("\"other\"", kTag));
  CHECK_FALSE(IfRangeMatches("Wed, 21 Oct 2015 07:28:00 GMT", kTag));
  CHECK_FALSE(IfRangeMatches("\"abc123\"", ""));
}

}  // namespace
}  // namespace nb::http
