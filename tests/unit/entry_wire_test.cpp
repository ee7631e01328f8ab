// The binary heads between the shim and C++ (src/http/entry_wire.h): round trips of odd heads, refusal of
// broken ones, and the golden bytes that tests/integration/entry_wire.test.js checks on the JS side, so
// the two halves agree byte for byte.
#include "http/entry_wire.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

namespace nb::http {
namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// Shared with tests/integration/entry_wire.test.js.
const std::string kGoldenRequest = FromHex(
    "0304000000504f53540b0000002f613f713d25433325413908000000687474703a2f2f6802000000723104000000010000006101"
    "000000"
    "310100000061010000003207000000782d656d7074790000000006000000782d6e616d6502000000c3a9180000007b226669656c"
    "6473223a"
    "5b5d2c2266696c6573223a5b5d7d");
const std::string kGoldenReply = FromHex(
    "ce000000040000000a0000007365742d636f6f6b696503000000613d310a0000007365742d636f6f6b696503000000623d320700"
    "0000782d"
    "656d7074790000000006000000782d6e616d6502000000c3a901010000006b0300000000000014400000000000002440");

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("the golden request head from the shim decodes", "[entry_wire]") {
  Request r;
  REQUIRE(DecodeRequestHead(kGoldenRequest, r));
  CHECK(r.method == "POST");
  CHECK(r.url == "/a?q=%C3%A9");
  CHECK(r.origin == "http://h");
  CHECK(r.request_id == "r1");
  CHECK(r.body_too_large);
  CHECK(r.headers == Pairs{{"a", "1"}, {"a", "2"}, {"x-empty", ""}, {"x-name", "\xc3\xa9"}});
  REQUIRE(r.multipart);
  CHECK_FALSE(r.multipart->malformed);
  CHECK(EncodeRequestHead(r, R"({"fields":[],"files":[]})") == kGoldenRequest);
}

TEST_CASE("the reply head is the golden bytes the shim reads", "[entry_wire]") {
  Response response;
  response.status = 206;
  response.headers = {{"set-cookie", "a=1"}, {"set-cookie", "b=2"}, {"x-empty", ""}, {"x-name", "\xc3\xa9"}};
  response.object_body = ObjectStreamBody{"k", 5, 10};
  CHECK(EncodeReplyHead(response) == kGoldenReply);
}

TEST_CASE("odd request heads round-trip", "[entry_wire]") {
  Request in;
  in.method = "PUT";
  in.url = "/api/images?";
  for (int i = 0; i < 20000; ++i) in.url += "q=%F0%9F%98%80&";
  in.origin = "https://example.com";
  in.request_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  in.headers = {{"cookie", "a=1"},
                {"cookie", "b=2"},
                {"x-empty", ""},
                {"x-latin1", "caf\xc3\xa9 \xc3\xbf"},
                {"x-unicode", "\xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80"},
                {"x-long", std::string(100000, 'v')},
                {"", ""},
                {"x-nul", std::string("a\0b", 3)}};
  const std::string multipart =
      R"({"fields":[["title","\u00dcn\u00efc\u00f6d\u00e9"]],"files":[{"field":"file","name":"e.png","type":"image/png","size":3}]})";
  Request out;
  REQUIRE(DecodeRequestHead(EncodeRequestHead(in, multipart), out));
  CHECK(out.method == in.method);
  CHECK(out.url == in.url);
  CHECK(out.origin == in.origin);
  CHECK(out.request_id == in.request_id);
  CHECK_FALSE(out.body_too_large);
  CHECK(out.headers == in.headers);
  REQUIRE(out.multipart);
  CHECK(out.multipart->fields == Pairs{{"title", "\xc3\x9cn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9"}});
  REQUIRE(out.multipart->files.size() == 1);
  CHECK(out.multipart->files[0].size == 3);

  Request empty;
  REQUIRE(DecodeRequestHead(EncodeRequestHead(Request{}), empty));
  CHECK(empty.method.empty());
  CHECK(empty.headers.empty());
  CHECK_FALSE(empty.multipart);
}

TEST_CASE("odd reply heads round-trip", "[entry_wire]") {
  Response in;
  in.status = 200;
  in.headers = {{"set-cookie", "a=1; Path=/"},
                {"set-cookie", "b=2; Path=/"},
                {"x-empty", ""},
                {"content-disposition", "inline; filename*=UTF-8''%C3%A9.png"},
                {"x-long", std::string(70000, 'h')}};
  Response out;
  REQUIRE(DecodeReplyHead(EncodeReplyHead(in), out));
  CHECK(out.status == 200);
  CHECK(out.headers == in.headers);
  CHECK_FALSE(out.object_body);

  in.object_body = ObjectStreamBody{"images/u/1.png", int64_t{0}, int64_t{1} << 40};
  REQUIRE(DecodeReplyHead(EncodeReplyHead(in), out));
  REQUIRE(out.object_body);
  CHECK(out.object_body->key == "images/u/1.png");
  CHECK(out.object_body->offset == int64_t{0});
  CHECK(out.object_body->length == int64_t{1} << 40);

  in.object_body = ObjectStreamBody{"k", std::nullopt, std::nullopt};
  REQUIRE(DecodeReplyHead(EncodeReplyHead(in), out));
  CHECK_FALSE(out.object_body->offset);
  CHECK_FALSE(out.object_body->length);
}

TEST_CASE("a truncated, overlong or corrupt request head is refused", "[entry_wire]") {
  Request r;
  for (size_t cut : {size_t{0}, size_t{1}, size_t{5}, size_t{30}, kGoldenRequest.size() - 1}) {
    INFO(cut);
    CHECK_FALSE(DecodeRequestHead(std::string_view(kGoldenRequest).substr(0, cut), r));
  }
  CHECK_FALSE(DecodeRequestHead(kGoldenRequest + "x", r));
  // A header count no head could hold is refused before anything is reserved for it.
  Request small;
  small.method = "GET";
  std::string bytes = EncodeRequestHead(small);
  const size_t count_at = bytes.size() - 4;
  bytes.replace(count_at, 4, "\xff\xff\xff\x7f");
  CHECK_FALSE(DecodeRequestHead(bytes, r));
}

}  // namespace
}  // namespace nb::http
