#include "native/memory_object_store.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "native/manual_clock.h"

namespace nb {
namespace {

ObjectMetadata Png() {
  ObjectMetadata m;
  m.content_type = "image/png";
  m.custom["owner"] = "user-1";
  return m;
}

TEST_CASE("Put records size, MD5 etag, upload time and metadata", "[object_store]") {
  ManualClock clock(1'000);
  MemoryObjectStore store(clock);
  auto put = store.Put("a/one.png", "hello world", Png());
  REQUIRE(put.ok());
  CHECK(put->key == "a/one.png");
  CHECK(put->size == 11);
  CHECK(put->etag == "5eb63bbbe01eeed093cb22bb8f5acdc3");  // md5("hello world")
  CHECK(put->uploaded_ms == 1'000);
  CHECK(put->metadata.content_type == "image/png");
  CHECK(put->metadata.custom.at("owner") == "user-1");

  auto empty = store.Put("empty", "", {});
  REQUIRE(empty.ok());
  CHECK(empty->size == 0);
  CHECK(empty->etag == "d41d8cd98f00b204e9800998ecf8427e");  // md5("")
}

TEST_CASE("Get returns the whole object and Head its info; missing keys are nullopt", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  const std::string bytes("\x89PNG\0\x01\xff", 7);
  REQUIRE(store.Put("img", bytes, Png()).ok());

  auto got = store.Get("img");
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->bytes == bytes);
  CHECK((*got)->range_offset == 0);
  CHECK((*got)->info.size == 7);
  CHECK((*got)->info.metadata.content_type == "image/png");

  auto head = store.Head("img");
  REQUIRE(head.ok());
  REQUIRE(head->has_value());
  CHECK((*head)->etag == (*got)->info.etag);
  CHECK((*head)->size == 7);

  auto missing = store.Get("nope");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto missing_head = store.Head("nope");
  REQUIRE(missing_head.ok());
  CHECK_FALSE(missing_head->has_value());
  // A range on a missing object is still just "not there".
  auto missing_range = store.Get("nope", ByteRange{100, std::nullopt, std::nullopt});
  REQUIRE(missing_range.ok());
  CHECK_FALSE(missing_range->has_value());
}

TEST_CASE("Put overwrites: new bytes, new etag, new upload time", "[object_store]") {
  ManualClock clock(5'000);
  MemoryObjectStore store(clock);
  auto first = store.Put("k", "one", {});
  REQUIRE(first.ok());
  clock.Advance(250);
  auto second = store.Put("k", "two", {});
  REQUIRE(second.ok());
  CHECK(second->etag != first->etag);
  CHECK(second->uploaded_ms == 5'250);
  auto got = store.Get("k");
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->bytes == "two");
  CHECK(store.size() == 1);
}

TEST_CASE("ranged Get returns only the requested bytes", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  REQUIRE(store.Put("digits", "0123456789", {}).ok());

  auto get = [&](ByteRange r) { return store.Get("digits", r); };

  SECTION("offset and length") {
    auto r = get({2, 3, std::nullopt});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "234");
    CHECK((*r)->range_offset == 2);
    CHECK((*r)->info.size == 10);  // the object's size, not the range's
  }
  SECTION("offset alone reads to the end") {
    auto r = get({7, std::nullopt, std::nullopt});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "789");
    CHECK((*r)->range_offset == 7);
  }
  SECTION("length alone reads from the start") {
    auto r = get({std::nullopt, 4, std::nullopt});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "0123");
    CHECK((*r)->range_offset == 0);
  }
  SECTION("a length past the end is clamped") {
    auto r = get({8, 100, std::nullopt});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "89");
    CHECK((*r)->range_offset == 8);
  }
  SECTION("suffix reads the last bytes") {
    auto r = get({std::nullopt, std::nullopt, 3});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "789");
    CHECK((*r)->range_offset == 7);
  }
  SECTION("a suffix longer than the object is the whole object") {
    auto r = get({std::nullopt, std::nullopt, 50});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "0123456789");
    CHECK((*r)->range_offset == 0);
  }
  SECTION("an empty range object means the whole object") {
    auto r = get({});
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK((*r)->bytes == "0123456789");
  }
}

