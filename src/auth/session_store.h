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
  int64_t expires_ms = 0;  // the idle TTL's end, never past ends_ms
  int64_t renewed_ms = 0;
  int64_t ends_ms = 0;  // the absolute lifetime's end: no renewal moves it
  int64_t epoch = 0;    // the user's session_epoch when made; logout-everywhere bumps the user's
};

struct NewSession {
  std::string token;  // goes into the cookie, nowhere else
  Session session;
};

class SessionStore {
 public:
  // ttl_seconds: idle lifetime; max_age_seconds: absolute lifetime, however active the session is;
  // renewal happens at most every renew_after_seconds of use.
  SessionStore(Ports& ports, int64_t ttl_seconds, int64_t max_age_seconds, int64_t renew_after_seconds = 3600)
      : ports_(ports),
        ttl_seconds_(ttl_seconds),
        max_age_seconds_(max_age_seconds),
        renew_after_seconds_(renew_after_seconds) {}

  // epoch: the user's session_epoch now (a later logout-everywhere makes the session dead).
  Result<NewSession> Create(const std::string& user_id, int64_t epoch = 0);
  // The live session for a token, nullopt when unknown, malformed or expired. Renews it when due
  // (renewed is set so the caller can refresh the cookie's Max-Age).
  Result<std::optional<Session>> Find(const std::string& token, bool* renewed = nullptr);
  Status Revoke(const std::string& token);
  int64_t ttl_seconds() const { return ttl_seconds_; }
  // The cookie's Max-Age for a session now: the idle TTL, cut at the absolute lifetime's end.
  int64_t CookieMaxAge(const Session& session) const;

 private:
  Result<std::string> KeyFor(const std::string& token);
  Status Store(const std::string& key, const Session& session);

  Ports& ports_;
  int64_t ttl_seconds_;
  int64_t max_age_seconds_;
  int64_t renew_after_seconds_;
};

}  // namespace nb
