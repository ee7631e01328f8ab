#include "services/storage_service.h"

#include <catch2/catch.hpp>

#include "native/manual_clock.h"
#include "native/memory_object_store.h"

namespace nb {
namespace {

struct Fixture {
  ManualClock clock{1'700'000'000'000};
  MemoryObjectStore store{clock};
  StorageService storage{store, clock};
};

TEST_CASE_METHOD(Fixture, "Upload keys by user, time and sanitized name", "[storage]") {
  auto info = storage.Upload("user1", "My Photo.png", "PNGDATA", "image/png");
  REQUIRE(info.ok());
  CHECK(info->key == "images/user1/1700000000000-My-Photo.png");
  CHECK(info->size == 7);
  CHECK(info->metadata.content_type == "image/png");
  CHECK(info->metadata.custom.at("filename") == "My-Photo.png");

  auto body = storage.Get(info->key);
  REQUIRE(body.ok());
  REQUIRE(body->has_value());
  CHECK((*body)->bytes == "PNGDATA");

  auto traversal = storage.Upload("user1", "../../other/secret.png", "x", "");
  REQUIRE(traversal.ok());
  CHECK(traversal->key.rfind("images/user1/", 0) == 0);
  CHECK(traversal->key.find("..") == std::string::npos);
  CHECK(traversal->metadata.content_type == "application/octet-stream");
}

TEST_CASE_METHOD(Fixture, "Upload refuses user ids that could leave the prefix", "[storage]") {
  for (const char* bad : {"", "a/b", "..", "a b", "x\n"}) {
    CHECK(storage.Upload(bad, "f.png", "x", "image/png").status().code() == Status::Code::kInvalidArgument);
  }
  CHECK(storage.ListUserObjects("a/b").status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "Same name in the same millisecond does not overwrite", "[storage]") {
  auto a = storage.Upload("user1", "a.png", "first", "image/png");
  auto b = storage.Upload("user1", "a.png", "second", "image/png");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->key != b->key);
  CHECK(b->key == "images/user1/1700000000001-a.png");
  CHECK((*storage.Get(a->key))->bytes == "first");
  CHECK((*storage.Get(b->key))->bytes == "second");
}

TEST_CASE_METHOD(Fixture, "Get with a range, Head and Delete", "[storage]") {
  auto info = storage.Upload("user1", "r.bin", "0123456789", "application/octet-stream");
  REQUIRE(info.ok());
  ByteRange range;
  range.offset = 2;
  range.length = 3;
  auto part = storage.Get(info->key, range);
  REQUIRE(part.ok());
  REQUIRE(part->has_value());
  CHECK((*part)->bytes == "234");
  CHECK((*part)->range_offset == 2);
  CHECK((*part)->info.size == 10);

  auto head = storage.Head(info->key);
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  CHECK((*head)->size == 10);

  REQUIRE(storage.Delete(info->key).ok());
  CHECK_FALSE(storage.Head(info->key)->has_value());
  CHECK_FALSE(storage.Get(info->key)->has_value());
  CHECK(storage.Delete(info->key).ok());  // deleting again is fine
  CHECK(storage.Delete(std::vector<std::string>{}).ok());
}

TEST_CASE_METHOD(Fixture, "ListUserObjects sees only that user's objects, across list pages", "[storage]") {
  for (int i = 0; i < 1005; ++i) {
    clock.Advance(1);
    REQUIRE(storage.Upload("user1", "f.png", "x", "image/png").ok());
  }
  REQUIRE(storage.Upload("user10", "f.png", "x", "image/png").ok());  // shares "user1" as a string prefix
  REQUIRE(storage.Upload("user2", "f.png", "x", "image/png").ok());
  auto mine = storage.ListUserObjects("user1");
  REQUIRE(mine.ok());
  CHECK(mine->size() == 1005);
  for (const auto& o : *mine) CHECK(o.key.rfind("images/user1/", 0) == 0);
  CHECK(storage.ListUserObjects("nobody")->empty());
}

TEST_CASE("PublicUrl needs a configured base and encodes each segment", "[storage]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  StorageService without(store, clock);
  CHECK_FALSE(without.PublicUrl("images/u/1-a.png").has_value());

  StorageService with(store, clock, "https://img.example.com/");
  CHECK(with.PublicUrl("images/u/1-a.png") == "https://img.example.com/images/u/1-a.png");
  CHECK(with.PublicUrl("images/u/1-café (1).png") ==
        "https://img.example.com/images/u/1-caf%C3%A9%20%281%29.png");
  CHECK(with.PublicUrl("images/u/a?b#c%d") == "https://img.example.com/images/u/a%3Fb%23c%25d");
  CHECK_FALSE(with.PublicUrl("").has_value());
}

}  // namespace
}  // namespace nb
