// The per-user counters (image_counts, kept by migrations/0004's triggers) against a recount of the
// images themselves, after every kind of change that moves them: inserts, status changes through a
// generation's completion, failure and refund, the sweeper, favourites, deletes single and bulk, and
// the quota-checked insert. Stats and list totals are read from the counters, so any drift shows here.
#include <algorithm>
#include <catch2/catch.hpp>

#include "generation/generation_worker.h"
#include "generation/sweeper.h"
#include "generation_fixture.h"
#include "repositories/search_query.h"
#include "services/image_service.h"

namespace nb {
namespace {

using testing::GenerationFixture;

void CheckCountersMatchRecount(ImageRepository& images, const std::string& user_id) {
  auto counted = images.Stats(user_id);
  auto recounted = images.RecountStats(user_id);
  REQUIRE(counted.ok());
  REQUIRE(recounted.ok());
  CHECK(counted->ToJson() == recounted->ToJson());
  CHECK(counted->favorites == recounted->favorites);
  auto bytes = images.StoredBytes(user_id);
  REQUIRE(bytes.ok());
  CHECK(*bytes == recounted->bytes_stored);
}

Image Uploaded(GenerationFixture& f, const std::string& user_id, int64_t size,
               const std::string& title = "") {
  Image draft;
  draft.user_id = user_id;
  draft.type = ImageType::kUploaded;
  draft.status = ImageStatus::kCompleted;
  draft.size = size;
  draft.thumbnail_size = size / 10;
  if (!title.empty()) draft.title = title;
  draft.storage_key = "images/" + user_id + "/" + std::to_string(size) + ".png";
  // The bytes too, as an upload stores them, so the coin and storage audit finds no row without its object.
  REQUIRE(f.objects
              .Put(*draft.storage_key, std::string(static_cast<size_t>(size), 'x'),
                   ObjectMetadata{"image/png", {}})
              .ok());
  auto image = f.images.Create(draft);
  INFO(image.status().ToString());
  REQUIRE(image.ok());
  return *image;
}

int64_t Total(GenerationFixture& f, const std::string& user_id, const ImageFilter& filter) {
  auto page = f.images.ListByUser(user_id, filter, 1);
  REQUIRE(page.ok());
  REQUIRE(page->total);
  return *page->total;
}

}  // namespace

TEST_CASE_METHOD(GenerationFixture,
                 "counters agree with a recount after generations complete, fail and are swept",
                 "[image_counts]") {
  User u = NewUser("counts@example.com", 1000);
  User other = NewUser("other@example.com", 1000);
  Uploaded(*this, u.id, 1000);
  Uploaded(*this, other.id, 5000);
  CheckCountersMatchRecount(images, u.id);

  // Completed: PENDING -> PROCESSING -> COMPLETED with coins settled and bytes stored.
  const std::string done = Started(u, "a ripe banana");
  CheckCountersMatchRecount(images, u.id);
  GeminiReturnsImage();
  CHECK(Deliver(TakeMessage()).action == JobOutcome::Action::kAck);
  CHECK(Load(done).status == ImageStatus::kCompleted);
  CheckCountersMatchRecount(images, u.id);

  // Failed for good: refunded, FAILED, no coins spent.
  const std::string blocked = Started(u, "a forbidden banana");
  GeminiAnswers(200, testing::GeminiFinishAnswer("IMAGE_SAFETY"));
  CHECK(Deliver(TakeMessage()).action == JobOutcome::Action::kAck);
  CHECK(Load(blocked).status == ImageStatus::kFailed);
  CheckCountersMatchRecount(images, u.id);

  // Stuck: the sweeper fails and refunds it.
  const std::string stuck = Started(u, "a slow banana");
  (void)TakeMessage();
  clock.Advance(3'600'000);
  CHECK(SweepStuckGenerations(ports, config, clock.NowMs()).refunded == 1);
  CheckCountersMatchRecount(images, u.id);

  // Deleted while it runs: the completion finds no row and stores nothing.
  const std::string raced = Started(u, "a deleted banana");
  const nlohmann::json message = TakeMessage();
  ImageService service(ports);
  REQUIRE(service.DeleteImage(raced, u.id).ok());
  CheckCountersMatchRecount(images, u.id);
  GeminiReturnsImage();
  (void)Deliver(message);
  CheckCountersMatchRecount(images, u.id);

  auto stats = images.Stats(u.id);
  REQUIRE(stats.ok());
  CHECK(stats->total == 4);
  CHECK(stats->completed == 2);
  CHECK(stats->failed == 2);
  CHECK(stats->coins_spent == 10);
  CheckCountersMatchRecount(images, other.id);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "favourites, deletes and bulk deletes move the counters exactly",
                 "[image_counts]") {
  User u = NewUser("fav@example.com");
  User other = NewUser("fav-other@example.com");
  std::vector<Image> made;
  for (int i = 1; i <= 6; ++i) made.push_back(Uploaded(*this, u.id, 100 * i));
  const Image theirs = Uploaded(*this, other.id, 777);

  ImagePatch star;
  star.favorite = true;
  REQUIRE(images.Update(made[0].id, u.id, star).ok());
  REQUIRE(images.Update(made[1].id, u.id, star).ok());
  REQUIRE(images.Update(made[1].id, u.id, star).ok());  // starring twice counts once
  CheckCountersMatchRecount(images, u.id);
  ImageFilter favorites;
  favorites.favorite_only = true;
  CHECK(Total(*this, u.id, favorites) == 2);
  CHECK(images.Update(theirs.id, u.id, star).status().IsNotFound());  // another user's: nothing moves
  CheckCountersMatchRecount(images, other.id);

  ImagePatch title_only;
  title_only.title = "renamed";
  REQUIRE(images.Update(made[0].id, u.id, title_only).ok());
  CheckCountersMatchRecount(images, u.id);

  ImageService service(ports);
  REQUIRE(service.DeleteImage(made[0].id, u.id).ok());
  CheckCountersMatchRecount(images, u.id);
  CHECK(Total(*this, u.id, favorites) == 1);

  // Bulk: own, duplicate-free ids plus someone else's; the other user's image stays.
  auto removed = service.DeleteImages({made[1].id, made[2].id, theirs.id, made[0].id}, u.id);
  REQUIRE(removed.ok());
  CHECK(removed->size() == 2);
  CheckCountersMatchRecount(images, u.id);
  CheckCountersMatchRecount(images, other.id);
  CHECK(images.FindById(theirs.id).ok());
  // Again: nothing more to delete.
  auto again = service.DeleteImages({made[1].id, made[2].id}, u.id);
  REQUIRE(again.ok());
  CHECK(again->empty());
  CHECK(Total(*this, u.id, ImageFilter{}) == 3);
  CHECK(Total(*this, u.id, favorites) == 0);

  // A user's deletion cascades to the counters.
  REQUIRE(users.Delete(other.id).ok());
  auto gone = images.Stats(other.id);
  REQUIRE(gone.ok());
  CHECK(gone->total == 0);
}

TEST_CASE_METHOD(GenerationFixture, "the quota-checked insert refuses the image that would pass it",
                 "[image_counts]") {
  User u = NewUser("quota@example.com");
  Image draft;
  draft.user_id = u.id;
  draft.type = ImageType::kUploaded;
  draft.status = ImageStatus::kCompleted;
  draft.size = 600;
  draft.thumbnail_size = 100;
  draft.storage_key = "images/" + u.id + "/a.png";
  REQUIRE(images.CreateWithinQuota(draft, 1000).ok());
  // 700 stored + 700 > 1000: refused, nothing written.
  auto refused = images.CreateWithinQuota(draft, 1000);
  CHECK(refused.status().IsPermissionDenied());
  CHECK(images.RecountStats(u.id)->total == 1);
  // Exactly at the quota is allowed.
  draft.size = 250;
  draft.thumbnail_size = 50;
  CHECK(images.CreateWithinQuota(draft, 1000).ok());
  CHECK(*images.StoredBytes(u.id) == 1000);
  CheckCountersMatchRecount(images, u.id);
}

TEST_CASE_METHOD(GenerationFixture,
                 "search finds words in any order, folding case and accents, paging by keyset",
                 "[image_counts][search]") {
  User u = NewUser("search@example.com");
  User other = NewUser("search-other@example.com");
  Uploaded(*this, u.id, 10, "Café au lait at dawn");
  clock.Advance(1000);
  Uploaded(*this, u.id, 20, "CAFE NOIR");
  clock.Advance(1000);
  Uploaded(*this, u.id, 30, "Tea garden");
  Uploaded(*this, other.id, 40, "cafe of someone else");

  auto search = [&](const std::string& q, int limit = 10, std::optional<std::string> cursor = std::nullopt) {
    ImageFilter filter;
    filter.match = FtsMatchExpression(q);
    REQUIRE(filter.match);
    auto page = images.ListByUser(u.id, filter, limit, cursor);
    INFO(page.status().ToString());
    REQUIRE(page.ok());
    CHECK_FALSE(page->total);  // a search is not counted
    return *page;
  };
  CHECK(search("cafe").items.size() == 2);
  CHECK(search("café").items.size() == 2);
  CHECK(search("dawn CAFÉ").items.size() == 1);  // any order, every word
  CHECK(search("caf").items.size() == 2);        // prefixes
  CHECK(search("tea").items.size() == 1);
  CHECK(search("\"NEAR\" * - cafe OR").items.empty());  // operators are words: "near" and "or" match nothing
  CHECK(search("title:cafe").items.empty());            // no column filters: "title" is a word too
  // Keyset paging through the matches, newest first.
  auto first = search("cafe", 1);
  REQUIRE(first.next_cursor);
  CHECK(first.items[0].title == std::optional<std::string>("CAFE NOIR"));
  auto second = search("cafe", 1, first.next_cursor);
  CHECK(second.items[0].title == std::optional<std::string>("Café au lait at dawn"));
  CHECK_FALSE(second.next_cursor);
  // Renaming reindexes.
  ImagePatch rename;
  rename.title = "Matcha";
  REQUIRE(images.Update(first.items[0].id, u.id, rename).ok());
  CHECK(search("cafe").items.size() == 1);
  CHECK(search("matcha").items.size() == 1);
}

TEST_CASE("search query: operators and quotes become plain words", "[search]") {
  CHECK(FtsMatchExpression("cafe") == std::optional<std::string>("\"cafe\"*"));
  CHECK(FtsMatchExpression("  Café  au-lait ") == std::optional<std::string>("\"Café\"* \"au\"* \"lait\"*"));
  CHECK(FtsMatchExpression("\"a\" NEAR(b c)") ==
        std::optional<std::string>("\"a\"* \"NEAR\"* \"b\"* \"c\"*"));
  CHECK_FALSE(FtsMatchExpression("\" * - ^ ( ) :"));
  CHECK_FALSE(FtsMatchExpression(""));
  // At most kMaxSearchWords words.
  const auto many = FtsMatchExpression("a b c d e f g h i j k l");
  REQUIRE(many);
  CHECK(std::count(many->begin(), many->end(), '*') == static_cast<long>(kMaxSearchWords));
}

}  // namespace nb
