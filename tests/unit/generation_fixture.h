// A whole generation pipeline on native ports: SQLite with the real migrations, in-memory R2 and
// queue, a scripted Gemini. Tests start jobs, deliver queue messages by hand (once, twice, late) and
// audit the coins after each step.
#pragma once

#include <catch2/catch.hpp>

#include "gemini_fixtures.h"
#include "generation/coin_audit.h"
#include "generation/generation_service.h"
#include "generation/generation_worker.h"
#include "native/local_thumbnailer.h"
#include "native/manual_clock.h"
#include "native/memory_job_queue.h"
#include "native/memory_key_value.h"
#include "native/memory_object_store.h"
#include "native/memory_rate_limiter.h"
#include "native/recording_logger.h"
#include "native/scripted_http_client.h"
#include "native/seeded_random.h"
#include "png_fixture.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"
#include "repositories/user_repository.h"
#include "test_crypto.h"
#include "test_database.h"

namespace nb::testing {

inline constexpr char kGeminiUrl[] =
    "https://gemini.test/v1beta/models/gemini-2.5-flash-image:generateContent";

struct GenerationFixture {
  std::unique_ptr<SqliteDatabase> db = OpenMigratedDatabase();
  ManualClock clock{1'700'000'000'000};
  SeededRandom random{11};
  MemoryObjectStore objects{clock};
  MemoryKeyValue kv{clock};
  ScriptedHttpClient http;
  TestCrypto crypto;
  MemoryRateLimiter limits{clock, 1000, 60};
  MemoryJobQueue queue;
  LocalThumbnailer thumbnails;
  RecordingLogger logger;
  SequentialBatchReader reads{*db, objects, kv};
  Ports ports{*db, objects, kv, http, crypto, clock, random, limits, queue, thumbnails, logger, reads};
  Config config{{{"GEMINI_API_KEY", "test-key"},
                 {"GEMINI_API_BASE", "https://gemini.test"},
                 {"GENERATION_COST_COINS", "10"},
                 {"GENERATION_MAX_ATTEMPTS", "4"},
                 {"GENERATION_RETRY_BASE_SECONDS", "10"},
                 {"GENERATION_RETRY_MAX_SECONDS", "300"},
                 {"GENERATION_LEASE_SECONDS", "300"},
                 {"GENERATION_STUCK_SECONDS", "600"}}};
  UserRepository users{*db, clock, random};
  ImageRepository images{*db, clock, random};
  GenerationJobRepository jobs{*db, clock, random};

  User NewUser(const std::string& email, int64_t coins = 100, const std::string& language = "en") {
    User draft;
    draft.email = email;
    draft.first_name = "Test";
    draft.language = language;
    auto u = users.Create(draft, coins);
    INFO(u.status().ToString());
    REQUIRE(u.ok());
    return *u;
  }

  static GenerationRequest Request(const std::string& prompt, std::optional<std::string> ratio = std::nullopt,
                                   std::vector<std::string> references = {}) {
    GenerationRequest r;
    r.prompt = prompt;
    r.aspect_ratio = std::move(ratio);
    r.reference_ids = std::move(references);
    return r;
  }

  StartOutcome Start(const User& user, const GenerationRequest& request,
                     const std::optional<std::string>& key = std::nullopt) {
    GenerationService service(ports, GenerationSettings::FromConfig(config));
    auto outcome = service.Start(user, request, key);
    INFO(outcome.status().ToString());
    REQUIRE(outcome.ok());
    return *outcome;
  }

  // Starts a job and returns its image id; the message stays queued.
  std::string Started(const User& user, const std::string& prompt = "a banana",
                      std::optional<std::string> ratio = "1:1") {
    StartOutcome o = Start(user, Request(prompt, std::move(ratio)));
    REQUIRE(o.kind == StartOutcome::Kind::kStarted);
    return o.image->id;
  }

  nlohmann::json TakeMessage() {
    auto messages = queue.Drain();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].body["type"] == "generate");
    return messages[0].body;
  }

  JobOutcome Deliver(const nlohmann::json& message, int attempts = 1) {
    return HandleGenerateJob(ports, config, message, attempts);
  }

  void GeminiAnswers(int status, const nlohmann::json& body, HeaderList headers = {}) {
    http.Expect("POST", kGeminiUrl, GeminiHttp(status, body, std::move(headers)));
  }
  std::string GeminiReturnsImage(uint32_t w = 64, uint32_t h = 64, uint8_t seed = 5) {
    std::string png = MakePng(w, h, seed);
    GeminiAnswers(200, GeminiImageAnswer(png));
    return png;
  }

  Image Load(const std::string& id) {
    auto image = images.FindById(id);
    INFO(image.status().ToString());
    REQUIRE(image.ok());
    return *image;
  }
  GenerationJob Job(const std::string& id) {
    auto job = jobs.Find(id);
    REQUIRE(job.ok());
    REQUIRE(*job);
    return **job;
  }
  int64_t Balance(const std::string& user_id) {
    auto u = users.FindById(user_id);
    REQUIRE(u.ok());
    return u->coins;
  }
  std::vector<LedgerEntry> Ledger(const std::string& user_id) {
    auto page = users.ListLedger(user_id, 100, std::nullopt);
    REQUIRE(page.ok());
    return page->items;  // newest first
  }
  int64_t LedgerCount(const std::string& user_id, const std::string& reason) {
    int64_t n = 0;
    for (const auto& e : Ledger(user_id)) n += e.reason == reason;
    return n;
  }

  // Balance equals the ledger, no hold dangles, status agrees with hold, no orphaned object.
  CoinAudit CheckInvariants(const std::string& user_id) {
    auto audit = AuditUser(ports, user_id);
    REQUIRE(audit.ok());
    INFO(JsonText(audit->ToJson()));
    CHECK(audit->Consistent());
    CHECK(audit->coins >= 0);
    return *audit;
  }
};

}  // namespace nb::testing
