#include "services/image_service.h"

#include <catch2/catch.hpp>

#include "app_fixture.h"
#include "imaging/image_probe.h"
#include "imaging_samples.h"
#include "services/storage_service.h"
#include "util/hex.h"

namespace nb {
namespace {

using testing::NativePorts;

// R2 that refuses puts whose key contains `fail_substring`, and deletes when told to.
class FailingObjectStore final : public ObjectStore {
 public:
  explicit FailingObjectStore(ObjectStore& inner) : inner_(inner) {}
  Result<ObjectInfo> Put(const std::string& key, const std::string& bytes, const ObjectMetadata& m) override {
    if (!fail_put_containing.empty() && key.find(fail_put_containing) != std::string::npos) {
      return Status::Unavailable("R2 put failed");
    }
    return inner_.Put(key, bytes, m);
  }
  Result<std::optional<ObjectBody>> Get(const std::string& key, const std::optional<ByteRange>& r) override {
    return inner_.Get(key, r);
  }
  Result<std::optional<ObjectInfo>> Head(const std::string& key) override { return inner_.Head(key); }
  Status Delete(const std::vector<std::string>& keys) override {
    if (fail_delete) return Status::Unavailable("R2 delete failed");
    return inner_.Delete(keys);
  }
  Result<ObjectList> List(const std::string& p, int limit, const std::optional<std::string>& c) override {
    return inner_.List(p, limit, c);
  }
  std::string fail_put_containing;
  bool fail_delete = false;

 private:
  ObjectStore& inner_;
};

struct Fixture {
  NativePorts native;
  FailingObjectStore objects{native.objects};
  ImageService service{*native.db,    objects,           native.crypto, native.clock,
                       native.random, native.thumbnails, native.logger};
  ImageRepository images{*native.db, native.clock, native.random};
  std::string user_id;

  Fixture() {
    REQUIRE(
        native.db
            ->Prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES ('u1', 'a@b.c', 0, 0)")
            .Run()
            .ok());
    user_id = "u1";
  }

