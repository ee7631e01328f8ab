// Starting generations: the one-batch hold, the running-jobs limit, Idempotency-Key rules and the
// refund when the queue refuses the job.
#include "generation_fixture.h"

namespace nb {
namespace {

using testing::GenerationFixture;
using Kind = StartOutcome::Kind;

int64_t CountRows(Database& db, const std::string& table) {
  auto row = db.Prepare("SELECT COUNT(*) AS n FROM " + table).First();
  REQUIRE(row.ok());
  return (**row).GetInt64("n").value();
}

TEST_CASE_METHOD(GenerationFixture,
                 "a start holds the cost, writes a PENDING image and its job, and queues it",
                 "[generation]") {
  User u = NewUser("ana@example.com", 100);
  clock.Advance(1);  // the ledger lists newest first
  StartOutcome o = Start(u, Request("  a nano banana  ", "16:9"));
  REQUIRE(o.kind == Kind::kStarted);
  const Image& image = *o.image;
  CHECK(image.type == ImageType::kGenerated);
  CHECK(image.status == ImageStatus::kPending);
  CHECK(image.prompt == std::optional<std::string>("  a nano banana  "));  // trimming is the handler's job
  CHECK(image.aspect_ratio == std::optional<std::string>("16:9"));
  CHECK(image.coins_used == 10);
  CHECK(Load(image.id).status == ImageStatus::kPending);

  CHECK(Balance(u.id) == 90);
  auto ledger = Ledger(u.id);
  REQUIRE(ledger.size() == 2);
  CHECK(ledger[0].reason == "hold");
  CHECK(ledger[0].delta == -10);
  CHECK(ledger[0].image_id == std::optional<std::string>(image.id));
  CHECK(ledger[0].balance_after == 90);

  GenerationJob job = Job(image.id);
  CHECK(job.hold == HoldState::kOpen);
  CHECK(job.cost == 10);
  CHECK(job.attempts == 0);
  CHECK_FALSE(job.claim_token);
  CHECK(job.deadline_at_ms == clock.NowMs() + 600'000);

  nlohmann::json message = TakeMessage();
  CHECK(message == GenerateJobMessage(image.id, u.id));
  auto audit = CheckInvariants(u.id);
  CHECK(audit.open_holds == std::vector<std::string>{image.id});
}

TEST_CASE_METHOD(GenerationFixture, "a short balance writes nothing and queues nothing", "[generation]") {
  User u = NewUser("poor@example.com", 9);
  CHECK(Start(u, Request("x")).kind == Kind::kInsufficientCoins);
  CHECK(Balance(u.id) == 9);
  CHECK(Ledger(u.id).size() == 1);  // the signup bonus only
  CHECK(CountRows(*db, "images") == 0);
  CHECK(CountRows(*db, "generation_jobs") == 0);
  CHECK(queue.messages().empty());
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "coins for exactly three generations buy exactly three", "[generation]") {
  config.Set("GENERATION_MAX_RUNNING", "10");
  User u = NewUser("three@example.com", 30);
  int started = 0, refused = 0;
  for (int i = 0; i < 10; ++i) {
    StartOutcome o = Start(u, Request("p" + std::to_string(i)));
    started += o.kind == Kind::kStarted;
    refused += o.kind == Kind::kInsufficientCoins;
  }
  CHECK(started == 3);
  CHECK(refused == 7);
  CHECK(Balance(u.id) == 0);
  CHECK(queue.messages().size() == 3);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "the running-jobs limit refuses the next start atomically",
                 "[generation]") {
  User u = NewUser("busy@example.com", 100);
  for (int i = 0; i < 3; ++i) Started(u);
  StartOutcome fourth = Start(u, Request("one too many"));
  CHECK(fourth.kind == Kind::kTooManyRunning);
  CHECK(Balance(u.id) == 70);
  CHECK(CountRows(*db, "images") == 3);
  CHECK(queue.messages().size() == 3);
  // Another user is not limited by this one's jobs.
  User other = NewUser("other@example.com", 100);
  CHECK(Start(other, Request("fine")).kind == Kind::kStarted);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture,
                 "the same Idempotency-Key and body replays the image without a second charge",
                 "[generation]") {
  User u = NewUser("idem@example.com", 100);
  StartOutcome first = Start(u, Request("a fox", "3:2"), "key-1");
  REQUIRE(first.kind == Kind::kStarted);
  StartOutcome again = Start(u, Request("a fox", "3:2"), "key-1");
  CHECK(again.kind == Kind::kReplayed);
  CHECK(again.image->id == first.image->id);
  CHECK(Balance(u.id) == 90);
  CHECK(queue.messages().size() == 1);
  CHECK(Load(first.image->id).idempotency_key == std::optional<std::string>("generate:key-1"));

  SECTION("a different body under the same key is refused") {
    for (auto changed : {Request("a wolf", "3:2"), Request("a fox", "2:3"), Request("a fox"),
                         Request("a fox", "3:2", {std::string(32, 'a')})}) {
      CHECK(Start(u, changed, "key-1").kind == Kind::kKeyReused);
    }
    GenerationRequest titled = Request("a fox", "3:2");
    titled.title = "Fox";
    CHECK(Start(u, titled, "key-1").kind == Kind::kKeyReused);
    CHECK(Balance(u.id) == 90);
  }
  SECTION("keys are per user") {
    User v = NewUser("other@example.com", 100);
    CHECK(Start(v, Request("a fox", "3:2"), "key-1").kind == Kind::kStarted);
  }
  SECTION("a replay after the job finished returns the finished image") {
    GeminiReturnsImage();
    CHECK(Deliver(TakeMessage()).action == JobOutcome::Action::kAck);
    StartOutcome late = Start(u, Request("a fox", "3:2"), "key-1");
    CHECK(late.kind == Kind::kReplayed);
    CHECK(late.image->status == ImageStatus::kCompleted);
    CHECK(Balance(u.id) == 90);
  }
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "an upload's key does not replay as a generation", "[generation]") {
  User u = NewUser("up@example.com", 100);
  Image uploaded;
  uploaded.user_id = u.id;
  uploaded.type = ImageType::kUploaded;
  uploaded.status = ImageStatus::kCompleted;
  uploaded.idempotency_key = "k";
  REQUIRE(images.Create(uploaded).ok());
  CHECK(Start(u, Request("x"), "k").kind == Kind::kStarted);
}

TEST_CASE_METHOD(GenerationFixture, "a refused enqueue fails the image and refunds on the spot",
                 "[generation]") {
  User u = NewUser("q@example.com", 100, "es");
  queue.set_fail_sends(true);
  StartOutcome o = Start(u, Request("x"));
  REQUIRE(o.kind == Kind::kEnqueueFailed);
  REQUIRE(o.image);
  CHECK(o.image->status == ImageStatus::kFailed);
  CHECK(o.image->coins_used == 0);
  CHECK(o.image->error ==
        std::optional<std::string>("Algo salió mal de nuestro lado. Te devolvimos las monedas."));
  CHECK(Balance(u.id) == 100);
  CHECK(LedgerCount(u.id, "refund") == 1);
  CHECK(Job(o.image->id).hold == HoldState::kRefunded);
  auto audit = CheckInvariants(u.id);
  CHECK(audit.open_holds.empty());
}

TEST_CASE_METHOD(GenerationFixture,
                 "deleting the image does not free its Idempotency-Key for a second charge",
                 "[generation][idempotency]") {
  User u = NewUser("del@example.com", 100);
  StartOutcome first = Start(u, Request("a fox", "3:2"), "key-d");
  REQUIRE(first.kind == Kind::kStarted);
  GeminiReturnsImage();
  REQUIRE(Deliver(TakeMessage()).action == JobOutcome::Action::kAck);
  // The user deletes the image: its row and its bytes go.
  const Image made = Load(first.image->id);
  REQUIRE(made.storage_key);
  REQUIRE(made.thumbnail_key);
  REQUIRE(objects.Delete({*made.storage_key, *made.thumbnail_key}).ok());
  REQUIRE(images.Delete(first.image->id, u.id).ok());
  CHECK(Balance(u.id) == 90);

  StartOutcome again = Start(u, Request("a fox", "3:2"), "key-d");
  CHECK(again.kind == Kind::kReplayedDeleted);
  CHECK_FALSE(again.image);
  CHECK(Balance(u.id) == 90);  // never a second charge
  CHECK(LedgerCount(u.id, "hold") == 1);
  CHECK(queue.messages().empty());
  // A different body under the deleted image's key is still a reuse, not a fresh start.
  CHECK(Start(u, Request("a wolf"), "key-d").kind == Kind::kKeyReused);
  GenerationService service(ports, GenerationSettings::FromConfig(config));
  auto found = service.FindReplay(u, Request("a fox", "3:2"), "key-d");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->kind == Kind::kReplayedDeleted);
  auto unused = service.FindReplay(u, Request("a fox", "3:2"), "never-used");
  REQUIRE(unused.ok());
  CHECK_FALSE(unused->has_value());
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture,
                 "a send that fails after the message was delivered answers started, charged once",
                 "[generation][enqueue]") {
  User u = NewUser("late@example.com", 100);
  GeminiReturnsImage();
  std::optional<JobOutcome> delivered;
  // The consumer claims and finishes the job before the send's error reaches the request.
  queue.set_fail_after_keep([&](const nlohmann::json& message) { delivered = Deliver(message); });
  StartOutcome o = Start(u, Request("x"));
  REQUIRE(delivered);
  CHECK(delivered->action == JobOutcome::Action::kAck);
  CHECK(o.kind == Kind::kStarted);  // not a 503 for a job that ran and was paid for
  REQUIRE(o.image);
  CHECK(Load(o.image->id).status == ImageStatus::kCompleted);
  CHECK(Balance(u.id) == 90);
  CHECK(LedgerCount(u.id, "refund") == 0);
  CHECK(CheckInvariants(u.id).open_holds.empty());
}

TEST_CASE_METHOD(GenerationFixture,
                 "a send that fails after enqueueing, before any delivery, refunds and the late delivery "
                 "does nothing",
                 "[generation][enqueue]") {
  User u = NewUser("undelivered@example.com", 100);
  queue.set_fail_after_keep([](const nlohmann::json&) {});
  StartOutcome o = Start(u, Request("x"));
  CHECK(o.kind == Kind::kEnqueueFailed);
  CHECK(Balance(u.id) == 100);
  // The message was on the queue after all: its delivery finds the job refunded and runs nothing.
  CHECK(Deliver(TakeMessage()).action == JobOutcome::Action::kAck);
  CHECK(Balance(u.id) == 100);
  CHECK(Load(o.image->id).status == ImageStatus::kFailed);
  CHECK(CheckInvariants(u.id).open_holds.empty());
}

TEST_CASE("the canonical request text is stable and tells requests apart", "[generation]") {
  GenerationRequest a = GenerationFixture::Request("p", "1:1", {"x"});
  GenerationRequest b = GenerationFixture::Request("p", "1:1", {"x"});
  CHECK(a.CanonicalText() == b.CanonicalText());
  b.reference_ids = {};
  CHECK(a.CanonicalText() != b.CanonicalText());
  b = a;
  b.title = "t";
  CHECK(a.CanonicalText() != b.CanonicalText());
}

}  // namespace
}  // namespace nb
