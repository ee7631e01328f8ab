// Server-side sessions in KV. The browser holds a 256-bit random token; KV holds only its SHA-256, so
// a leaked KV listing cannot be replayed as cookies. Sessions slide: use renews them.
#pragma once

#include <optional>
#include <string>

#include "ports/ports.h"

namespace nb {

struct Session {
  std::string user_id;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t renewed_ms = 0;
};

struct NewSession {
  std::string token;  // goes into the cookie, nowhere else
  Session session;
};

class SessionStore {
 public:
  // ttl_seconds: idle lifetime; renewal happens at most every renew_after_seconds of use.
  SessionStore(Ports& ports, int64_t ttl_seconds, int64_t renew_after_seconds = 3600)
      : ports_(ports), ttl_seconds_(ttl_seconds), renew_after_seconds_(renew_after_seconds) {}

  Result<NewSession> Create(const std::string& user_id);
  // The live session for a token, nullopt when unknown, malformed or expired. Renews it when due
  // (renewed is set so the caller can refresh the cookie's Max-Age).
  Result<std::optional<Session>> Find(const std::string& token, bool* renewed = nullptr);
  Status Revoke(const std::string& token);
  int64_t ttl_seconds() const { return ttl_seconds_; }

 private:
  Result<std::string> KeyFor(const std::string& token);
  Status Store(const std::string& key, const Session& session);

  Ports& ports_;
  int64_t ttl_seconds_;
  int64_t renew_after_seconds_;
};

}  // namespace nb