  ImageProbe Probe(const std::string& bytes) {
    auto p = ProbeImage(bytes);
    REQUIRE(p.ok());
    return *p;
  }
  int64_t Rows() {
    auto r = native.db->Prepare("SELECT COUNT(*) AS n FROM images").First();
    REQUIRE(r.ok());
    return (**r).GetInt64("n").value();
  }
  std::string Sha(const std::string& bytes) { return HexEncode(*native.crypto.Sha256(bytes)); }
};

TEST_CASE_METHOD(Fixture, "An upload stores the original, a JPEG thumbnail and a COMPLETED row",
                 "[image_service]") {
  const std::string png = samples::Png(800, 400);
  auto image =
      service.CreateUploaded(user_id, {"../My Cat.png", std::string("Cat"), std::nullopt}, png, Probe(png));
  REQUIRE(image.ok());
  CHECK(image->type == ImageType::kUploaded);
  CHECK(image->status == ImageStatus::kCompleted);
  CHECK(image->title == std::optional<std::string>("Cat"));
  CHECK(image->width == 800);
  CHECK(image->height == 400);
  CHECK(image->size == static_cast<int64_t>(png.size()));
  CHECK(image->format == "png");
  CHECK(image->content_type == "image/png");
  CHECK(image->sha256 == Sha(png));
  REQUIRE(image->storage_key);
  CHECK(*image->storage_key == "images/u1/1700000000000-My-Cat.png");
  REQUIRE(image->thumbnail_key);
  CHECK(*image->thumbnail_key == "images/u1/thumbnails/1700000000000-My-Cat.png.jpg");
  CHECK(image->metadata["filename"] == "My-Cat.png");
  CHECK(image->metadata["sha256"] == Sha(png));
  CHECK(image->metadata["thumbnail"]["width"] == 384);
  CHECK(image->metadata["thumbnail"]["height"] == 192);

  auto original = native.objects.Get(*image->storage_key);
  REQUIRE(original.ok());
  REQUIRE(original->has_value());
  CHECK((*original)->bytes == png);
  auto thumb = native.objects.Get(*image->thumbnail_key);
  REQUIRE(thumb.ok());
  REQUIRE(thumb->has_value());
  CHECK((*thumb)->info.metadata.content_type == "image/jpeg");
  CHECK(image->thumbnail_size == static_cast<int64_t>((*thumb)->bytes.size()));
  CHECK(image->metadata["thumbnail"]["sha256"] == Sha((*thumb)->bytes));
  auto thumb_probe = ProbeImage((*thumb)->bytes);
  REQUIRE(thumb_probe.ok());
  CHECK(thumb_probe->format == ImageFormat::kJpeg);
  CHECK(thumb_probe->width == 384);

  const auto facts = ThumbnailFactsOf(*image);
  REQUIRE(facts);
  CHECK(facts->content_type == "image/jpeg");
  CHECK(facts->etag_opaque == Sha((*thumb)->bytes));
  CHECK(ObjectKeysOf(*image).size() == 2);
}

TEST_CASE_METHOD(Fixture, "A WebP gets a JPEG thumbnail like any other format", "[image_service]") {
  const std::string webp = samples::WebpLossless(40, 30);
  auto image = service.CreateUploaded(user_id, {"x.webp", std::nullopt, std::nullopt}, webp, Probe(webp));
  REQUIRE(image.ok());
  REQUIRE(image->thumbnail_key);
  CHECK(*image->thumbnail_key != image->storage_key);
  CHECK(native.objects.size() == 2);
  const auto facts = ThumbnailFactsOf(*image);
  REQUIRE(facts);
  CHECK(facts->content_type == "image/jpeg");
  CHECK(ObjectKeysOf(*image).size() == 2);
}

TEST_CASE_METHOD(Fixture, "A row from before WebP decoding still serves its original as thumbnail",
                 "[image_service]") {
  const std::string webp = samples::WebpLossless(40, 30);
  auto image = service.CreateUploaded(user_id, {"x.webp", std::nullopt, std::nullopt}, webp, Probe(webp));
  REQUIRE(image.ok());
  Image legacy = *image;  // what such rows hold: the original's key as thumbnail, no thumbnail facts
  legacy.thumbnail_key = legacy.storage_key;
  legacy.thumbnail_size.reset();
  legacy.metadata.erase("thumbnail");
  const auto facts = ThumbnailFactsOf(legacy);
  REQUIRE(facts);
  CHECK(facts->key == legacy.storage_key);
  CHECK(facts->content_type == "image/webp");
  CHECK(facts->etag_opaque == *legacy.sha256);
  CHECK(ObjectKeysOf(legacy).size() == 1);
}

TEST_CASE_METHOD(Fixture, "Damaged data is refused before anything is written", "[image_service]") {
  const std::string png = samples::Png(200, 150);
  const std::string cut = png.substr(0, png.size() / 2);
  auto image = service.CreateUploaded(user_id, {"cut.png", std::nullopt, std::nullopt}, cut, Probe(cut));
  REQUIRE_FALSE(image.ok());
  CHECK(IsDamagedImage(image.status()));
  CHECK(native.objects.size() == 0);
  CHECK(Rows() == 0);

  // The generation worker may keep such bytes without a thumbnail instead.
  StoreOptions keep;
  keep.refuse_damaged = false;
  auto stored = service.StoreOriginalAndThumbnail(user_id, "gen.png", cut, Probe(cut), keep);
  REQUIRE(stored.ok());
  CHECK_FALSE(stored->thumbnail_key.has_value());
  CHECK(stored->Keys().size() == 1);
  CHECK(service.DeleteStored(*stored).ok());
  CHECK(native.objects.size() == 0);
}

TEST_CASE_METHOD(Fixture, "An R2 failure leaves no object and no row", "[image_service]") {
  const std::string png = samples::Png(100, 100);
  SECTION("the original's put fails") { objects.fail_put_containing = "-a.png"; }
  SECTION("the thumbnail's put fails") { objects.fail_put_containing = "thumbnails/"; }
  auto image = service.CreateUploaded(user_id, {"a.png", std::nullopt, std::nullopt}, png, Probe(png));
  REQUIRE_FALSE(image.ok());
  CHECK(image.status().code() == Status::Code::kUnavailable);
  CHECK(native.objects.size() == 0);
  CHECK(Rows() == 0);
}

TEST_CASE_METHOD(Fixture, "A failed row insert deletes the objects it described", "[image_service]") {
  REQUIRE(
      native.db->Prepare("CREATE TRIGGER refuse BEFORE INSERT ON images BEGIN SELECT RAISE(ABORT, 'no'); END")
          .Run()
          .ok());
  const std::string jpeg = samples::Jpeg(500, 700);
  auto image = service.CreateUploaded(user_id, {"a.jpg", std::nullopt, std::nullopt}, jpeg, Probe(jpeg));
  REQUIRE_FALSE(image.ok());
  CHECK(native.objects.size() == 0);
  CHECK(Rows() == 0);
}

TEST_CASE_METHOD(Fixture, "DeleteImage removes objects then the row; only the owner's", "[image_service]") {
  const std::string gif =
      samples::Gif(2, 2, {0, 1, 2, 3}, {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}});
  auto image = service.CreateUploaded(user_id, {"a.gif", std::nullopt, std::nullopt}, gif, Probe(gif));
  REQUIRE(image.ok());
  CHECK(native.objects.size() == 2);

  CHECK(service.DeleteImage(image->id, "someone-else").code() == Status::Code::kNotFound);
  CHECK(native.objects.size() == 2);

  objects.fail_delete = true;
  CHECK_FALSE(service.DeleteImage(image->id, user_id).ok());
  CHECK(Rows() == 1);  // still there: the delete can be retried
  objects.fail_delete = false;

  CHECK(service.DeleteImage(image->id, user_id).ok());
  CHECK(native.objects.size() == 0);
  CHECK(Rows() == 0);
  CHECK(service.DeleteImage(image->id, user_id).code() == Status::Code::kNotFound);
}

TEST_CASE("Thumbnail keys sit beside the original under the user's prefix", "[storage]") {
  auto key = StorageService::ThumbnailKeyFor("images/u1/170-cat.png", "image/jpeg");
  REQUIRE(key.ok());
  CHECK(*key == "images/u1/thumbnails/170-cat.png.jpg");
  CHECK(*StorageService::ThumbnailKeyFor("images/u1/170-cat.gif", "image/webp") ==
        "images/u1/thumbnails/170-cat.gif.webp");
  for (const char* bad :
       {"", "images/", "images/u1/", "debug/x", "images/u1/thumbnails/x.png", "imagesx/u1/a"}) {
    INFO(bad);
    CHECK_FALSE(StorageService::ThumbnailKeyFor(bad, "image/jpeg").ok());
  }
}

}  // namespace
}  // namespace nb
