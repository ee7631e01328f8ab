// The /api/images routes through the whole App pipeline on native ports.
#include <catch2/catch.hpp>

#include "app_fixture.h"
#include "imaging_samples.h"
#include "util/hex.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::Answer;
using testing::AppFixture;

struct Gallery : AppFixture {
  // What the shim sends for a multipart body with one file in `field`.
  http::Request UploadRequest(const std::string& bytes, const std::string& filename = "cat.png",
                              const std::vector<std::pair<std::string, std::string>>& fields = {},
                              const std::string& field = "file") {
    http::Request r = NewRequest("POST", "/api/images");
    r.headers.emplace_back("content-type", "multipart/form-data; boundary=----x");
    http::MultipartForm form;
    form.fields = fields;
    form.files.push_back({field, filename, "image/png", static_cast<int64_t>(bytes.size())});
    r.multipart = form;
    r.body = bytes;
    return r;
  }
  Answer Upload(const std::string& bytes, const std::string& filename = "cat.png",
                const std::vector<std::pair<std::string, std::string>>& fields = {}) {
    return Send(UploadRequest(bytes, filename, fields));
  }
  json Uploaded(const std::string& bytes, const std::string& filename = "cat.png") {
    Answer a = Upload(bytes, filename);
    INFO(a.response.body);
    REQUIRE(a.status() == 201);
    return a.body["image"];
  }
  Answer GetWith(const std::string& path, const std::vector<std::pair<std::string, std::string>>& headers) {
    http::Request r = NewRequest("GET", path);
    for (const auto& h : headers) r.headers.push_back(h);
    return Send(r);
  }
  std::string Sha(const std::string& bytes) { return HexEncode(*native.crypto.Sha256(bytes)); }
  json Stats() {
    Answer a = Get("/api/images/stats");
    REQUIRE(a.status() == 200);
    return a.body;
  }
};

TEST_CASE_METHOD(Gallery, "Upload, list, get, rename and delete", "[images]") {
  DevLogin("ana@example.com");
  const std::string png = samples::Png(1000, 500);
  Answer created = Upload(png, "Holiday Photo.png", {{"title", " Beach "}, {"description", "Sunny\nday"}});
  INFO(created.response.body);
  REQUIRE(created.status() == 201);
  const json image = created.body["image"];
  const std::string id = image["id"];
  CHECK(created.Header("location") == "/api/images/" + id);
  CHECK(image["type"] == "UPLOADED");
  CHECK(image["status"] == "COMPLETED");
  CHECK(image["title"] == "Beach");
  CHECK(image["description"] == "Sunny\nday");
  CHECK(image["width"] == 1000);
  CHECK(image["height"] == 500);
  CHECK(image["format"] == "png");
  CHECK(image["size"] == png.size());
  CHECK(image["url"] == "/api/images/" + id + "/content");
  CHECK(image["thumbnailUrl"] == "/api/images/" + id + "/thumbnail");

  Answer list = Get("/api/images");
  REQUIRE(list.status() == 200);
  CHECK(list.body["total"] == 1);
  CHECK(list.body["nextCursor"].is_null());
  REQUIRE(list.body["items"].size() == 1);
  CHECK(list.body["items"][0]["id"] == id);
  CHECK(Get("/api/images?type=UPLOADED&status=COMPLETED").body["total"] == 1);
  CHECK(Get("/api/images?type=GENERATED").body["total"] == 0);
  CHECK(Get("/api/images?type=&status=").body["total"] == 1);

  json stats = Stats();
  CHECK(stats["total"] == 1);
  CHECK(stats["byType"]["UPLOADED"] == 1);
  CHECK(stats["byStatus"]["COMPLETED"] == 1);
  CHECK(stats["bytesStored"].get<int64_t>() > static_cast<int64_t>(png.size()));

  CHECK(Get("/api/images/" + id).body["image"]["id"] == id);
  Answer renamed = Write("PATCH", "/api/images/" + id, {{"title", "Sea"}, {"description", nullptr}});
  REQUIRE(renamed.status() == 200);
  CHECK(renamed.body["image"]["title"] == "Sea");
  CHECK(renamed.body["image"]["description"] == "Sunny\nday");

  Answer bad_patch =
      Write("PATCH", "/api/images/" + id, {{"title", std::string(201, 'x')}, {"description", 5}});
  CHECK(bad_patch.status() == 422);
  CHECK(bad_patch.body["error"]["fields"].contains("title"));
  CHECK(bad_patch.body["error"]["fields"].contains("description"));
  CHECK(Write("PATCH", "/api/images/" + id, {{"title", std::string("a\0b", 3)}}).status() == 422);

  CHECK(native.objects.size() == 2);
  Answer deleted = Send(NewRequest("DELETE", "/api/images/" + id));
  CHECK(deleted.status() == 204);
  CHECK(native.objects.size() == 0);
  CHECK(Get("/api/images/" + id).status() == 404);
  CHECK(Send(NewRequest("DELETE", "/api/images/" + id)).status() == 404);
  CHECK(Stats()["total"] == 0);
  CHECK(Stats()["bytesStored"] == 0);
}

