#include <catch2/catch.hpp>

#include "models/image.h"
#include "models/image_stats.h"
#include "sql_cells.h"

namespace nb {
namespace {

SqlCells Cells() {
  return {{"id", std::string("img1")},
          {"user_id", std::string("u1")},
          {"type", std::string("GENERATED")},
          {"status", std::string("COMPLETED")},
          {"title", std::string("Cat")},
          {"description", kSqlNull},
          {"prompt", std::string("a cat")},
          {"aspect_ratio", std::string("16:9")},
          {"storage_key", std::string("images/u1/1-cat.png")},
          {"thumbnail_key", kSqlNull},
          {"content_type", std::string("image/png")},
          {"width", int64_t{1024}},
          {"height", int64_t{576}},
          {"size", int64_t{2048}},
          {"thumbnail_size", kSqlNull},
          {"format", std::string("png")},
          {"sha256", std::string("ab")},
          {"metadata", std::string(R"({"model":"gemini"})")},
          {"coins_used", int64_t{10}},
          {"error", kSqlNull},
          {"parent_image_ids", std::string(R"(["p1","p2"])")},
          {"idempotency_key", kSqlNull},
          {"created_at", int64_t{1000}},
          {"updated_at", int64_t{2000}},
          {"model", std::string("gemini-3-pro-image-preview")},
          {"image_size", std::string("2K")},
          {"grounding_requested", int64_t{1}},
          {"thinking", kSqlNull},
          {"grounding",
           std::string(R"({"queries":["cat"],"sources":[{"title":"t","uri":"https://example.org/"}]})")},
          {"favorite", int64_t{1}},
          {"share_nonce", kSqlNull},
          {"share_hash", kSqlNull}};
}

TEST_CASE("Image type and status names round-trip", "[image]") {
  for (auto t : {ImageType::kGenerated, ImageType::kUploaded}) CHECK(ParseImageType(ImageTypeName(t)) == t);
  for (auto s :
       {ImageStatus::kPending, ImageStatus::kProcessing, ImageStatus::kCompleted, ImageStatus::kFailed}) {
    CHECK(ParseImageStatus(ImageStatusName(s)) == s);
  }
  CHECK_FALSE(ParseImageType("generated").has_value());
  CHECK_FALSE(ParseImageStatus("").has_value());
}

TEST_CASE("Image::FromRow reads every column", "[image]") {
  auto img = Image::FromRow(Cells().Row());
  REQUIRE(img.ok());
  CHECK(img->type == ImageType::kGenerated);
  CHECK(img->status == ImageStatus::kCompleted);
  CHECK(img->title == "Cat");
  CHECK_FALSE(img->description.has_value());
  CHECK(img->width == 1024);
  CHECK(img->metadata == nlohmann::json{{"model", "gemini"}});
  CHECK(img->parent_image_ids == std::vector<std::string>{"p1", "p2"});
  CHECK(img->coins_used == 10);
  CHECK(img->favorite);
  CHECK_FALSE(img->share_hash.has_value());
}

TEST_CASE("Image::FromRow refuses unknown enums and tolerates broken JSON columns", "[image]") {
  CHECK(Image::FromRow(Cells().Set("status", std::string("DONE")).Row()).status().code() ==
        Status::Code::kInternal);
  auto img = Image::FromRow(Cells()
                                .Set("metadata", std::string("{not json"))
                                .Set("parent_image_ids", std::string("{\"a\":1}"))
                                .Row());
  REQUIRE(img.ok());
  CHECK(img->metadata == nlohmann::json::object());
  CHECK(img->parent_image_ids.empty());
}

TEST_CASE("Image URLs appear only once the bytes exist", "[image]") {
  Image img;
  img.id = "img1";
  img.status = ImageStatus::kPending;
  CHECK_FALSE(img.IsReady());
  CHECK_FALSE(img.DisplayUrl().has_value());

  img.status = ImageStatus::kCompleted;
  CHECK_FALSE(img.IsReady());  // completed but no bytes
  img.storage_key = "images/u1/1-a.png";
  CHECK(img.IsReady());
  CHECK(img.DisplayUrl() == "/api/images/img1/content");
  img.thumbnail_key = "images/u1/1-a-thumb.webp";
  CHECK(img.DisplayUrl() == "/api/images/img1/thumbnail");
}

TEST_CASE("Image::MetadataJson merges typed facts over extras", "[image]") {
  Image img;
  img.metadata = {{"model", "gemini"}, {"width", 1}};
  img.width = 640;
  img.size = 99;
  img.format = "webp";
  CHECK(img.MetadataJson() ==
        nlohmann::json{{"model", "gemini"}, {"width", 640}, {"size", 99}, {"format", "webp"}});
}

TEST_CASE("Image::ToJson matches API.md's Image", "[image]") {
  auto img = Image::FromRow(Cells().Row());
  REQUIRE(img.ok());
  const nlohmann::json expected = {
      {"id", "img1"},
      {"type", "GENERATED"},
      {"status", "COMPLETED"},
      {"title", "Cat"},
      {"description", nullptr},
      {"prompt", "a cat"},
      {"aspectRatio", "16:9"},
      {"width", 1024},
      {"height", 576},
      {"format", "png"},
      {"size", 2048},
      {"url", "/api/images/img1/content"},
      {"thumbnailUrl", nullptr},
      {"coinsUsed", 10},
      {"error", nullptr},
      {"parentImageIds", {"p1", "p2"}},
      {"model", "gemini-3-pro-image-preview"},
      {"imageSize", "2K"},
      {"grounding", {{"queries", {"cat"}}, {"sources", {{{"title", "t"}, {"uri", "https://example.org/"}}}}}},
      {"favorite", true},
      {"shareUrl", nullptr},
      {"createdAt", "1970-01-01T00:00:01.000Z"},
      {"updatedAt", "1970-01-01T00:00:02.000Z"}};
  CHECK(img->ToJson() == expected);

  img->parent_image_ids.clear();
  CHECK(img->ToJson()["parentImageIds"] == nlohmann::json::array());
}

TEST_CASE("ImageStats::ToJson matches API.md's stats", "[image]") {
  ImageStats s;
  s.total = 3;
  s.generated = 2;
  s.uploaded = 1;
  s.completed = 2;
  s.failed = 1;
  s.coins_spent = 10;
  s.bytes_stored = 300;
  CHECK(s.ToJson() == nlohmann::json::parse(R"({"total":3,"byType":{"GENERATED":2,"UPLOADED":1},
        "byStatus":{"PENDING":0,"PROCESSING":0,"COMPLETED":2,"FAILED":1},"coinsSpent":10,"bytesStored":300,"favorites":0})"));
}

}  // namespace
}  // namespace nb
