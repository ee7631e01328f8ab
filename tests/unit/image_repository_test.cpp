#include "repositories/image_repository.h"

#include <catch2/catch.hpp>
#include <set>

#include "native/manual_clock.h"
#include "native/seeded_random.h"
#include "repositories/user_repository.h"
#include "test_database.h"
#include "util/ids.h"

namespace nb {
namespace {

struct Fixture {
  std::unique_ptr<SqliteDatabase> db = OpenMigratedDatabase();
  ManualClock clock{1'700'000'000'000};
  SeededRandom random{11};
  UserRepository users{*db, clock, random};
  ImageRepository images{*db, clock, random};
  std::string alice = MakeUser("alice@example.com");
  std::string bob = MakeUser("bob@example.com");

  std::string MakeUser(const std::string& email) {
    User draft;
    draft.email = email;
    auto u = users.Create(draft, 100);
    REQUIRE(u.ok());
    return u->id;
  }

  Image Add(const std::string& user_id, ImageType type = ImageType::kUploaded,
            ImageStatus status = ImageStatus::kCompleted, int64_t size = 100, int64_t coins = 0) {
    Image draft;
    draft.user_id = user_id;
    draft.type = type;
    draft.status = status;
    draft.size = size;
    draft.coins_used = coins;
    draft.storage_key = "images/" + user_id + "/x.png";
    auto img = images.Create(draft);
    INFO(img.status().ToString());
    REQUIRE(img.ok());
    return *img;
  }

