#include "http/router.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb::http {
namespace {

// Handlers are plain strings here, so a test can tell which route matched.
using TestRouter = Router<std::string>;

std::string Matched(const TestRouter& router, const std::string& method, const std::string& path) {
  auto m = router.Find(method, path);
  return m.handler ? *m.handler : "<none>";
}

TestRouter ImageRoutes() {
  TestRouter r;
  r.Add("GET", "/api/images", "list");
  r.Add("POST", "/api/images", "upload");
  r.Add("GET", "/api/images/stats", "stats");
  r.Add("GET", "/api/images/:id", "get");
  r.Add("PATCH", "/api/images/:id", "patch");
  r.Add("DELETE", "/api/images/:id", "delete");
  r.Add("GET", "/api/images/:id/content", "content");
  return r;
}

TEST_CASE("router: a static segment and a :param both match, the first registered wins", "[router]") {
  TestRouter r = ImageRoutes();
  auto stats = r.Find("GET", "/api/images/stats");
  REQUIRE(stats.handler);
  CHECK(*stats.handler == "stats");
  CHECK(stats.params.empty());

  auto one = r.Find("GET", "/api/images/img_123");
  REQUIRE(one.handler);
  CHECK(*one.handler == "get");
  CHECK(one.params == std::map<std::string, std::string>{{"id", "img_123"}});

  auto content = r.Find("GET", "/api/images/img_9/content");
  REQUIRE(content.handler);
  CHECK(*content.handler == "content");
  CHECK(content.params.at("id") == "img_9");

  // Registered the other way round, the :param route shadows the static one.
  TestRouter reversed;
  reversed.Add("GET", "/api/images/:id", "get");
  reversed.Add("GET", "/api/images/stats", "stats");
  CHECK(Matched(reversed, "GET", "/api/images/stats") == "get");
}

TEST_CASE("router: several params in one pattern", "[router]") {
  TestRouter r;
  r.Add("GET", "/api/users/:user/images/:image", "nested");
  auto m = r.Find("GET", "/api/users/u1/images/i2");
  REQUIRE(m.handler);
  CHECK(m.params == std::map<std::string, std::string>{{"user", "u1"}, {"image", "i2"}});
}

TEST_CASE("router: unknown paths and segment counts do not match", "[router]") {
  TestRouter r = ImageRoutes();
  auto none = r.Find("GET", "/api/nope");
  CHECK(none.handler == nullptr);
  CHECK(none.allowed.empty());
  CHECK(Matched(r, "GET", "/api") == "<none>");
  CHECK(Matched(r, "GET", "/api/images/a/b") == "<none>");
  CHECK(Matched(r, "GET", "/api/images/a/contents") == "<none>");
  CHECK(Matched(r, "GET", "/API/images") == "<none>");  // paths are case-sensitive
  // Empty segments collapse, so a :param is never filled with "": "/api/images//content" is
  // "/api/images/content", the image with id "content", not the content of an image with no id.
  auto collapsed = r.Find("GET", "/api/images//content");
  REQUIRE(collapsed.handler);
  CHECK(*collapsed.handler == "get");
  CHECK(collapsed.params.at("id") == "content");
}

TEST_CASE("router: a path known under other methods lists them for 405, in registration order", "[router]") {
  TestRouter r = ImageRoutes();
  auto m = r.Find("POST", "/api/images/img_1");
  CHECK(m.handler == nullptr);
  CHECK(m.allowed == std::vector<std::string>{"GET", "PATCH", "DELETE"});

  auto put = r.Find("PUT", "/api/images");
  CHECK(put.handler == nullptr);
  CHECK(put.allowed == std::vector<std::string>{"GET", "POST"});

  // The same method registered twice for overlapping patterns is listed once.
  auto stats = r.Find("DELETE", "/api/images/stats");
  REQUIRE(stats.handler);  // DELETE /api/images/:id matches "stats" as an id
  CHECK(*stats.handler == "delete");
  CHECK(stats.allowed == std::vector<std::string>{"GET", "PATCH", "DELETE"});
}

TEST_CASE("router: HEAD is answered by the GET route, GET is not answered by HEAD", "[router]") {
  TestRouter r = ImageRoutes();
  auto head = r.Find("HEAD", "/api/images/img_1/content");
  REQUIRE(head.handler);
  CHECK(*head.handler == "content");
  CHECK(head.params.at("id") == "img_1");
  CHECK(Matched(r, "HEAD", "/api/images") == "list");

  TestRouter head_only;
  head_only.Add("HEAD", "/ping", "ping");
  auto get = head_only.Find("GET", "/ping");
  CHECK(get.handler == nullptr);
  CHECK(get.allowed == std::vector<std::string>{"HEAD"});
  // A HEAD request to a POST-only path is 405, not the POST handler.
  TestRouter post_only;
  post_only.Add("POST", "/api/auth/logout", "logout");
  auto head_on_post = post_only.Find("HEAD", "/api/auth/logout");
  CHECK(head_on_post.handler == nullptr);
  CHECK(head_on_post.allowed == std::vector<std::string>{"POST"});
}

TEST_CASE("router: a trailing slash or doubled slash finds the same route", "[router]") {
  TestRouter r = ImageRoutes();
  CHECK(Matched(r, "GET", "/api/images/") == "list");
  CHECK(Matched(r, "GET", "/api/images/img_1/content/") == "content");
  CHECK(Matched(r, "GET", "/api//images") == "list");
  CHECK(r.Find("GET", "/api/images/img_1/").params.at("id") == "img_1");

  TestRouter root;
  root.Add("GET", "/", "root");
  CHECK(Matched(root, "GET", "/") == "root");
  CHECK(Matched(root, "GET", "") == "root");
  CHECK(Matched(root, "GET", "/x") == "<none>");
}

TEST_CASE("router: params are per match and do not leak from routes that failed later", "[router]") {
  TestRouter r;
  r.Add("GET", "/a/:x/b", "first");
  r.Add("GET", "/a/:y/c", "second");
  auto m = r.Find("GET", "/a/1/c");
  REQUIRE(m.handler);
  CHECK(*m.handler == "second");
  CHECK(m.params == std::map<std::string, std::string>{{"y", "1"}});
}

}  // namespace
}  // namespace nb::http
