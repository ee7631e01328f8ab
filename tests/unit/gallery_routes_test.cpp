// Issue 13's routes through the whole App pipeline on native ports (SQLite with FTS5, in-memory R2):
// favourites, search input checks, share links (public page, JSON and bytes, revoke), bulk delete,
// the storage quota and the upload rate limit, and /api/me's storage.
#include <catch2/catch.hpp>

#include "app_fixture.h"
#include "imaging_samples.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::Answer;
using testing::AppFixture;
using testing::Vars;

Vars GalleryVars(const std::string& quota = "1073741824") {
  Vars vars = testing::DefaultVars();
  vars["SHARE_LINK_SECRET"] = "unit-test-secret";
  vars["STORAGE_QUOTA_BYTES"] = quota;
  return vars;
}

struct GalleryApp : AppFixture {
  explicit GalleryApp(Vars vars = GalleryVars(), int rate_limit = 1000) : AppFixture(std::move(vars), rate_limit) {}

  Answer Upload(const std::string& bytes, const std::string& title = "") {
    http::Request r = NewRequest("POST", "/api/images");
    r.headers.emplace_back("content-type", "multipart/form-data; boundary=----x");
    http::MultipartForm form;
    if (!title.empty()) form.fields.push_back({"title", title});
    form.files.push_back({"file", "p.png", "image/png", static_cast<int64_t>(bytes.size())});
    r.multipart = form;
    r.body = bytes;
    return Send(r);
  }
  std::string Uploaded(const std::string& title, uint32_t size = 20) {
    Answer a = Upload(samples::Png(size, size), title);
    INFO(a.response.body);
    REQUIRE(a.status() == 201);
    return a.body["image"]["id"];
  }
  Answer Anonymous(const std::string& path) {
    const std::string kept = session;
    session.clear();
    Answer a = Get(path);
    session = kept;
    return a;
  }
};

TEST_CASE_METHOD(GalleryApp, "favourite: PATCH, filter, totals from the counters", "[gallery]") {
  DevLogin("fav@example.com");
  const std::string a = Uploaded("first");
  Uploaded("second");
  Answer starred = Write("PATCH", "/api/images/" + a, {{"favorite", true}});
  REQUIRE(starred.status() == 200);
  CHECK(starred.body["image"]["favorite"] == true);
  CHECK(starred.body["image"]["shareUrl"].is_null());
  Answer favorites = Get("/api/images?favorite=true");
  CHECK(favorites.body["total"] == 1);
  CHECK(favorites.body["items"].size() == 1);
  CHECK(Get("/api/images").body["total"] == 2);
  CHECK(Get("/api/images/stats").body["favorites"] == 1);
  CHECK(Get("/api/images?favorite=maybe").status() == 400);
  CHECK(Write("PATCH", "/api/images/" + a, {{"favorite", 1}}).status() == 422);
}