TEST_CASE_METHOD(Gallery, "Content and thumbnail headers, conditional and range requests",
                 "[images][bytes]") {
  DevLogin("ana@example.com");
  const std::string jpeg = samples::Jpeg(600, 900);
  const json image = Uploaded(jpeg, "café 🐱.jpg");
  const std::string id = image["id"];
  const std::string etag = "\"" + Sha(jpeg) + "\"";

  Answer content = Get("/api/images/" + id + "/content");
  REQUIRE(content.status() == 200);
  REQUIRE(content.response.object_body);
  CHECK(content.response.object_body->key.find("images/") == 0);
  CHECK_FALSE(content.response.object_body->offset.has_value());
  CHECK(content.response.body.empty());  // the shim streams from R2; no bytes pass through C++
  CHECK(content.Header("content-type") == "image/jpeg");
  CHECK(content.Header("content-length") == std::to_string(jpeg.size()));
  CHECK(content.Header("etag") == etag);
  CHECK(content.Header("accept-ranges") == "bytes");
  CHECK(content.Header("cache-control") == "private, max-age=31536000, immutable");
  CHECK(content.Header("x-content-type-options") == "nosniff");
  CHECK(content.Header("content-disposition") ==
        "inline; filename=\"caf_-_.jpg\"; filename*=UTF-8''caf%C3%A9-%F0%9F%90%B1.jpg");
  CHECK(Get("/api/images/" + id + "/content?download=1")
            .Header("content-disposition")
            .rfind("attachment;", 0) == 0);

  Answer not_modified = GetWith("/api/images/" + id + "/content", {{"if-none-match", "W/\"x\", " + etag}});
  CHECK(not_modified.status() == 304);
  CHECK_FALSE(not_modified.response.object_body.has_value());
  CHECK(not_modified.Header("etag") == etag);
  CHECK(not_modified.Header("cache-control") == "private, max-age=31536000, immutable");
  CHECK(GetWith("/api/images/" + id + "/content", {{"if-none-match", "\"other\""}}).status() == 200);

  Answer partial = GetWith("/api/images/" + id + "/content", {{"range", "bytes=10-19"}});
  REQUIRE(partial.status() == 206);
  CHECK(partial.Header("content-range") == "bytes 10-19/" + std::to_string(jpeg.size()));
  CHECK(partial.Header("content-length") == "10");
  CHECK(partial.response.object_body->offset == 10);
  CHECK(partial.response.object_body->length == 10);
  Answer suffix = GetWith("/api/images/" + id + "/content", {{"range", "bytes=-5"}});
  CHECK(suffix.status() == 206);
  CHECK(suffix.response.object_body->offset == static_cast<int64_t>(jpeg.size()) - 5);

  Answer stale_if_range =
      GetWith("/api/images/" + id + "/content", {{"range", "bytes=0-1"}, {"if-range", "\"old\""}});
  CHECK(stale_if_range.status() == 200);
  CHECK(GetWith("/api/images/" + id + "/content", {{"range", "bytes=0-1"}, {"if-range", etag}}).status() ==
        206);
  CHECK(GetWith("/api/images/" + id + "/content", {{"range", "bytes=0-1,4-5"}}).status() == 200);

  for (const char* bad : {"bytes=99999999-", "bytes=5-1", "bytes=abc", "bytes=-0"}) {
    INFO(bad);
    Answer unsatisfiable = GetWith("/api/images/" + id + "/content", {{"range", bad}});
    CHECK(unsatisfiable.status() == 416);
    CHECK(unsatisfiable.error_code() == "RANGE_NOT_SATISFIABLE");
    CHECK(unsatisfiable.Header("content-range") == "bytes */" + std::to_string(jpeg.size()));
    CHECK_FALSE(unsatisfiable.response.object_body.has_value());
  }

  Answer thumb = Get("/api/images/" + id + "/thumbnail");
  REQUIRE(thumb.status() == 200);
  REQUIRE(thumb.response.object_body);
  CHECK(thumb.response.object_body->key.find("/thumbnails/") != std::string::npos);
  CHECK(thumb.Header("content-type") == "image/jpeg");
  const std::string thumb_etag = thumb.Header("etag");
  CHECK(thumb_etag != etag);
  auto stored = native.objects.Get(thumb.response.object_body->key);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK(thumb_etag == "\"" + Sha((*stored)->bytes) + "\"");
  CHECK(thumb.Header("content-length") == std::to_string((*stored)->bytes.size()));
  CHECK(thumb.Header("content-disposition").find("thumbnail.jpg") != std::string::npos);
  CHECK(GetWith("/api/images/" + id + "/thumbnail", {{"if-none-match", thumb_etag}}).status() == 304);
}

