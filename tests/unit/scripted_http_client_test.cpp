#include "native/scripted_http_client.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb {
namespace {

HttpRequest Request(std::string method, std::string url, std::string body = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  return r;
}

HttpResponse Response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"content-type", "application/json"}};
  r.body = std::move(body);
  return r;
}

TEST_CASE("expected requests are answered in order", "[http]") {
  ScriptedHttpClient http;
  http.Expect("POST", "https://api.example.com/v1/generate", Response(200, R"({"id":"g1"})"));
  http.Expect("GET", "https://api.example.com/v1/status/", Response(202, R"({"state":"running"})"));
  CHECK_FALSE(http.AllConsumed());
  CHECK(http.remaining() == 2);

  HttpRequest post = Request("POST", "https://api.example.com/v1/generate", R"({"prompt":"a cat"})");
  post.headers = {{"authorization", "Bearer secret"}};
  auto first = http.Fetch(post);
  REQUIRE(first.ok());
  CHECK(first->status == 200);
  CHECK(first->body == R"({"id":"g1"})");
  CHECK(first->Header("content-type") == "application/json");

  auto second = http.Fetch(Request("GET", "https://api.example.com/v1/status/g1?verbose=1"));
  REQUIRE(second.ok());
  CHECK(second->status == 202);
  CHECK(http.AllConsumed());

  REQUIRE(http.requests().size() == 2);
  CHECK(http.requests()[0].method == "POST");
  CHECK(http.requests()[0].body == R"({"prompt":"a cat"})");
  CHECK(http.requests()[0].headers.at(0).second == "Bearer secret");
  CHECK(http.requests()[1].url == "https://api.example.com/v1/status/g1?verbose=1");
}

TEST_CASE("ExpectFailure makes the request fail with the given status", "[http]") {
  ScriptedHttpClient http;
  http.ExpectFailure("GET", "https://slow.example.com/", Status::Unavailable("timed out"));
  auto r = http.Fetch(Request("GET", "https://slow.example.com/x"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kUnavailable);
  CHECK(r.status().message() == "timed out");
  CHECK(http.AllConsumed());
  CHECK(http.requests().size() == 1);
}

TEST_CASE("ExpectFailure with an OK status still fails the request", "[http]") {
  ScriptedHttpClient http;
  http.ExpectFailure("GET", "https://x/", Status::Ok());
  auto r = http.Fetch(Request("GET", "https://x/"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInternal);
}

TEST_CASE("an unexpected request is Internal, names itself, and consumes nothing", "[http]") {
  ScriptedHttpClient http;
  http.Expect("POST", "https://api.example.com/v1/generate", Response(200, "{}"));

  SECTION("wrong method") {
    auto r = http.Fetch(Request("GET", "https://api.example.com/v1/generate"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInternal);
    CHECK(r.status().message().find("GET https://api.example.com/v1/generate") != std::string::npos);
  }
  SECTION("URL outside the prefix") {
    auto r = http.Fetch(Request("POST", "https://api.example.com/v2/generate"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInternal);
    CHECK(r.status().message().find("POST https://api.example.com/v2/generate") != std::string::npos);
  }
  SECTION("URL shorter than the prefix") {
    auto r = http.Fetch(Request("POST", "https://api.example.com/"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInternal);
  }
  CHECK_FALSE(http.AllConsumed());
  CHECK(http.remaining() == 1);
  CHECK(http.requests().size() == 1);  // recorded even though it was refused
  // The expectation is still there for the right request.
  auto ok = http.Fetch(Request("POST", "https://api.example.com/v1/generate"));
  REQUIRE(ok.ok());
  CHECK(http.AllConsumed());
}

TEST_CASE("a request after the script is exhausted is Internal", "[http]") {
  ScriptedHttpClient http;
  CHECK(http.AllConsumed());
  auto r = http.Fetch(Request("DELETE", "https://api.example.com/thing/1"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInternal);
  CHECK(r.status().message().find("DELETE https://api.example.com/thing/1") != std::string::npos);
  CHECK(http.requests().size() == 1);
}

TEST_CASE("the same expectation twice is answered twice, then exhausted", "[http]") {
  ScriptedHttpClient http;
  http.Expect("GET", "https://a/", Response(500, "boom"));
  http.Expect("GET", "https://a/", Response(200, "ok"));
  auto first = http.Fetch(Request("GET", "https://a/poll"));
  auto second = http.Fetch(Request("GET", "https://a/poll"));
  auto third = http.Fetch(Request("GET", "https://a/poll"));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->status == 500);  // an HTTP error status is still a successful fetch
  CHECK(second->status == 200);
  CHECK_FALSE(third.ok());
  CHECK(http.requests().size() == 3);
}

}  // namespace
}  // namespace nb
