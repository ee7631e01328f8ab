// Everything domain code may touch outside itself, like leveldb's Env: one bundle of narrow ports.
#pragma once

#include <map>
#include <string>

#include "ports/batch_reader.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/database.h"
#include "ports/http_client.h"
#include "ports/job_queue.h"
#include "ports/key_value.h"
#include "ports/logger.h"
#include "ports/object_store.h"
#include "ports/random.h"
#include "ports/rate_limiter.h"
#include "ports/thumbnailer.h"

namespace nb {

struct Ports {
  Database& db;
  ObjectStore& objects;
  KeyValue& kv;
  HttpClient& http;
  Crypto& crypto;
  Clock& clock;
  Random& random;
  RateLimiter& limits;
  JobQueue& jobs;  // GENERATION_JOBS
  Thumbnailer& thumbnails;
  Logger& logger;  // structured JSON lines; see ports/logger.h
  BatchReader& reads;  // independent reads of D1, R2 and KV issued together
};

// Worker vars and secrets as plain strings; absent keys read as "".
class Config {
 public:
  Config() = default;
  explicit Config(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = vars_.find(key);
    return it == vars_.end() || it->second.empty() ? fallback : it->second;
  }
  int64_t GetInt(const std::string& key, int64_t fallback) const;
  bool GetBool(const std::string& key) const { return Get(key) == "true"; }
  void Set(const std::string& key, std::string value) { vars_[key] = std::move(value); }

 private:
  std::map<std::string, std::string> vars_;
};

inline int64_t Config::GetInt(const std::string& key, int64_t fallback) const {
  const std::string v = Get(key);
  if (v.empty()) return fallback;
  int64_t out = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return fallback;
    out = out * 10 + (c - '0');
    if (out > kMaxSafeInteger) return fallback;
  }
  return out;
}

}  // namespace nb