TEST_CASE_METHOD(Gallery, "Another user's image is 404 everywhere; signed out is 401",
                 "[images][isolation]") {
  DevLogin("owner@example.com");
  const std::string id = Uploaded(samples::Png(50, 50))["id"];
  const std::string owner_session = session;
  session.clear();
  CHECK(Get("/api/images").status() == 401);
  CHECK(Get("/api/images/" + id + "/content").status() == 401);
  CHECK(Upload(samples::Png(10, 10)).status() == 401);

  DevLogin("intruder@example.com");
  for (const std::string suffix : {"", "/content", "/thumbnail"}) {
    Answer a = Get("/api/images/" + id + suffix);
    CHECK(a.status() == 404);
    CHECK(a.error_code() == "NOT_FOUND");
    CHECK_FALSE(a.response.object_body.has_value());
  }
  CHECK(Write("PATCH", "/api/images/" + id, {{"title", "mine"}}).status() == 404);
  CHECK(Send(NewRequest("DELETE", "/api/images/" + id)).status() == 404);
  CHECK(Get("/api/images").body["total"] == 0);
  CHECK(Stats()["total"] == 0);

  session = owner_session;
  CHECK(Get("/api/images/" + id).body["image"]["title"].is_null());
  CHECK(native.objects.size() == 2);
}

TEST_CASE_METHOD(Gallery, "Malformed ids, filters and cursors", "[images]") {
  DevLogin("ana@example.com");
  for (const std::string id : {"nope", "ABCDEF0123456789ABCDEF0123456789", "0123456789abcdef0123456789abcde",
                               "0123456789abcdef0123456789abcdef0", "0123456789abcdef0123456789abcdeg"}) {
    INFO(id);
    CHECK(Get("/api/images/" + id).status() == 404);
    CHECK(Get("/api/images/" + id + "/content").status() == 404);
  }
  CHECK(Get("/api/images?type=uploaded").status() == 400);
  CHECK(Get("/api/images?status=DONE").status() == 400);
  CHECK(Get("/api/images?limit=0").status() == 400);
  CHECK(Get("/api/images?limit=101").status() == 400);
  for (const char* cursor : {"%%%", "bm90LWEtY3Vyc29y", "MTIzOg", "YWJjOmRlZg"}) {
    INFO(cursor);
    Answer a = Get(std::string("/api/images?cursor=") + cursor);
    CHECK(a.status() == 400);
    CHECK(a.error_code() == "BAD_REQUEST");
  }
}

TEST_CASE_METHOD(Gallery, "Pages follow the cursor newest first without repeats", "[images]") {
  DevLogin("ana@example.com");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    native.clock.Advance(1000);
    ids.push_back(Uploaded(samples::Png(8, 8, 3, i + 1), "p" + std::to_string(i) + ".png")["id"]);
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    Answer a = Get("/api/images?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    REQUIRE(a.status() == 200);
    CHECK(a.body["total"] == 5);
    for (const auto& item : a.body["items"]) seen.push_back(item["id"]);
    if (a.body["nextCursor"].is_null()) break;
    cursor = a.body["nextCursor"];
  }
  std::reverse(ids.begin(), ids.end());
  CHECK(seen == ids);
}

