// Google's signing keys, fetched from the JWKS URL and cached in KV for as long as the response's
// Cache-Control max-age allows. An unknown kid triggers one refetch (keys rotate), never more per lookup.
#pragma once

#include <string>

#include "auth/jwt.h"
#include "ports/clock.h"
#include "ports/http_client.h"
#include "ports/key_value.h"

namespace nb {

class JwksCache final : public KeySource {
 public:
  JwksCache(HttpClient& http, KeyValue& kv, std::string jwks_url)
      : http_(http), kv_(kv), jwks_url_(std::move(jwks_url)) {}
  Result<RsaPublicJwk> KeyFor(const std::string& kid) override;

  int fetches() const { return fetches_; }

 private:
  Result<nlohmann::json> Fetch();

  HttpClient& http_;
  KeyValue& kv_;
  std::string jwks_url_;
  int fetches_ = 0;
};

// "public, max-age=21600, must-revalidate" -> 21600; absent or malformed -> fallback.
int64_t MaxAgeSeconds(const std::string& cache_control, int64_t fallback);
// The RS256 signing key with this kid in a JWKS document, NotFound if absent.
Result<RsaPublicJwk> FindKey(const nlohmann::json& jwks, const std::string& kid);

}  // namespace nb
