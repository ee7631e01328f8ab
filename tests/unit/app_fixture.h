// Native ports and an App wired to them, for tests that drive the request pipeline or domain code
// end to end without a Worker. `Ports` is built here and only here, so a new port is one edit.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "auth/cookies.h"
#include "native/local_thumbnailer.h"
#include "native/manual_clock.h"
#include "native/memory_job_queue.h"
#include "native/memory_key_value.h"
#include "native/memory_object_store.h"
#include "native/memory_rate_limiter.h"
#include "native/recording_logger.h"
#include "native/scripted_http_client.h"
#include "native/seeded_random.h"
#include "test_crypto.h"
#include "test_database.h"
#include "util/json_text.h"

namespace nb::testing {

// MemoryKeyValue that also remembers every write and counts every call, so tests can check what
// was stored (and what never was) and that some paths never touch KV at all.
class RecordingKeyValue final : public KeyValue {
 public:
  struct Write {
    std::string key;
    std::string value;
    std::optional<int64_t> ttl_seconds;
  };

  explicit RecordingKeyValue(Clock& clock) : store_(clock) {}

  Result<std::optional<std::string>> Get(const std::string& key) override {
    ++gets;
    return store_.Get(key);
  }
  Status Put(const std::string& key, const std::string& value, std::optional<int64_t> ttl_seconds) override {
    writes.push_back({key, value, ttl_seconds});
    return store_.Put(key, value, ttl_seconds);
  }
  Status Delete(const std::string& key) override {
    deleted.push_back(key);
    return store_.Delete(key);
  }

  int calls() const { return gets + static_cast<int>(writes.size() + deleted.size()); }
  size_t size() { return store_.size(); }
  // The last write whose key starts with prefix.
  const Write* LastWrite(const std::string& prefix) const {
    for (auto it = writes.rbegin(); it != writes.rend(); ++it)
      if (it->key.rfind(prefix, 0) == 0) return &*it;
    return nullptr;
  }

  int gets = 0;
  std::vector<Write> writes;
  std::vector<std::string> deleted;

 private:
  MemoryKeyValue store_;
};

// Every port, natively: SQLite with the real migrations, memory R2/KV, scripted fetch, OpenSSL (Node's
// crypto in the wasm run: test_crypto.h), a manual clock and seeded randomness.
struct NativePorts {
  explicit NativePorts(int rate_limit = 1000, int rate_period_seconds = 60)
      : limits(clock, rate_limit, rate_period_seconds) {}

  std::unique_ptr<SqliteDatabase> db = OpenMigratedDatabase();
  ManualClock clock{1'700'000'000'000};
  MemoryObjectStore objects{clock};
  RecordingKeyValue kv{clock};
  ScriptedHttpClient http;
  TestCrypto crypto;
  SeededRandom random{1234};
  MemoryRateLimiter limits;
  MemoryJobQueue jobs;
  LocalThumbnailer thumbnails;
  RecordingLogger logger;
  SequentialBatchReader reads{*db, objects, kv};
  Ports ports{*db, objects, kv, http, crypto, clock, random, limits, jobs, thumbnails, logger, reads};
};

inline constexpr char kOrigin[] = "https://app.example.com";

using Vars = std::map<std::string, std::string>;

inline Vars DefaultVars() {
  return {{"DEV_LOGIN", "true"},
          {"SIGNUP_BONUS_COINS", "100"},
          {"ADMIN_EMAILS", "boss@example.com, Other.Admin@Example.com"}};
}

// A response with its JSON body parsed (null when the body is not JSON).
struct Answer {
  http::Response response;
  nlohmann::json body;

  int status() const { return response.status; }
  std::string Header(const std::string& name) const { return response.Header(name).value_or(""); }
  std::vector<std::string> Headers(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : response.headers)
      if (k == name) out.push_back(v);
    return out;
  }
  std::string error_code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
};

// An App on NativePorts, and a tiny browser: it keeps the session cookie and sends a same-origin
// Origin on writes unless told otherwise.
struct AppFixture {
  explicit AppFixture(Vars vars = DefaultVars(), int rate_limit = 1000)
      : native(rate_limit), app(native.ports, Config(std::move(vars))) {}

  NativePorts native;
  App app;
  std::string session;  // the session cookie's value (kSessionCookie), once signed in
  int next_request_id = 1;

  http::Request NewRequest(const std::string& method, const std::string& path, const std::string& body = "") {
    http::Request r;
    r.method = method;
    r.url = std::string(kOrigin) + path;
    r.origin = kOrigin;
    r.request_id = "req-" + std::to_string(next_request_id++);
    r.body = body;
    r.headers = {{"cf-connecting-ip", "203.0.113.7"}};
    if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
    if (method != "GET" && method != "HEAD") r.headers.emplace_back("origin", kOrigin);
    if (!session.empty()) r.headers.emplace_back("cookie", std::string(kSessionCookie) + "=" + session);
    return r;
  }

  Answer Send(http::Request request) {
    Answer reply{app.Handle(request), nullptr};
    reply.body = nlohmann::json::parse(reply.response.body, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    // Like a browser, keep the session cookie the server sets (or clears).
    for (const auto& cookie : reply.Headers("set-cookie")) {
      const std::string prefix = std::string(kSessionCookie) + "=";
      if (cookie.rfind(prefix, 0) == 0)
        session = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    }
    return reply;
  }

  Answer Get(const std::string& path) { return Send(NewRequest("GET", path)); }
  Answer Write(const std::string& method, const std::string& path, const nlohmann::json& body) {
    return Send(NewRequest(method, path, JsonText(body)));
  }

  // Dev sign-in as `email`; returns the user JSON.
  nlohmann::json DevLogin(const std::string& email, const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json body = extra;
    body["email"] = email;
    Answer r = Write("POST", "/api/auth/dev-login", body);
    INFO(r.response.body);
    REQUIRE(r.status() == 200);
    REQUIRE_FALSE(session.empty());
    return r.body["user"];
  }
};

}  // namespace nb::testing
