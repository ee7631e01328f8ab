#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/request.h"

namespace nb::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Target {
  bool ok = false;
  std::string path;
  Pairs query;
};

Target Parse(const std::string& url) {
  Target t;
  t.query = {{"stale", "from a previous call"}};
  t.ok = ParseTarget(url, t.path, t.query);
  return t;
}

TEST_CASE("PercentDecode decodes valid escapes in either case", "[request]") {
  CHECK(PercentDecode("a%20b", false) == "a b");
  CHECK(PercentDecode("%41%62%2f%2F", false) == "Ab//");
  CHECK(PercentDecode("%C3%B1", false) == "\xC3\xB1");  // UTF-8 bytes pass through as bytes
  CHECK(PercentDecode("100%25", false) == "100%");
  CHECK(PercentDecode("%00", false) == std::string(1, '\0'));
  CHECK(PercentDecode("", false).empty());
}

TEST_CASE("PercentDecode keeps malformed escapes literally", "[request]") {
  CHECK(PercentDecode("%", false) == "%");
  CHECK(PercentDecode("%4", false) == "%4");
  CHECK(PercentDecode("a%", false) == "a%");
  CHECK(PercentDecode("%zz", false) == "%zz");
  CHECK(PercentDecode("%4g", false) == "%4g");
  CHECK(PercentDecode("%g4", false) == "%g4");
  CHECK(PercentDecode("%%41", false) == "%A");
  CHECK(PercentDecode("%41%", false) == "A%");
  CHECK(PercentDecode("%2", false) == "%2");  // escape cut off at the end
}

TEST_CASE("PercentDecode turns '+' into a space only when asked", "[request]") {
  CHECK(PercentDecode("a+b", true) == "a b");
  CHECK(PercentDecode("a+b", false) == "a+b");
  CHECK(PercentDecode("a%2Bb", true) == "a+b");  // an encoded plus stays a plus
}

TEST_CASE("ParseTarget: absolute URL from the shim", "[request]") {
  auto t = Parse("https://app.example.com/api/images?limit=5&cursor=abc");
  REQUIRE(t.ok);
  CHECK(t.path == "/api/images");
  CHECK(t.query == Pairs{{"limit", "5"}, {"cursor", "abc"}});

  auto with_port = Parse("http://localhost:8787/api/health");
  REQUIRE(with_port.ok);
  CHECK(with_port.path == "/api/health");
  CHECK(with_port.query.empty());  // cleared, not appended to

  auto bare = Parse("https://app.example.com");
  REQUIRE(bare.ok);
  CHECK(bare.path == "/");
  CHECK(bare.query.empty());
}

TEST_CASE("ParseTarget: path-only targets", "[request]") {
  auto t = Parse("/api/me/transactions?limit=10");
  REQUIRE(t.ok);
  CHECK(t.path == "/api/me/transactions");
  CHECK(t.query == Pairs{{"limit", "10"}});

  CHECK(Parse("/").path == "/");
  CHECK_FALSE(Parse("api/me").ok);  // not origin-form
  CHECK_FALSE(Parse("").ok);
  CHECK_FALSE(Parse("?x=1").ok);
}

TEST_CASE("ParseTarget: the path is percent-decoded but '+' stays literal there", "[request]") {
  auto t = Parse("/api/images/a%20b+c");
  REQUIRE(t.ok);
  CHECK(t.path == "/api/images/a b+c");
}

TEST_CASE("ParseTarget: query keys and values are decoded, '+' is a space", "[request]") {
  auto t = Parse("/api/admin/users?query=ana+mar%C3%ADa&x%20y=1%2B1&email=a%40b.com");
  REQUIRE(t.ok);
  CHECK(t.query == Pairs{{"query",
                          "ana mar\xC3\xAD"
                          "a"},
                         {"x y", "1+1"},
                         {"email", "a@b.com"}});
}

TEST_CASE("ParseTarget: empty, valueless, repeated and '='-containing parameters", "[request]") {
  auto t = Parse("/p?a=&b&&c=1=2&a=second&=v");
  REQUIRE(t.ok);
  CHECK(t.query == Pairs{{"a", ""}, {"b", ""}, {"c", "1=2"}, {"a", "second"}, {"", "v"}});

  Request r;
  r.query = t.query;
  CHECK(r.Query("a") == "");  // the first occurrence wins
  CHECK(r.Query("c") == "1=2");
  CHECK_FALSE(r.Query("missing").has_value());

  auto trailing = Parse("/p?");
  REQUIRE(trailing.ok);
  CHECK(trailing.query.empty());
}

TEST_CASE("ParseTarget: malformed percent escapes do not fail the request", "[request]") {
  auto t = Parse("/api/%zz?q=%E&r=%");
  REQUIRE(t.ok);
  CHECK(t.path == "/api/%zz");
  CHECK(t.query == Pairs{{"q", "%E"}, {"r", "%"}});
}

TEST_CASE("ParseTarget: a fragment belongs to neither path nor query", "[request]") {
  auto t = Parse("https://app.example.com/api/images?limit=5#top");
  REQUIRE(t.ok);
  CHECK(t.path == "/api/images");
  CHECK(t.query == Pairs{{"limit", "5"}});

  auto no_query = Parse("/api/images#section");
  REQUIRE(no_query.ok);
  CHECK(no_query.path == "/api/images");
  CHECK(no_query.query.empty());

  // A '?' inside the fragment does not start a query.
  auto question_in_fragment = Parse("/api/images#frag?limit=5");
  REQUIRE(question_in_fragment.ok);
  CHECK(question_in_fragment.path == "/api/images");
  CHECK(question_in_fragment.query.empty());

  auto encoded_hash = Parse("/p?tag=%23one");
  CHECK(encoded_hash.query == Pairs{{"tag", "#one"}});
}

TEST_CASE("Request: headers, query and params accessors", "[request]") {
  Request r;
  r.headers = {{"content-type", "application/json"}, {"cookie", "a=1"}};
  r.params = {{"id", "img_1"}};
  CHECK(r.Header("content-type") == "application/json");
  CHECK_FALSE(r.Header("Content-Type").has_value());  // names are stored lower-case
  CHECK(r.Param("id") == "img_1");
  CHECK(r.Param("other").empty());
}

}  // namespace
}  // namespace nb::http