TEST_CASE_METHOD(GalleryApp, "search: words, accents, hostile and oversized queries", "[gallery][search]") {
  DevLogin("search@example.com");
  const std::string cafe = Uploaded("Café crème");
  Uploaded("Tea");
  Answer found = Get("/api/images?q=CAFE");
  REQUIRE(found.status() == 200);
  REQUIRE(found.body["items"].size() == 1);
  CHECK(found.body["items"][0]["id"] == cafe);
  CHECK(found.body["total"].is_null());
  for (const char* q : {"%22", "*", "-", "NEAR", "%22cafe", "NEAR(a%20b)", "title:x", "%5E"}) {
    INFO(q);
    CHECK(Get(std::string("/api/images?q=") + q).status() == 200);
  }
  Answer tooLong = Get("/api/images?q=" + std::string(10'000, 'a'));
  CHECK(tooLong.status() == 422);
  CHECK(tooLong.body["error"]["fields"].contains("q"));
}

TEST_CASE_METHOD(GalleryApp, "share links: stable, public without owner data, revoked and deleted at once",
                 "[gallery][share]") {
  DevLogin("share@example.com");
  const std::string id = Uploaded("Sunset <b>");
  Answer shared = Write("POST", "/api/images/" + id + "/share", json::object());
  REQUIRE(shared.status() == 200);
  const std::string url = shared.body["shareUrl"];
  REQUIRE(url.size() == 3 + 32);
  CHECK(Write("POST", "/api/images/" + id + "/share", json::object()).body["shareUrl"] == url);
  CHECK(Get("/api/images/" + id).body["image"]["shareUrl"] == url);
  const std::string token = url.substr(3);

  Answer page = Anonymous(url);
  REQUIRE(page.status() == 200);
  CHECK(page.Header("content-type") == "text/html; charset=utf-8");
  CHECK(page.Header("cache-control") == "no-cache");
  CHECK(page.response.body.find("https://app.example.com/api/shared/" + token + "/content") != std::string::npos);
  CHECK(page.response.body.find("Sunset &lt;b&gt;") != std::string::npos);
  CHECK(page.response.body.find("share@example.com") == std::string::npos);
  CHECK(page.response.body.find(id) == std::string::npos);
  CHECK(page.response.body.find("<script") == std::string::npos);
  CHECK(page.response.body.find("style=") == std::string::npos);

  Answer publicJson = Anonymous("/api/shared/" + token);
  REQUIRE(publicJson.status() == 200);
  CHECK(publicJson.body["image"]["title"] == "Sunset <b>");
  CHECK_FALSE(publicJson.body["image"].contains("id"));
  Answer bytes = Anonymous("/api/shared/" + token + "/content");
  REQUIRE(bytes.status() == 200);
  CHECK(bytes.Header("cache-control") == "public, max-age=60");
  REQUIRE(bytes.response.object_body);

  // Wrong lengths and unknown tokens.
  CHECK(Anonymous("/api/shared/" + token.substr(1)).status() == 404);
  CHECK(Anonymous("/s/" + token + "x").status() == 404);
  CHECK(Anonymous("/api/shared/" + std::string(32, 'A')).status() == 404);

  // Another user can neither share nor revoke it.
  const std::string owner = session;
  DevLogin("other@example.com");
  CHECK(Write("POST", "/api/images/" + id + "/share", json::object()).status() == 404);
  CHECK(Send(NewRequest("DELETE", "/api/images/" + id + "/share")).status() == 404);
  session = owner;

  CHECK(Send(NewRequest("DELETE", "/api/images/" + id + "/share")).status() == 204);
  CHECK(Anonymous("/api/shared/" + token).status() == 404);
  CHECK(Anonymous(url).status() == 404);
  const std::string again = Write("POST", "/api/images/" + id + "/share", json::object()).body["shareUrl"];
  CHECK(again != url);
  CHECK(Send(NewRequest("DELETE", "/api/images/" + id)).status() == 204);
  CHECK(Anonymous(again).status() == 404);
}

TEST_CASE_METHOD(GalleryApp, "bulk delete: own, others', duplicates, malformed; idempotent; limits",
                 "[gallery][bulk]") {
  DevLogin("theirs@example.com");
  const std::string theirs = Uploaded("theirs");
  DevLogin("bulk@example.com");
  const std::string a = Uploaded("a");
  const std::string b = Uploaded("b");
  const size_t objects_before = native.objects.size();
  Answer r = Write("POST", "/api/images/bulk-delete", {{"ids", {a, b, a, theirs, "junk"}}});
  REQUIRE(r.status() == 200);
  CHECK(r.body["deleted"] == json({a, b}));
  CHECK(r.body["notFound"] == json({theirs, "junk"}));
  CHECK(native.objects.size() == objects_before - 4);  // two originals, two thumbnails
  CHECK(Write("POST", "/api/images/bulk-delete", {{"ids", {a}}}).body["notFound"] == json({a}));
  CHECK(Get("/api/images/stats").body["total"] == 0);
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back(std::string(32, 'a'));
  CHECK(Write("POST", "/api/images/bulk-delete", {{"ids", many}}).status() == 422);
  CHECK(Write("POST", "/api/images/bulk-delete", {{"ids", json::array()}}).status() == 422);
  CHECK(Write("POST", "/api/images/bulk-delete", {{"ids", "x"}}).status() == 422);
}

TEST_CASE("storage quota: 403 QUOTA_EXCEEDED and nothing stored; /api/me shows used and quota",
          "[gallery][quota]") {
  GalleryApp app(GalleryVars("3000"));
  app.DevLogin("quota@example.com");
  Answer first = app.Upload(samples::Png(20, 20));
  REQUIRE(first.status() == 201);
  json me = app.Get("/api/me").body;
  const int64_t used = me["storage"]["used"];
  CHECK(used > 0);
  CHECK(me["storage"]["quota"] == 3000);
  // Upload until the quota bites; the refused upload leaves nothing behind.
  Answer refused;
  size_t objects = 0;
  for (int i = 0; i < 20; ++i) {
    objects = app.native.objects.size();
    refused = app.Upload(samples::Png(20 + i, 20));
    if (refused.status() != 201) break;
  }
  CHECK(refused.status() == 403);
  CHECK(refused.error_code() == "QUOTA_EXCEEDED");
  CHECK(app.native.objects.size() == objects);
  me = app.Get("/api/me").body;
  CHECK(me["storage"]["used"] <= 3000);
  CHECK(me["storage"]["used"] == app.Get("/api/images/stats").body["bytesStored"]);
}

TEST_CASE("upload rate limit: 429 RATE_LIMITED with Retry-After, per user", "[gallery][rate]") {
  GalleryApp app(GalleryVars(), 3);
  app.DevLogin("rate@example.com");
  for (int i = 0; i < 3; ++i) REQUIRE(app.Upload(samples::Png(10, 10)).status() == 201);
  Answer limited = app.Upload(samples::Png(10, 10));
  CHECK(limited.status() == 429);
  CHECK(limited.error_code() == "RATE_LIMITED");
  CHECK_FALSE(limited.Header("retry-after").empty());
  CHECK(app.Get("/api/images").body["total"] == 3);
}

}  // namespace
}  // namespace nb