TEST_CASE("unsatisfiable ranges are OutOfRange", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  REQUIRE(store.Put("digits", "0123456789", {}).ok());
  REQUIRE(store.Put("empty", "", {}).ok());

  auto code = [&](const std::string& key, ByteRange r) { return store.Get(key, r).status().code(); };
  CHECK(code("digits", {10, std::nullopt, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {11, 1, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {-1, std::nullopt, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {0, -5, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {0, 0, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {std::nullopt, std::nullopt, 0}) == Status::Code::kOutOfRange);
  CHECK(code("digits", {std::nullopt, std::nullopt, -2}) == Status::Code::kOutOfRange);
  CHECK(code("empty", {0, std::nullopt, std::nullopt}) == Status::Code::kOutOfRange);
  CHECK(code("empty", {std::nullopt, std::nullopt, 1}) == Status::Code::kOutOfRange);
  // Mixing a suffix with an offset is a caller bug, not an unsatisfiable range.
  CHECK(code("digits", {1, std::nullopt, 2}) == Status::Code::kInvalidArgument);
}

TEST_CASE("Delete removes several keys and ignores missing ones", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  REQUIRE(store.Put("a", "1", {}).ok());
  REQUIRE(store.Put("b", "2", {}).ok());
  REQUIRE(store.Put("c", "3", {}).ok());

  REQUIRE(store.Delete({"a", "c", "never-existed"}).ok());
  CHECK(store.size() == 1);
  CHECK_FALSE(store.Head("a")->has_value());
  CHECK(store.Head("b")->has_value());
  CHECK_FALSE(store.Head("c")->has_value());
  CHECK(store.Delete({"a"}).ok());  // deleting twice is fine
  CHECK(store.Delete({}).ok());

  std::vector<std::string> too_many(1001, "b");
  CHECK(store.Delete(too_many).code() == Status::Code::kInvalidArgument);
  CHECK(store.size() == 1);
}

TEST_CASE("keys must be 1..1024 bytes", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  CHECK(store.Put("", "x", {}).status().code() == Status::Code::kInvalidArgument);
  CHECK(store.Put(std::string(1025, 'k'), "x", {}).status().code() == Status::Code::kInvalidArgument);
  CHECK(store.Put(std::string(1024, 'k'), "x", {}).ok());
  CHECK(store.Get("").status().code() == Status::Code::kInvalidArgument);
  CHECK(store.size() == 1);
}

TEST_CASE("List returns prefixed keys in lexicographic order", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  for (const char* k : {"img/b", "img/a", "img/c", "imh/x", "im", "doc/a", "img/a/nested"}) {
    REQUIRE(store.Put(k, k, {}).ok());
  }
  auto list = store.List("img/", 1000);
  REQUIRE(list.ok());
  std::vector<std::string> keys;
  for (const auto& o : list->objects) keys.push_back(o.key);
  CHECK(keys == std::vector<std::string>{"img/a", "img/a/nested", "img/b", "img/c"});
  CHECK_FALSE(list->cursor.has_value());
  CHECK(list->objects.front().size == 5);
  CHECK_FALSE(list->objects.front().etag.empty());

  auto all = store.List("", 1000);
  REQUIRE(all.ok());
  CHECK(all->objects.size() == 7);
  CHECK(all->objects.front().key == "doc/a");
  CHECK(all->objects.back().key == "imh/x");

  auto none = store.List("zzz", 10);
  REQUIRE(none.ok());
  CHECK(none->objects.empty());
  CHECK_FALSE(none->cursor.has_value());
}

TEST_CASE("List paginates with a cursor set only while more remain", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  for (int i = 0; i < 7; ++i) REQUIRE(store.Put("p/" + std::to_string(i), "x", {}).ok());
  REQUIRE(store.Put("q/0", "x", {}).ok());  // after the prefix: must not leak into the last page

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = store.List("p/", 3, cursor);
    REQUIRE(page.ok());
    CHECK(page->objects.size() <= 3);
    for (const auto& o : page->objects) seen.push_back(o.key);
    cursor = page->cursor;
    ++pages;
    REQUIRE(pages < 10);
  } while (cursor);
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::string>{"p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6"});

  // Exactly `limit` objects: no cursor, since nothing more remains.
  auto exact = store.List("p/", 7);
  REQUIRE(exact.ok());
  CHECK(exact->objects.size() == 7);
  CHECK_FALSE(exact->cursor.has_value());
}

TEST_CASE("a cursor survives deletion of the key it points after", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  for (const char* k : {"a", "b", "c", "d"}) REQUIRE(store.Put(k, "x", {}).ok());
  auto first = store.List("", 2);
  REQUIRE(first.ok());
  REQUIRE(first->cursor.has_value());
  REQUIRE(store.Delete({"b"}).ok());
  auto second = store.List("", 2, first->cursor);
  REQUIRE(second.ok());
  REQUIRE(second->objects.size() == 2);
  CHECK(second->objects[0].key == "c");
  CHECK(second->objects[1].key == "d");
  CHECK_FALSE(second->cursor.has_value());
}

TEST_CASE("a cursor that sorts before the prefix starts at the prefix", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  for (const char* k : {"a/1", "a/2", "b/1", "b/2"}) REQUIRE(store.Put(k, "x", {}).ok());
  auto a_page = store.List("a/", 1);
  REQUIRE(a_page.ok());
  REQUIRE(a_page->cursor.has_value());
  auto b_page = store.List("b/", 10, a_page->cursor);
  REQUIRE(b_page.ok());
  REQUIRE(b_page->objects.size() == 2);
  CHECK(b_page->objects[0].key == "b/1");
  CHECK(b_page->objects[1].key == "b/2");
}

TEST_CASE("List refuses bad limits and malformed cursors", "[object_store]") {
  ManualClock clock;
  MemoryObjectStore store(clock);
  REQUIRE(store.Put("a", "x", {}).ok());
  CHECK(store.List("", 0).status().code() == Status::Code::kInvalidArgument);
  CHECK(store.List("", -1).status().code() == Status::Code::kInvalidArgument);
  CHECK(store.List("", 1001).status().code() == Status::Code::kInvalidArgument);
  CHECK(store.List("", 1).ok());
  CHECK(store.List("", 1000).ok());
  CHECK(store.List("", 10, std::string("not a cursor!")).status().code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace nb
