#include "app/core/settings.h"

#include "models/user.h"

namespace nb {
namespace {

// Every var read as a number, by the app or by the domain's own FromConfig (which falls back to its
// default on a bad value: checking here is what makes that fallback unreachable).
constexpr const char* kWholeNumberVars[] = {
    "SESSION_TTL_SECONDS",
    "SIGNUP_BONUS_COINS",
    "MAX_UPLOAD_BYTES",
    "STORAGE_QUOTA_BYTES",
    "GENERATION_COST_COINS",
    "GENERATION_MAX_RUNNING",
    "GENERATION_MAX_ATTEMPTS",
    "GENERATION_RETRY_BASE_SECONDS",
    "GENERATION_RETRY_MAX_SECONDS",
    "GENERATION_LEASE_SECONDS",
    "GENERATION_STUCK_SECONDS",
    "GEMINI_TIMEOUT_MS",
    "SESSION_MAX_AGE_SECONDS",
    "DAILY_REWARD_COINS",
};
constexpr const char* kSwitchVars[] = {"DEBUG_ROUTES", "DEV_LOGIN"};

Status BadVar(const std::string& name, const std::string& value, const std::string& expected) {
  return Status::InvalidArgument(name + " must be " + expected + ", got \"" + value + "\"");
}

bool IsWholeNumber(const std::string& value) {
  if (value.empty() || value.size() > 16) return false;
  for (char c : value)
    if (c < '0' || c > '9') return false;
  return std::stoll(value) <= kMaxSafeInteger;
}

std::vector<std::string> EmailList(const std::string& list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(LowerAscii(item));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Result<Settings> Settings::Parse(const Config& config) {
  for (const char* name : kWholeNumberVars) {
    const std::string value = config.Get(name);
    if (!value.empty() && !IsWholeNumber(value)) return BadVar(name, value, "a whole number");
  }
  for (const char* name : kSwitchVars) {
    const std::string value = config.Get(name);
    if (!value.empty() && value != "true" && value != "false") return BadVar(name, value, "true or false");
  }
  if (config.Get("GENERATION_COST_COINS") != "" && config.GetInt("GENERATION_COST_COINS", 0) == 0) {
    return BadVar("GENERATION_COST_COINS", config.Get("GENERATION_COST_COINS"), "at least 1");
  }
  if (auto models = ImageModelSettings::Parse(config.Get("IMAGE_MODELS"),
                                              config.GetInt("GENERATION_COST_COINS", kDefaultGenerationCost));
      !models.ok()) {
    return Status::InvalidArgument(models.status().message() + ", got \"" + config.Get("IMAGE_MODELS") +
                                   "\"");
  }
  Settings s;
  s.debug_routes = config.GetBool("DEBUG_ROUTES");
  s.dev_login = config.GetBool("DEV_LOGIN");
  s.session_ttl_seconds = config.GetInt("SESSION_TTL_SECONDS", kDefaultSessionTtlSeconds);
  s.signup_bonus_coins = config.GetInt("SIGNUP_BONUS_COINS", 0);
  s.session_max_age_seconds = config.GetInt("SESSION_MAX_AGE_SECONDS", kDefaultSessionMaxAgeSeconds);
  s.max_upload_bytes = config.GetInt("MAX_UPLOAD_BYTES", kDefaultMaxUploadBytes);
  s.admin_emails = EmailList(config.Get("ADMIN_EMAILS"));
  s.google = GoogleEndpoints::FromConfig(config);
  s.provider = ChooseProvider(config);
  s.generation = GenerationSettings::FromConfig(config);
  s.storage_quota_bytes = config.GetInt("STORAGE_QUOTA_BYTES", kDefaultStorageQuotaBytes);
  s.share_link_secret = config.Get("SHARE_LINK_SECRET");
  NB_ASSIGN_OR_RETURN(s.billing, BillingSettings::FromConfig(config));
  s.vars = config;
  return s;
}

bool Settings::IsConfiguredAdmin(const std::string& email) const {
  const std::string wanted = LowerAscii(email);
  for (const auto& admin : admin_emails)
    if (admin == wanted) return true;
  return false;
}

}  // namespace nb
