#include "services/coin_packs.h"

namespace nb {
namespace {

Status BadPacks(const std::string& item, const std::string& why) {
  return Status::InvalidArgument(
      "COIN_PACKS must be a comma list of id:coins:amountInMinorUnits:currency; \"" + item + "\" " + why);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

std::string TrimSpaces(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// A positive whole number a JS number keeps exact; nullopt otherwise.
std::optional<int64_t> PositiveInteger(const std::string& s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

bool IsPackId(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

bool IsCurrency(const std::string& s) {
  if (s.size() != 3) return false;
  for (char c : s)
    if (c < 'a' || c > 'z') return false;
  return true;
}

}  // namespace

nlohmann::json CoinPack::ToJson() const {
  return {{"id", id}, {"coins", coins}, {"amount", amount}, {"currency", currency}};
}

Result<std::vector<CoinPack>> ParseCoinPacks(const std::string& value) {
  std::vector<CoinPack> packs;
  if (TrimSpaces(value).empty()) return packs;
  for (const std::string& raw : Split(value, ',')) {
    const std::string item = TrimSpaces(raw);
    const auto parts = Split(item, ':');
    if (parts.size() != 4) return BadPacks(item, "does not have four parts");
    CoinPack pack;
    pack.id = parts[0];
    if (!IsPackId(pack.id)) return BadPacks(item, "has an id that is not 1-32 of a-z, 0-9, _ or -");
    auto coins = PositiveInteger(parts[1]);
    if (!coins) return BadPacks(item, "has coins that are not a positive whole number");
    auto amount = PositiveInteger(parts[2]);
    if (!amount) return BadPacks(item, "has an amount that is not a positive whole number of minor units");
    pack.currency = parts[3];
    if (!IsCurrency(pack.currency))
      return BadPacks(item, "has a currency that is not three lower-case letters");
    pack.coins = *coins;
    pack.amount = *amount;
    for (const auto& seen : packs)
      if (seen.id == pack.id) return BadPacks(item, "repeats the id " + pack.id);
    packs.push_back(std::move(pack));
  }
  return packs;
}

const CoinPack* BillingSettings::FindPack(const std::string& id) const {
  for (const auto& p : packs)
    if (p.id == id) return &p;
  return nullptr;
}

Result<BillingSettings> BillingSettings::FromConfig(const Config& config) {
  BillingSettings b;
  b.stripe_secret_key = config.Get("STRIPE_SECRET_KEY");
  b.stripe_webhook_secret = config.Get("STRIPE_WEBHOOK_SECRET");
  b.stripe_api_base = config.Get("STRIPE_API_BASE", "https://api.stripe.com");
  while (!b.stripe_api_base.empty() && b.stripe_api_base.back() == '/') b.stripe_api_base.pop_back();
  if (b.stripe_api_base.rfind("https://", 0) != 0 && b.stripe_api_base.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("STRIPE_API_BASE must be an http(s) URL, got \"" +
                                   config.Get("STRIPE_API_BASE") + "\"");
  }
  NB_ASSIGN_OR_RETURN(b.packs, ParseCoinPacks(config.Get("COIN_PACKS")));
  b.daily_reward_coins = config.GetInt("DAILY_REWARD_COINS", 0);
  if (b.enabled() && b.stripe_webhook_secret.empty()) {
    return Status::InvalidArgument(
        "STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY and COIN_PACKS are");
  }
  return b;
}

}  // namespace nb
