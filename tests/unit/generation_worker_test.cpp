// The queue consumer: success, references, retries with backoff, final failures with one refund,
// duplicate and late deliveries, lease takeover, deleted images, no provider.
#include "generation/failure_reasons.h"
#include "generation_fixture.h"
#include "services/image_service.h"
#include "util/hex.h"

namespace nb {
namespace {

using testing::GenerationFixture;
using Action = JobOutcome::Action;
namespace reason = generation_reason;

nlohmann::json LastGeminiBody(const ScriptedHttpClient& http) {
  REQUIRE_FALSE(http.requests().empty());
  auto body = nlohmann::json::parse(http.requests().back().body, nullptr, false);
  REQUIRE(body.is_object());
  return body;
}

TEST_CASE_METHOD(GenerationFixture,
                 "a delivered job ends COMPLETED with the image stored and the hold settled",
                 "[generation]") {
  User u = NewUser("ok@example.com", 100);
  const std::string id = Started(u, "a banana on the moon", "16:9");
  const std::string png = GeminiReturnsImage(96, 54, 9);
  JobOutcome outcome = Deliver(TakeMessage());
  CHECK(outcome.action == Action::kAck);
  CHECK(http.AllConsumed());

  const nlohmann::json sent = LastGeminiBody(http);
  CHECK(sent["contents"][0]["parts"][0]["text"] == "a banana on the moon");
  CHECK(sent["generationConfig"]["imageConfig"]["aspectRatio"] == "16:9");

  Image image = Load(id);
  CHECK(image.status == ImageStatus::kCompleted);
  CHECK(image.width == std::optional<int64_t>(96));
  CHECK(image.height == std::optional<int64_t>(54));
  CHECK(image.format == std::optional<std::string>("png"));
  CHECK(image.content_type == std::optional<std::string>("image/png"));
  CHECK(image.size == std::optional<int64_t>(static_cast<int64_t>(png.size())));
  auto digest = crypto.Sha256(png);
  REQUIRE(digest.ok());
  CHECK(image.sha256 == std::optional<std::string>(HexEncode(*digest)));
  CHECK(image.coins_used == 10);
  CHECK_FALSE(image.error);
  CHECK(image.metadata["model"] == "gemini-2.5-flash-image");
  CHECK(image.metadata["modelVersion"] == "gemini-2.5-flash-image");
  CHECK(image.metadata["usage"]["totalTokenCount"] == 1304);
  CHECK(image.metadata["latencyMs"].is_number_integer());
  CHECK(image.metadata["attempts"] == 1);
  CHECK_FALSE(image.metadata.contains("placeholder"));

  REQUIRE(image.storage_key);
  auto stored = objects.Get(*image.storage_key);
  REQUIRE(stored.ok());
  REQUIRE(*stored);
  CHECK((*stored)->bytes == png);
  REQUIRE(image.thumbnail_key);
  CHECK(*image.thumbnail_key != *image.storage_key);
  auto thumb = objects.Head(*image.thumbnail_key);
  REQUIRE(thumb.ok());
  CHECK(thumb->has_value());

  CHECK(Job(id).hold == HoldState::kSettled);
  CHECK(Balance(u.id) == 90);
  CHECK(LedgerCount(u.id, "hold") == 1);
  CHECK(LedgerCount(u.id, "refund") == 0);
  auto audit = CheckInvariants(u.id);
  CHECK(audit.open_holds.empty());
  CHECK(audit.objects.size() == 2);
}

TEST_CASE_METHOD(GenerationFixture, "an edit sends every reference's stored bytes with its type",
                 "[generation]") {
  User u = NewUser("edit@example.com", 100);
  std::vector<std::string> ids, pngs;
  for (uint8_t seed : {1, 2}) {
    ids.push_back(Started(u, "source"));
    pngs.push_back(GeminiReturnsImage(32, 24, seed));
    REQUIRE(Deliver(TakeMessage()).action == Action::kAck);
  }
  StartOutcome edit = Start(u, Request("merge them", std::nullopt, ids));
  REQUIRE(edit.kind == StartOutcome::Kind::kStarted);
  CHECK(edit.image->parent_image_ids == ids);
  GeminiReturnsImage(40, 30, 3);
  REQUIRE(Deliver(TakeMessage()).action == Action::kAck);

  const nlohmann::json parts = LastGeminiBody(http)["contents"][0]["parts"];
  REQUIRE(parts.size() == 3);
  CHECK(parts[0]["text"] == "merge them");
  for (int i = 0; i < 2; ++i) {
    CHECK(parts[i + 1]["inline_data"]["mime_type"] == "image/png");
    CHECK(Base64Decode(parts[i + 1]["inline_data"]["data"].get<std::string>()) == pngs[i]);
  }
  CHECK_FALSE(LastGeminiBody(http)["generationConfig"].contains("imageConfig"));
  CHECK(Load(edit.image->id).status == ImageStatus::kCompleted);
  CHECK(Balance(u.id) == 70);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "429 retries after RetryInfo's delay and then completes, charged once",
                 "[generation]") {
  User u = NewUser("quota@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  GeminiAnswers(429, testing::GeminiQuotaError("37s"));
  JobOutcome first = Deliver(message, 1);
  CHECK(first.action == Action::kRetry);
  CHECK(first.delay_seconds >= 37);  // honoured, although the backoff alone would be ~10 s
  CHECK(Load(id).status == ImageStatus::kPending);
  GenerationJob waiting = Job(id);
  CHECK(waiting.hold == HoldState::kOpen);
  CHECK_FALSE(waiting.claim_token);
  CHECK(waiting.attempts == 1);
  // The sweeper does not mistake the wait for being stuck.
  CHECK(waiting.deadline_at_ms >= clock.NowMs() + first.delay_seconds * 1000 + 600'000);
  CheckInvariants(u.id);

  clock.Advance(first.delay_seconds * 1000);
  GeminiReturnsImage();
  CHECK(Deliver(message, 2).action == Action::kAck);
  Image image = Load(id);
  CHECK(image.status == ImageStatus::kCompleted);
  CHECK(image.metadata["attempts"] == 2);
  CHECK(Balance(u.id) == 90);
  CHECK(LedgerCount(u.id, "hold") == 1);
  CHECK(LedgerCount(u.id, "refund") == 0);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "backoff grows with each attempt", "[generation]") {
  User u = NewUser("backoff@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  int previous = 0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    GeminiAnswers(
        503, testing::GeminiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));
    JobOutcome o = Deliver(message, attempt);
    REQUIRE(o.action == Action::kRetry);
    CHECK(o.delay_seconds >= 10 << (attempt - 1));
    CHECK(o.delay_seconds <= (10 << (attempt - 1)) * 5 / 4);
    CHECK(o.delay_seconds > previous);
    previous = o.delay_seconds;
  }
  CHECK(Job(id).attempts == 3);
}

TEST_CASE_METHOD(GenerationFixture, "a safety block fails the image with a localised reason and refunds once",
                 "[generation]") {
  User u = NewUser("es@example.com", 100, "es");
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  GeminiAnswers(200, testing::GeminiFinishAnswer("IMAGE_SAFETY"));
  CHECK(Deliver(message).action == Action::kAck);

  Image image = Load(id);
  CHECK(image.status == ImageStatus::kFailed);
  CHECK(image.error ==
        std::optional<std::string>(
            "Los filtros de seguridad del modelo bloquearon la imagen. Te devolvimos las monedas."));
  CHECK(image.metadata["errorKey"] == reason::kImageBlocked);
  CHECK(image.coins_used == 0);
  CHECK_FALSE(image.storage_key);
  CHECK(Balance(u.id) == 100);
  CHECK(LedgerCount(u.id, "refund") == 1);
  CHECK(Job(id).hold == HoldState::kRefunded);

  // Late and duplicate deliveries change nothing and call nobody.
  CHECK(Deliver(message, 1).action == Action::kAck);
  CHECK(Deliver(message, 2).action == Action::kAck);
  CHECK(http.requests().size() == 1);
  CHECK(Balance(u.id) == 100);
  CHECK(LedgerCount(u.id, "refund") == 1);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "a blocked prompt and a text-only answer are final too", "[generation]") {
  User u = NewUser("blocked@example.com", 100);
  const std::string a = Started(u);
  GeminiAnswers(200, testing::GeminiBlockedPrompt("PROHIBITED_CONTENT"));
  CHECK(Deliver(TakeMessage()).action == Action::kAck);
  const std::string b = Started(u);
  GeminiAnswers(200, testing::GeminiTextOnly("I cannot draw that."));
  CHECK(Deliver(TakeMessage()).action == Action::kAck);
  CHECK(Load(a).metadata["errorKey"] == reason::kPromptBlocked);
  CHECK(Load(b).metadata["errorKey"] == reason::kNoImage);
  CHECK(Load(a).error ==
        std::optional<std::string>(
            "The prompt was blocked by the image model's safety filters. Your coins were refunded."));
  CHECK(Balance(u.id) == 100);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "500 forever retries until the last attempt, then fails and refunds once",
                 "[generation]") {
  User u = NewUser("down@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  for (int attempt = 1; attempt <= 4; ++attempt) {  // GENERATION_MAX_ATTEMPTS is 4 here
    GeminiAnswers(500, testing::GeminiError(500, "INTERNAL", "An internal error has occurred."));
    JobOutcome o = Deliver(message, attempt);
    if (attempt < 4) {
      CHECK(o.action == Action::kRetry);
      CHECK(Load(id).status == ImageStatus::kPending);
      CHECK(Balance(u.id) == 90);
      clock.Advance(o.delay_seconds * 1000);
    } else {
      CHECK(o.action == Action::kAck);  // handled: no dead letter with coins still held
    }
    CheckInvariants(u.id);
  }
  Image image = Load(id);
  CHECK(image.status == ImageStatus::kFailed);
  CHECK(image.metadata["errorKey"] == reason::kProviderUnavailable);
  CHECK(image.metadata["attempts"] == 4);
  CHECK(Balance(u.id) == 100);
  CHECK(LedgerCount(u.id, "refund") == 1);
  CHECK(http.requests().size() == 4);
  // The queue may still deliver a copy: nothing more happens.
  CHECK(Deliver(message, 1).action == Action::kAck);
  CHECK(http.requests().size() == 4);
  CHECK(LedgerCount(u.id, "refund") == 1);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "a network failure or timeout is retried", "[generation]") {
  User u = NewUser("net@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  http.ExpectFailure("POST", testing::kGeminiUrl,
                     Status::Unavailable("fetch gemini.test failed: TimeoutError"));
  CHECK(Deliver(message, 1).action == Action::kRetry);
  GeminiReturnsImage();
  CHECK(Deliver(message, 2).action == Action::kAck);
  CHECK(Load(id).status == ImageStatus::kCompleted);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "a duplicate delivery while the job runs waits, then finds it finished",
                 "[generation]") {
  User u = NewUser("dup@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  // Simulate the first delivery mid-flight: it holds the claim.
  auto claimed = jobs.Claim(id, "first-delivery", 300'000, clock.NowMs() + 600'000);
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  JobOutcome duplicate = Deliver(message, 1);
  CHECK(duplicate.action == Action::kRetry);
  // Back when the holder has likely finished, and never later than its lease (300 s) runs out.
  CHECK(duplicate.delay_seconds >= 1);
  CHECK(duplicate.delay_seconds <= 300);
  CHECK(duplicate.delay_seconds <= 301);
  CHECK(http.requests().empty());  // the duplicate never called the provider

  // The first delivery finishes.
  auto stored_image = Load(id);
  ImageService service(ports);
  const std::string png = testing::MakePng(8, 8);
  auto probe = ProbeImage(png);
  REQUIRE(probe.ok());
  auto stored = service.StoreOriginalAndThumbnail(u.id, "g.png", png, *probe);
  REQUIRE(stored.ok());
  auto done = jobs.Complete(Job(id), "first-delivery", stored->ToPatch());
  REQUIRE(done.ok());
  REQUIRE(*done);
  const int64_t finished_at = Load(id).updated_at_ms;

  clock.Advance(2000);
  CHECK(Deliver(message, 2).action == Action::kAck);
  CHECK(Load(id).updated_at_ms == finished_at);
  CHECK(http.requests().empty());
  CHECK(Balance(u.id) == 90);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture,
                 "a delivery whose claim outlived its lease is taken over; the loser cleans up",
                 "[generation]") {
  User u = NewUser("lease@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  auto claimed = jobs.Claim(id, "dead-delivery", 300'000, clock.NowMs() + 600'000);
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  clock.Advance(300'001);
  GeminiReturnsImage(20, 20, 4);
  CHECK(Deliver(message, 2).action == Action::kAck);
  CHECK(Load(id).status == ImageStatus::kCompleted);
  CHECK(Job(id).attempts == 2);

  // The presumed-dead delivery wakes up and tries to complete: nothing is written.
  auto late = jobs.Complete(*claimed.value(), "dead-delivery", ImagePatch{});
  REQUIRE(late.ok());
  CHECK_FALSE(*late);
  CHECK(Balance(u.id) == 90);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "an image deleted before its job ran is refunded, not generated",
                 "[generation]") {
  User u = NewUser("del@example.com", 100, "es");
  const std::string id = Started(u);
  ImageService service(ports);
  REQUIRE(service.DeleteImage(id, u.id).ok());
  CHECK(Deliver(TakeMessage()).action == Action::kAck);
  CHECK(http.requests().empty());
  CHECK(Job(id).hold == HoldState::kRefunded);
  CHECK(Balance(u.id) == 100);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "a reference deleted before the job ran fails it with a refund",
                 "[generation]") {
  User u = NewUser("ref@example.com", 100);
  const std::string source = Started(u);
  GeminiReturnsImage();
  REQUIRE(Deliver(TakeMessage()).action == Action::kAck);
  StartOutcome edit = Start(u, Request("edit", "1:1", {source}));
  REQUIRE(edit.kind == StartOutcome::Kind::kStarted);
  ImageService service(ports);
  REQUIRE(service.DeleteImage(source, u.id).ok());
  CHECK(Deliver(TakeMessage()).action == Action::kAck);
  Image failed = Load(edit.image->id);
  CHECK(failed.status == ImageStatus::kFailed);
  CHECK(failed.metadata["errorKey"] == reason::kReferenceMissing);
  CHECK(Balance(u.id) == 90);  // the source stays paid for; the edit is refunded
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "an answer that is not an image is retried, never stored",
                 "[generation]") {
  User u = NewUser("junk@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  GeminiAnswers(200, testing::GeminiImageAnswer("definitely not a png"));
  CHECK(Deliver(message, 1).action == Action::kRetry);
  CHECK(objects.size() == 0);
  GeminiReturnsImage();
  CHECK(Deliver(message, 2).action == Action::kAck);
  CHECK(Load(id).status == ImageStatus::kCompleted);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "without a provider a queued job fails with a refund", "[generation]") {
  User u = NewUser("nokey@example.com", 100);
  const std::string id = Started(u);
  Config staging(std::map<std::string, std::string>{{"DEV_LOGIN", "false"}});
  CHECK(HandleGenerateJob(ports, staging, TakeMessage(), 1).action == Action::kAck);
  CHECK(Load(id).metadata["errorKey"] == reason::kUnavailable);
  CHECK(Balance(u.id) == 100);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "the dev placeholder draws the requested shape and says so",
                 "[generation]") {
  User u = NewUser("dev@example.com", 100);
  const std::string id = Started(u, "offline", "16:9");
  Config dev(std::map<std::string, std::string>{{"DEV_LOGIN", "true"}});
  CHECK(HandleGenerateJob(ports, dev, TakeMessage(), 1).action == Action::kAck);
  Image image = Load(id);
  CHECK(image.status == ImageStatus::kCompleted);
  CHECK(image.metadata["placeholder"] == true);
  CHECK(image.metadata["model"] == "placeholder");
  REQUIRE(image.width);
  REQUIRE(image.height);
  CHECK(*image.width > *image.height);
  CHECK(http.requests().empty());
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "malformed messages are acknowledged and change nothing",
                 "[generation]") {
  for (const nlohmann::json& body :
       {nlohmann::json(nullptr), nlohmann::json({{"type", "generate"}}), nlohmann::json({{"imageId", 5}}),
        nlohmann::json({{"imageId", "../../etc"}}), nlohmann::json({{"imageId", std::string(32, 'f')}})}) {
    CHECK(Deliver(body).action == Action::kAck);
  }
  CHECK(http.requests().empty());
}

}  // namespace
}  // namespace nb
