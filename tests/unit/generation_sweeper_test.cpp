// The sweeper, the App's wiring of queue and cron, and the coin invariants under an adversarial mix
// of deliveries, duplicates, failures and sweeps.
#include "app/app.h"
#include "generation/sweeper.h"
#include "generation_fixture.h"
#include "services/image_service.h"

namespace nb {
namespace {

using testing::GenerationFixture;
using Action = JobOutcome::Action;

TEST_CASE_METHOD(GenerationFixture,
                 "a job with no progress past its deadline is failed and refunded exactly once",
                 "[generation][sweeper]") {
  User u = NewUser("stuck@example.com", 100, "es");
  const std::string stuck = Started(u);
  (void)TakeMessage();  // its message is lost
  clock.Advance(5 * 60'000);
  const std::string fresh = Started(u);

  SweepReport early = SweepStuckGenerations(ports, config, clock.NowMs());
  CHECK(early.overdue == 0);
  CHECK(Balance(u.id) == 80);

  clock.Advance(5 * 60'000 + 1);  // stuck is 10 min old, fresh 5
  SweepReport report = SweepStuckGenerations(ports, config, clock.NowMs());
  CHECK(report.overdue == 1);
  CHECK(report.refunded == 1);
  CHECK(report.errors == 0);
  Image image = Load(stuck);
  CHECK(image.status == ImageStatus::kFailed);
  CHECK(image.error ==
        std::optional<std::string>("La generación tardó demasiado y se detuvo. Te devolvimos las monedas."));
  CHECK(Load(fresh).status == ImageStatus::kPending);
  CHECK(Balance(u.id) == 90);

  SweepReport again = SweepStuckGenerations(ports, config, clock.NowMs() + 3'600'000);
  CHECK(again.refunded == 1);  // fresh is overdue by now; stuck is not refunded twice
  CHECK(Balance(u.id) == 100);
  CHECK(LedgerCount(u.id, "refund") == 2);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture,
                 "a delivery that outlives the sweeper finds its job failed and keeps nothing",
                 "[generation][sweeper]") {
  User u = NewUser("slow@example.com", 100);
  const std::string id = Started(u);
  const nlohmann::json message = TakeMessage();
  auto claimed = jobs.Claim(id, "slow-delivery", 300'000, clock.NowMs() + 600'000);
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  clock.Advance(600'001);
  CHECK(SweepStuckGenerations(ports, config, clock.NowMs()).refunded == 1);

  // The slow delivery stores its image, then loses the race to complete.
  ImageService service(ports);
  const std::string png = testing::MakePng(8, 8);
  auto probe = ProbeImage(png);
  REQUIRE(probe.ok());
  auto stored = service.StoreOriginalAndThumbnail(u.id, "g.png", png, *probe);
  REQUIRE(stored.ok());
  auto completed = jobs.Complete(**claimed, "slow-delivery", stored->ToPatch());
  REQUIRE(completed.ok());
  CHECK_FALSE(*completed);
  REQUIRE(service.DeleteStored(*stored).ok());
  CHECK(Load(id).status == ImageStatus::kFailed);

  // And a redelivery of its message does nothing either.
  CHECK(Deliver(message, 3).action == Action::kAck);
  CHECK(http.requests().empty());
  CHECK(Balance(u.id) == 100);
  CheckInvariants(u.id);
}

TEST_CASE_METHOD(GenerationFixture, "the sweeper leaves a job alone once a delivery claims it",
                 "[generation][sweeper]") {
  User u = NewUser("race@example.com", 100);
  const std::string id = Started(u);
  clock.Advance(600'001);
  auto overdue = jobs.ListOverdue(clock.NowMs(), 10);
  REQUIRE(overdue.ok());
  REQUIRE(overdue->size() == 1);
  // Between the sweeper's read and its write, a delivery claims the job (moving the deadline).
  auto claimed = jobs.Claim(id, "delivery", 300'000, clock.NowMs() + 600'000);
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  auto refunded = jobs.FailAndRefund(overdue->front(), JobGuard::Overdue(clock.NowMs()), ImagePatch{});
  REQUIRE(refunded.ok());
  CHECK_FALSE(*refunded);
  CHECK(Job(id).hold == HoldState::kOpen);
  CHECK(Balance(u.id) == 90);
}

TEST_CASE_METHOD(GenerationFixture, "settle and refund exclude each other and never repeat", "[generation]") {
  User u = NewUser("once@example.com", 100);
  const std::string id = Started(u);
  auto claimed = jobs.Claim(id, "t", 300'000, clock.NowMs() + 600'000);
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  ImagePatch done;
  done.storage_key = "images/x";  // referenced but absent: fine for this repository-level check
  auto completed = jobs.Complete(**claimed, "t", done);
  REQUIRE(completed.ok());
  REQUIRE(*completed);
  for (const JobGuard& guard :
       {JobGuard::ClaimedBy("t"), JobGuard::Overdue(clock.NowMs() + 10'000'000), JobGuard::Unclaimed()}) {
    auto refunded = jobs.FailAndRefund(**claimed, guard, ImagePatch{});
    REQUIRE(refunded.ok());
    CHECK_FALSE(*refunded);
  }
  CHECK(Load(id).status == ImageStatus::kCompleted);
  CHECK(Balance(u.id) == 90);

  const std::string other = Started(u);
  auto c2 = jobs.Claim(other, "u", 300'000, clock.NowMs() + 600'000);
  REQUIRE(c2.ok());
  REQUIRE(*c2);
  auto first = jobs.FailAndRefund(**c2, JobGuard::ClaimedBy("u"), ImagePatch{});
  auto second = jobs.FailAndRefund(**c2, JobGuard::Overdue(clock.NowMs() + 10'000'000), ImagePatch{});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first);
  CHECK_FALSE(*second);
  auto late_complete = jobs.Complete(**c2, "u", ImagePatch{});
  REQUIRE(late_complete.ok());
  CHECK_FALSE(*late_complete);
  CHECK(Balance(u.id) == 90);
  CHECK(LedgerCount(u.id, "refund") == 1);
}

TEST_CASE_METHOD(GenerationFixture,
                 "the App routes generate messages to the consumer and cron ticks to the sweeper",
                 "[generation][app]") {
  User u = NewUser("app@example.com", 100);
  const std::string done = Started(u);
  const nlohmann::json message = TakeMessage();
  const std::string stuck = Started(u);
  (void)TakeMessage();
  App app(ports, config);
  GeminiReturnsImage();
  nlohmann::json decisions = app.HandleQueue(
      {{"queue", "generation-jobs-dev"}, {"messages", {{{"id", "m1"}, {"attempts", 1}, {"body", message}}}}});
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["id"] == "m1");
  CHECK(decisions[0]["action"] == "ack");
  CHECK(Load(done).status == ImageStatus::kCompleted);

  GeminiAnswers(503, testing::GeminiError(503, "UNAVAILABLE", "overloaded"));
  const nlohmann::json again = GenerateJobMessage(stuck, u.id);
  decisions = app.HandleQueue({{"messages", {{{"id", "m2"}, {"attempts", 1}, {"body", again}}}}});
  CHECK(decisions[0]["action"] == "retry");
  CHECK(decisions[0]["delaySeconds"].get<int>() >= 10);

  app.HandleScheduled({{"cron", "*/5 * * * *"}, {"scheduledTime", clock.NowMs() + 24 * 3'600'000}});
  CHECK(Load(stuck).status == ImageStatus::kFailed);
  CHECK(Balance(u.id) == 90);
  CheckInvariants(u.id);
}

// Seeded random interleavings of everything that can happen to jobs; the invariants hold after each step.
TEST_CASE_METHOD(GenerationFixture,
                 "coin invariants hold under random deliveries, duplicates, failures and sweeps",
                 "[generation][invariants]") {
  config.Set("GENERATION_MAX_RUNNING", "100");
  std::vector<User> people = {NewUser("p1@example.com", 60), NewUser("p2@example.com", 35, "es")};
  std::vector<std::pair<nlohmann::json, int>> inbox;  // messages and their delivery counts
  SeededRandom dice(2024);
  auto roll = [&](int n) { return static_cast<int>(dice.Next() % static_cast<uint64_t>(n)); };
  // What the walk did, so it cannot pass by never reaching the interesting paths.
  int started = 0, retried = 0, acked = 0, swept_refunds = 0;
  std::vector<std::string> ids;
  for (int step = 0; step < 300; ++step) {
    const User& who = people[roll(2)];
    switch (roll(7)) {
      case 0:
      case 1: {  // a start (maybe refused for coins)
        GenerationService service(ports, GenerationSettings::FromConfig(config));
        auto o = service.Start(
            who, Request("p" + std::to_string(step)),
            roll(3) == 0 ? std::optional<std::string>("k" + std::to_string(roll(4))) : std::nullopt);
        REQUIRE(o.ok());
        for (auto& m : queue.Drain()) {
          inbox.push_back({m.body, 0});
          ids.push_back(m.body.value("imageId", ""));
          ++started;
        }
        break;
      }
      case 2:
      case 3:
      case 4: {  // a delivery (or redelivery) of some message, with a random provider answer
        if (inbox.empty()) break;
        auto& [body, count] = inbox[roll(static_cast<int>(inbox.size()))];
        switch (roll(5)) {
          case 0: GeminiAnswers(500, testing::GeminiError(500, "INTERNAL", "x")); break;
          case 1: GeminiAnswers(200, testing::GeminiFinishAnswer("IMAGE_SAFETY")); break;
          case 2: GeminiAnswers(429, testing::GeminiQuotaError("3s")); break;
          default: GeminiReturnsImage(16, 16, static_cast<uint8_t>(step)); break;
        }
        const size_t before = http.requests().size();
        ++count;
        (Deliver(body, std::min(count, 4)).action == Action::kRetry ? retried : acked)++;
        // An answer the consumer did not ask for (job finished or claimed) must not linger.
        if (http.requests().size() == before) {
          REQUIRE(http.remaining() == 1);
          // Consume the unasked-for answer; only its removal matters, not what it says.
          (void)http.Fetch(HttpRequest{"POST", testing::kGeminiUrl, {}, "", 0});
        }
        break;
      }
      case 5:  // time passes
        clock.Advance(roll(400) * 1000);
        break;
      case 6: swept_refunds += SweepStuckGenerations(ports, config, clock.NowMs()).refunded; break;
    }
    for (const User& p : people) {
      auto audit = AuditUser(ports, p.id);
      REQUIRE(audit.ok());
      INFO("step " << step << ": " << JsonText(audit->ToJson()));
      REQUIRE(audit->Consistent());
    }
  }
  // Drain: eventually every job is settled or refunded.
  clock.Advance(24 * 3'600'000);
  swept_refunds += SweepStuckGenerations(ports, config, clock.NowMs()).refunded;
  int64_t holds = 0, refunds = 0;
  for (const User& p : people) {
    auto audit = AuditUser(ports, p.id);
    REQUIRE(audit.ok());
    CHECK(audit->Consistent());
    CHECK(audit->open_holds.empty());
    holds += LedgerCount(p.id, "hold");
    refunds += LedgerCount(p.id, "refund");
  }
  int completed = 0, failed = 0, unfinished = 0;
  for (const std::string& id : ids) {
    const ImageStatus status = Load(id).status;
    if (status == ImageStatus::kCompleted) ++completed;
    else if (status == ImageStatus::kFailed) ++failed;
    else ++unfinished;
  }
  INFO("started " << started << ", retried " << retried << ", acked " << acked << ", swept " << swept_refunds
                  << ", holds " << holds << ", refunds " << refunds << ", completed " << completed
                  << ", failed " << failed << ", unfinished " << unfinished);
  // Each job ended exactly one way (a completed image kept its hold, a failed one was refunded once),
  // and the walk reached every ending: completed, failed by a delivery, retried, and swept.
  CHECK(holds == started);
  CHECK(unfinished == 0);
  CHECK(completed + failed == started);
  CHECK(refunds == failed);
  CHECK(completed > 0);
  CHECK(refunds > swept_refunds);  // some refunds came from deliveries (safety, final errors)...
  CHECK(swept_refunds > 0);        // ...and some from the sweeper
  CHECK(retried > 0);
  CHECK(acked > started);          // duplicates and late copies were delivered and acknowledged too
}

}  // namespace
}  // namespace nb