TEST_CASE_METHOD(Gallery, "Bad uploads are clear 4xx and store nothing", "[images][bad_input]") {
  DevLogin("ana@example.com");
  const std::string png = samples::Png(64, 48);
  struct Case {
    const char* name;
    http::Request request;
    int status;
    const char* code;
  };
  std::vector<Case> cases;
  cases.push_back({"empty file", UploadRequest(""), 422, "VALIDATION_FAILED"});
  cases.push_back(
      {"text named .png", UploadRequest("hello, I am text", "fake.png"), 415, "UNSUPPORTED_MEDIA_TYPE"});
  cases.push_back({"cut header", UploadRequest(png.substr(0, 20)), 422, "VALIDATION_FAILED"});
  cases.push_back({"cut pixels", UploadRequest(png.substr(0, png.size() / 2)), 422, "VALIDATION_FAILED"});
  const std::string huge = samples::PngFromParts(100000, 100000, 8, 2, samples::ZeroBombZlib(1000));
  cases.push_back({"100000x100000", UploadRequest(huge), 422, "VALIDATION_FAILED"});
  const std::string bomb = samples::PngFromParts(2000, 2000, 8, 2, samples::ZeroBombZlib(200'000'000));
  cases.push_back({"zlib bomb", UploadRequest(bomb), 422, "VALIDATION_FAILED"});
  cases.push_back({"wrong field", UploadRequest(png, "a.png", {}, "image"), 422, "VALIDATION_FAILED"});
  http::Request two = UploadRequest(png);
  two.multipart->files.push_back(two.multipart->files.front());
  two.body.clear();
  cases.push_back({"two files", two, 422, "VALIDATION_FAILED"});
  http::Request none = UploadRequest(png);
  none.multipart->files.clear();
  none.body.clear();
  cases.push_back({"no file", none, 422, "VALIDATION_FAILED"});
  http::Request malformed = UploadRequest(png);
  malformed.multipart = http::MultipartForm{};
  malformed.multipart->malformed = true;
  malformed.body.clear();
  cases.push_back({"malformed multipart", malformed, 400, "BAD_REQUEST"});
  http::Request not_multipart = NewRequest("POST", "/api/images", "{}");
  cases.push_back({"JSON body", not_multipart, 415, "UNSUPPORTED_MEDIA_TYPE"});
  cases.push_back(
      {"oversize", UploadRequest(std::string(10 * 1024 * 1024 + 1, 'x')), 413, "PAYLOAD_TOO_LARGE"});
  cases.push_back({"title too long", UploadRequest(png, "a.png", {{"title", std::string(201, 't')}}), 422,
                   "VALIDATION_FAILED"});
  for (auto& c : cases) {
    INFO(c.name);
    Answer a = Send(c.request);
    CHECK(a.status() == c.status);
    CHECK(a.error_code() == c.code);
    CHECK_FALSE(a.body["error"]["message"].get<std::string>().empty());
  }
  CHECK(native.objects.size() == 0);
  CHECK(Stats()["total"] == 0);
}

TEST_CASE_METHOD(Gallery, "Hostile file names are stored safely", "[images][bad_input]") {
  DevLogin("ana@example.com");
  const std::string png = samples::Png(16, 16);
  std::string long_name(300, 'n');
  long_name += ".png";
  for (const std::string name : {std::string("../../etc/passwd.png"), std::string("a\0b.png", 7), long_name,
                                 std::string("\xF0\x9F\x90\xB1\xF0\x9F\x90\xB6.png"), std::string("")}) {
    INFO(name);
    const json image = Uploaded(png, name);
    Answer content =
        Get(std::string("/api/images/") + image["id"].get<std::string>() + "/content?download=1");
    REQUIRE(content.response.object_body);
    const std::string key = content.response.object_body->key;
    CHECK(key.rfind("images/", 0) == 0);
    CHECK(key.find("..") == std::string::npos);
    CHECK(key.find('\0') == std::string::npos);
    CHECK(key.size() < 200);
    const std::string disposition = content.Header("content-disposition");
    CHECK(disposition.rfind("attachment; filename=\"", 0) == 0);
    CHECK(disposition.find('\0') == std::string::npos);
    CHECK(disposition.find("..") == std::string::npos);
  }
}

}  // namespace
}  // namespace nb