  std::vector<std::string> AllIds(const std::string& user_id, const ImageFilter& filter, int limit) {
    std::vector<std::string> ids;
    std::optional<std::string> cursor;
    do {
      auto page = images.ListByUser(user_id, filter, limit, cursor);
      REQUIRE(page.ok());
      for (const auto& i : page->items) ids.push_back(i.id);
      cursor = page->next_cursor;
    } while (cursor);
    return ids;
  }
};

TEST_CASE_METHOD(Fixture, "Create and read back every field", "[images]") {
  Image draft;
  draft.user_id = alice;
  draft.type = ImageType::kGenerated;
  draft.status = ImageStatus::kPending;
  draft.title = "Sunset";
  draft.prompt = "a sunset over the sea";
  draft.aspect_ratio = "16:9";
  draft.coins_used = 10;
  draft.parent_image_ids = {"p1", "p2"};
  draft.metadata = {{"model", "gemini-2.5-flash-image"}};
  draft.idempotency_key = "key-1";
  auto created = images.Create(draft);
  REQUIRE(created.ok());
  CHECK(IsValidId(created->id));
  CHECK(created->created_at_ms == 1'700'000'000'000);

  auto found = images.FindByIdForUser(created->id, alice);
  REQUIRE(found.ok());
  CHECK(found->ToJson() == created->ToJson());
  CHECK(found->metadata == created->metadata);
  CHECK(found->idempotency_key == "key-1");
  CHECK(found->ToJson()["url"].is_null());
  CHECK(found->ToJson()["parentImageIds"] == nlohmann::json{"p1", "p2"});
}

TEST_CASE_METHOD(Fixture, "A caller-chosen id is kept; duplicates and unknown owners are refused",
                 "[images]") {
  Image draft;
  draft.id = NewId(random);
  draft.user_id = alice;
  auto created = images.Create(draft);
  REQUIRE(created.ok());
  CHECK(created->id == draft.id);
  CHECK(images.Create(draft).status().code() == Status::Code::kConflict);

  Image orphan;
  orphan.user_id = "no-such-user";
  CHECK(images.Create(orphan).status().code() == Status::Code::kFailedPrecondition);
  orphan.user_id = "";
  CHECK(images.Create(orphan).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "Idempotency keys are unique per user", "[images][idempotency]") {
  Image draft;
  draft.user_id = alice;
  draft.type = ImageType::kGenerated;
  draft.idempotency_key = "same";
  auto first = images.Create(draft);
  REQUIRE(first.ok());
  CHECK(images.Create(draft).status().code() == Status::Code::kConflict);
  auto replay = images.FindByIdempotencyKey(alice, "same");
  REQUIRE(replay.ok());
  CHECK(replay->id == first->id);

  draft.user_id = bob;
  CHECK(images.Create(draft).ok());
  CHECK(images.FindByIdempotencyKey(alice, "other").status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Other users' images are NotFound", "[images]") {
  Image mine = Add(alice);
  CHECK(images.FindByIdForUser(mine.id, bob).status().code() == Status::Code::kNotFound);
  CHECK(images.FindById(mine.id).ok());
  ImagePatch patch;
  patch.title = "hijacked";
  CHECK(images.Update(mine.id, bob, patch).status().code() == Status::Code::kNotFound);
  CHECK(images.Delete(mine.id, bob).status().code() == Status::Code::kNotFound);
  CHECK_FALSE(images.FindById(mine.id)->title.has_value());
}

TEST_CASE_METHOD(Fixture, "Update writes only the patched fields", "[images]") {
  Image img = Add(alice, ImageType::kGenerated, ImageStatus::kPending);
  clock.Advance(500);

  ImagePatch details;
  details.title = "New title";
  details.description = "words";
  auto edited = images.Update(img.id, alice, details);
  REQUIRE(edited.ok());
  CHECK(edited->title == "New title");
  CHECK(edited->description == "words");
  CHECK(edited->status == ImageStatus::kPending);
  CHECK(edited->storage_key == img.storage_key);
  CHECK(edited->updated_at_ms == img.created_at_ms + 500);
  CHECK(edited->created_at_ms == img.created_at_ms);

  ImagePatch done;
  done.status = ImageStatus::kCompleted;
  done.thumbnail_key = "images/t.webp";
  done.width = 800;
  done.height = 600;
  done.format = "png";
  done.metadata = nlohmann::json{{"model", "m"}};
  auto completed = images.Update(img.id, alice, done);
  REQUIRE(completed.ok());
  CHECK(completed->title == "New title");  // the earlier edit survives
  CHECK(completed->IsReady());
  CHECK(completed->DisplayUrl() == "/api/images/" + img.id + "/thumbnail");
  CHECK(completed->metadata == nlohmann::json{{"model", "m"}});

  auto unchanged = images.Update(img.id, alice, ImagePatch{});
  REQUIRE(unchanged.ok());
  CHECK(unchanged->updated_at_ms == completed->updated_at_ms);

  ImagePatch negative;
  negative.coins_used = -1;
  CHECK(images.Update(img.id, alice, negative).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "Update with expected_status is a compare-and-set", "[images]") {
  Image img = Add(alice, ImageType::kGenerated, ImageStatus::kPending);
  ImagePatch claim;
  claim.status = ImageStatus::kProcessing;
  claim.expected_status = ImageStatus::kPending;
  REQUIRE(images.Update(img.id, alice, claim).ok());
  auto again = images.Update(img.id, alice, claim);  // a redelivered job
  CHECK(again.status().code() == Status::Code::kFailedPrecondition);
  CHECK(images.FindById(img.id)->status == ImageStatus::kProcessing);
  CHECK(images.Update("missing", alice, claim).status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Delete returns the removed row", "[images]") {
  Image img = Add(alice);
  auto removed = images.Delete(img.id, alice);
  REQUIRE(removed.ok());
  CHECK(removed->storage_key == img.storage_key);
  CHECK(images.FindById(img.id).status().code() == Status::Code::kNotFound);
  CHECK(images.Delete(img.id, alice).status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Deleting a user deletes their images", "[images]") {
  Image img = Add(alice);
  REQUIRE(users.Delete(alice).ok());
  CHECK(images.FindById(img.id).status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "ListByUser pages newest first with a total", "[images][pagination]") {
  std::vector<std::string> ids;  // oldest first
  for (int i = 0; i < 7; ++i) {
    clock.Advance(i % 3 == 0 ? 1 : 0);  // several share a millisecond: the id breaks the tie
    ids.push_back(Add(alice).id);
  }
  Add(bob);

  auto first = images.ListByUser(alice, {}, 3);
  REQUIRE(first.ok());
  CHECK(first->total == 7);
  REQUIRE(first->items.size() == 3);
  REQUIRE(first->next_cursor.has_value());

  const std::vector<std::string> listed = AllIds(alice, {}, 3);
  REQUIRE(listed.size() == 7);
  CHECK(std::set<std::string>(listed.begin(), listed.end()) == std::set<std::string>(ids.begin(), ids.end()));
  // Order: created_at DESC, then id DESC.
  for (size_t i = 1; i < listed.size(); ++i) {
    const Image a = *images.FindById(listed[i - 1]);
    const Image b = *images.FindById(listed[i]);
    CHECK((a.created_at_ms > b.created_at_ms || (a.created_at_ms == b.created_at_ms && a.id > b.id)));
  }

  auto exact = images.ListByUser(alice, {}, 7);
  REQUIRE(exact.ok());
  CHECK(exact->items.size() == 7);
  CHECK_FALSE(exact->next_cursor.has_value());  // no empty trailing page

  auto empty = images.ListByUser(MakeUser("new@example.com"), {}, 10);
  REQUIRE(empty.ok());
  CHECK(empty->items.empty());
  CHECK(empty->total == 0);
  CHECK_FALSE(empty->next_cursor.has_value());
}

TEST_CASE_METHOD(Fixture, "Pagination is stable when images are added between pages",
                 "[images][pagination]") {
  for (int i = 0; i < 5; ++i) {
    clock.Advance(1);
    Add(alice);
  }
  std::set<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = images.ListByUser(alice, {}, 2, cursor);
    REQUIRE(page.ok());
    for (const auto& img : page->items) CHECK(seen.insert(img.id).second);  // no repeats
    cursor = page->next_cursor;
    ++pages;
    clock.Advance(1);
    Add(alice);  // newer than everything listed: belongs before page one, never on later pages
  } while (cursor);
  CHECK(pages == 3);
  CHECK(seen.size() == 5);  // nothing skipped either
  CHECK(images.ListByUser(alice, {}, 2)->total == 8);
}

TEST_CASE_METHOD(Fixture, "ListByUser filters by type and status", "[images]") {
  Add(alice, ImageType::kUploaded, ImageStatus::kCompleted);
  Add(alice, ImageType::kGenerated, ImageStatus::kCompleted);
  Add(alice, ImageType::kGenerated, ImageStatus::kFailed);
  Add(alice, ImageType::kGenerated, ImageStatus::kPending);

  ImageFilter generated{ImageType::kGenerated, std::nullopt};
  CHECK(images.ListByUser(alice, generated, 10)->total == 3);
  ImageFilter completed{std::nullopt, ImageStatus::kCompleted};
  CHECK(images.ListByUser(alice, completed, 10)->total == 2);
  ImageFilter both{ImageType::kGenerated, ImageStatus::kFailed};
  auto failed = images.ListByUser(alice, both, 10);
  REQUIRE(failed.ok());
  CHECK(failed->total == 1);
  REQUIRE(failed->items.size() == 1);
  CHECK(failed->items[0].status == ImageStatus::kFailed);
  CHECK(AllIds(alice, generated, 1).size() == 3);
}

TEST_CASE_METHOD(Fixture, "ListByUser validates limit and cursor", "[images]") {
  CHECK(images.ListByUser(alice, {}, 0).status().code() == Status::Code::kInvalidArgument);
  CHECK(images.ListByUser(alice, {}, 101).status().code() == Status::Code::kInvalidArgument);
  CHECK(images.ListByUser(alice, {}, 100).ok());
  CHECK(images.ListByUser(alice, {}, 10, std::string("%%%")).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(images.ListByUser(alice, {}, 10, EncodePageCursor({5, "a'; DROP TABLE images;--"})).status().code() ==
        Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "Stats count by type and status, coins spent and bytes stored", "[images][stats]") {
  Add(alice, ImageType::kUploaded, ImageStatus::kCompleted, 1000);
  Add(alice, ImageType::kGenerated, ImageStatus::kCompleted, 2000, 10);
  Add(alice, ImageType::kGenerated, ImageStatus::kFailed, 0, 10);  // refunded: not spent
  Add(alice, ImageType::kGenerated, ImageStatus::kPending, 0, 10);
  Image thumb = Add(alice, ImageType::kGenerated, ImageStatus::kProcessing, 500, 10);
  ImagePatch p;
  p.thumbnail_size = 50;
  REQUIRE(images.Update(thumb.id, alice, p).ok());
  Add(bob, ImageType::kGenerated, ImageStatus::kCompleted, 99999, 10);

  auto s = images.Stats(alice);
  REQUIRE(s.ok());
  CHECK(s->total == 5);
  CHECK(s->generated == 4);
  CHECK(s->uploaded == 1);
  CHECK(s->pending == 1);
  CHECK(s->processing == 1);
  CHECK(s->completed == 2);
  CHECK(s->failed == 1);
  CHECK(s->coins_spent == 30);
  CHECK(s->bytes_stored == 3550);

  auto none = images.Stats(MakeUser("empty@example.com"));
  REQUIRE(none.ok());
  CHECK(none->ToJson() == ImageStats{}.ToJson());
}

}  // namespace
}  // namespace nb
