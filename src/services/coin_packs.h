// Coin packs people can buy, from COIN_PACKS ("id:coins:amountInMinorUnits:currency,..."), and the
// rest of the billing configuration. Parsed once at start-up: a bad value is a configuration error
// naming the var and the offending item, never a crash or a silently missing pack.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ports/ports.h"
#include "ports/status.h"

namespace nb {

struct CoinPack {
  std::string id;        // [a-z0-9_-]{1,32}
  int64_t coins = 0;     // > 0
  int64_t amount = 0;    // > 0, minor units of currency (cents for usd)
  std::string currency;  // three lower-case letters, as Stripe writes ISO 4217 codes
  // API.md's pack: {"id","coins","amount","currency"}.
  nlohmann::json ToJson() const;
};

// InvalidArgument "COIN_PACKS ..." naming the bad item; an empty string is no packs.
Result<std::vector<CoinPack>> ParseCoinPacks(const std::string& value);

struct BillingSettings {
  std::string stripe_secret_key;                           // STRIPE_SECRET_KEY*
  std::string stripe_webhook_secret;                       // STRIPE_WEBHOOK_SECRET*
  std::string stripe_api_base = "https://api.stripe.com";  // STRIPE_API_BASE, no trailing slash
  std::vector<CoinPack> packs;                             // COIN_PACKS
  int64_t daily_reward_coins = 0;                          // DAILY_REWARD_COINS, 0 = off

  // Checkout is offered when the key and at least one pack are set (API.md's "billing").
  bool enabled() const { return !stripe_secret_key.empty() && !packs.empty(); }
  const CoinPack* FindPack(const std::string& id) const;

  static Result<BillingSettings> FromConfig(const Config& config);
};

}  // namespace nb
