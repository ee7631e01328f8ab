// The Worker's vars and secrets, parsed once when the App is built (nb_init) into typed fields. No
// handler reads a raw config string: a misspelt number is a start-up error naming the var, not a
// silent default discovered in production.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/google_sign_in.h"
#include "generation/generation_settings.h"
#include "generation/provider_factory.h"
#include "ports/ports.h"
#include "services/coin_packs.h"

namespace nb {

inline constexpr int64_t kDefaultSessionTtlSeconds = 30 * 24 * 3600;
inline constexpr int64_t kDefaultSessionMaxAgeSeconds = 30 * 24 * 3600;
inline constexpr int64_t kDefaultStorageQuotaBytes = 1073741824;  // 1 GiB

struct Settings {
  bool debug_routes = false;                                // DEBUG_ROUTES: the test-only /api/_debug routes
  bool dev_login = false;                                   // DEV_LOGIN: POST /api/auth/dev-login exists
  int64_t session_ttl_seconds = kDefaultSessionTtlSeconds;  // SESSION_TTL_SECONDS
  int64_t signup_bonus_coins = 0;                           // SIGNUP_BONUS_COINS
  int64_t max_upload_bytes = kDefaultMaxUploadBytes;        // MAX_UPLOAD_BYTES
  std::vector<std::string> admin_emails;                    // ADMIN_EMAILS, lower-cased, blanks dropped
  GoogleEndpoints google;                                   // GOOGLE_*
  ProviderKind provider = ProviderKind::kNone;              // GEMINI_API_KEY / DEV_LOGIN
  GenerationSettings generation;                            // GENERATION_*
  int64_t storage_quota_bytes = kDefaultStorageQuotaBytes;  // STORAGE_QUOTA_BYTES: originals + thumbnails
  std::string share_link_secret;                            // SHARE_LINK_SECRET*: share tokens' HMAC key
  BillingSettings billing;                                  // STRIPE_*, COIN_PACKS, DAILY_REWARD_COINS
  // The vars as given, for the domain entry points that take a Config (the queue job, the sweeper).
  Config vars;
  // SESSION_MAX_AGE_SECONDS: a session's absolute lifetime from sign-in, however active it is.
  int64_t session_max_age_seconds = kDefaultSessionMaxAgeSeconds;

  // InvalidArgument naming the var and its value when a number is not a whole number, a switch is
  // neither "true" nor "false", or the generation cost is 0.
  static Result<Settings> Parse(const Config& config);

  // True when the (lower-cased) email is in ADMIN_EMAILS.
  bool IsConfiguredAdmin(const std::string& email) const;
};

}  // namespace nb
