// Billing's domain pieces on native ports: COIN_PACKS parsing, the Stripe signature check, and the
// purchase repository's exactly-once credit and refund over SQLite with the real migrations
// (balance == sum(ledger) after every step).
#include <catch2/catch.hpp>

#include "app/core/settings.h"
#include "native/manual_clock.h"
#include "native/seeded_random.h"
#include "repositories/purchase_repository.h"
#include "repositories/user_repository.h"
#include "services/coin_packs.h"
#include "services/stripe_signature.h"
#include "test_crypto.h"
#include "test_database.h"
#include "util/hex.h"

namespace nb {
namespace {

Config Vars(std::map<std::string, std::string> vars) { return Config(std::move(vars)); }

TEST_CASE("COIN_PACKS parses id:coins:amount:currency lists", "[billing]") {
  auto packs = ParseCoinPacks("starter:100:499:usd, studio:600:1999:eur");
  REQUIRE(packs.ok());
  REQUIRE(packs->size() == 2);
  CHECK((*packs)[1].id == "studio");
  CHECK((*packs)[1].coins == 600);
  CHECK((*packs)[1].amount == 1999);
  CHECK((*packs)[1].currency == "eur");
  CHECK(ParseCoinPacks("")->empty());
}

TEST_CASE("a bad COIN_PACKS is a configuration error naming the item", "[billing]") {
  for (const char* bad : {"starter:100:4.99:usd", "starter:100:499", "starter:0:499:usd",
                          "starter:100:499:USD", "Starter:100:499:usd", "a:1:1:usd,a:2:2:usd",
                          "starter:100:-5:usd", ",", "x:1:1:usd,", "starter:99999999999999999:1:usd"}) {
    auto r = ParseCoinPacks(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("COIN_PACKS") != std::string::npos);
  }
  auto settings = Settings::Parse(Vars({{"COIN_PACKS", "starter:100:4.99:usd"}}));
  REQUIRE_FALSE(settings.ok());
  CHECK(settings.status().message().find("starter:100:4.99:usd") != std::string::npos);
  CHECK_FALSE(Settings::Parse(Vars({{"DAILY_REWARD_COINS", "ten"}})).ok());
  // Packs and a key without a webhook secret could take money and never credit it.
  CHECK_FALSE(Settings::Parse(Vars({{"COIN_PACKS", "a:1:100:usd"}, {"STRIPE_SECRET_KEY", "sk"}})).ok());
}

TEST_CASE("billing is on only with a key and packs", "[billing]") {
  auto off = Settings::Parse(Vars({{"COIN_PACKS", "a:1:100:usd"}}));
  REQUIRE(off.ok());
  CHECK_FALSE(off->billing.enabled());
  auto on = Settings::Parse(
      Vars({{"COIN_PACKS", "a:1:100:usd"}, {"STRIPE_SECRET_KEY", "sk"}, {"STRIPE_WEBHOOK_SECRET", "whsec"}}));
  REQUIRE(on.ok());
  CHECK(on->billing.enabled());
  CHECK(on->billing.stripe_api_base == "https://api.stripe.com");
  CHECK(on->billing.FindPack("a") != nullptr);
  CHECK(on->billing.FindPack("b") == nullptr);
}

TEST_CASE("Stripe-Signature: any v1 of HMAC-SHA256(t.body), 300 s either way", "[billing]") {
  testing::TestCrypto crypto;
  const std::string secret = "whsec_test";
  const std::string body = R"({"id":"evt_1"})";
  const int64_t t = 1'700'000'000;
  auto header = SignStripePayload(crypto, secret, body, t);
  REQUIRE(header.ok());
  CHECK(VerifyStripeSignature(crypto, secret, *header, body, t).ok());
  CHECK(VerifyStripeSignature(crypto, secret, *header, body, t + 300).ok());
  CHECK(VerifyStripeSignature(crypto, secret, *header, body, t - 300).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, *header, body, t + 301).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, *header, body, t - 301).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, *header, body + " ", t).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, "whsec_other", *header, body, t).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, "", body, t).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, "t=1700000000", body, t).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, "", *header, body, t).ok());
  const std::string v1 = header->substr(header->find("v1="));
  CHECK(VerifyStripeSignature(crypto, secret, "t=1700000000,v1=" + std::string(64, '0') + "," + v1 + ",v0=x",
                              body, t)
            .ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, "t=1700000000,v0=" + v1.substr(3), body, t).ok());
  CHECK_FALSE(VerifyStripeSignature(crypto, secret, "t=1700000001," + v1, body, t).ok());
}

struct Fixture {
  std::unique_ptr<SqliteDatabase> db = OpenMigratedDatabase();
  ManualClock clock{1'700'000'000'000};
  SeededRandom random{11};
  UserRepository users{*db, clock, random};
  PurchaseRepository purchases{*db, clock, random};

  std::string NewUser(int64_t bonus) {
    User draft;
    draft.email = "buyer" + std::to_string(clock.NowMs()) + "@example.com";
    auto u = users.Create(draft, bonus);
    REQUIRE(u.ok());
    clock.Advance(1);
    return u->id;
  }
  int64_t Balance(const std::string& id) {
    const int64_t coins = users.FindById(id).value().coins;
    REQUIRE(users.LedgerSum(id).value() == coins);  // the invariant, after every step
    return coins;
  }
  Purchase Pending(const std::string& user, const std::string& session) {
    auto p = purchases.CreatePending(user, "starter", 100, 499, "usd");
    REQUIRE(p.ok());
    REQUIRE(purchases.AttachSession(p->id, session).ok());
    return *p;
  }
};

TEST_CASE("a purchase is credited once, refunded once", "[billing]") {
  Fixture f;
  const std::string user = f.NewUser(10);
  const Purchase p = f.Pending(user, "cs_1");
  CHECK(f.Balance(user) == 10);
  auto first = f.purchases.Credit(p.id, "cs_1", "pi_1");
  REQUIRE(first.ok());
  CHECK(first->credited);
  CHECK(f.Balance(user) == 110);
  for (int i = 0; i < 3; ++i) CHECK_FALSE(f.purchases.Credit(p.id, "cs_1", "pi_1")->credited);
  CHECK(f.Balance(user) == 110);
  CHECK(f.purchases.FindBySession("cs_1")->status == "paid");
  CHECK(f.purchases.Refund("pi_1", "evt_r")->applied);
  CHECK(f.Balance(user) == 10);
  CHECK_FALSE(f.purchases.Refund("pi_1", "evt_r")->applied);
  CHECK(f.Balance(user) == 10);
  const Purchase refunded = f.purchases.FindById(p.id).value();
  CHECK(refunded.status == "refunded");
  CHECK(refunded.refunded_coins == 100);
  CHECK(refunded.refund_shortfall == 0);
}

TEST_CASE("a refund stops at zero and records the shortfall", "[billing]") {
  Fixture f;
  const std::string user = f.NewUser(0);
  const Purchase p = f.Pending(user, "cs_2");
  REQUIRE(f.purchases.Credit(p.id, "cs_2", "pi_2")->credited);
  REQUIRE(f.users.ChangeCoins(user, -60, "spent").ok());
  CHECK(f.purchases.Refund("pi_2", "evt")->applied);
  CHECK(f.Balance(user) == 0);
  const Purchase r = f.purchases.FindById(p.id).value();
  CHECK(r.refunded_coins == 40);
  CHECK(r.refund_shortfall == 60);
}

TEST_CASE("a refund before the completion is applied with the credit", "[billing]") {
  Fixture f;
  const std::string user = f.NewUser(5);
  const Purchase p = f.Pending(user, "cs_3");
  auto early = f.purchases.Refund("pi_3", "evt");
  REQUIRE(early.ok());
  CHECK_FALSE(early->applied);
  CHECK(early->before_completion);
  CHECK(f.Balance(user) == 5);
  auto credit = f.purchases.Credit(p.id, "cs_3", "pi_3");
  REQUIRE(credit.ok());
  CHECK(credit->credited);
  CHECK(credit->refunded_too);
  CHECK(f.Balance(user) == 5);
  CHECK(f.purchases.FindById(p.id)->status == "refunded");
  CHECK_FALSE(f.purchases.Refund("pi_3", "evt")->applied);
  CHECK(f.Balance(user) == 5);
}

TEST_CASE("an ended purchase is never credited", "[billing]") {
  Fixture f;
  const std::string user = f.NewUser(0);
  const Purchase p = f.Pending(user, "cs_4");
  CHECK(f.purchases.EndPending(p.id, purchase_status::kExpired).value());
  CHECK_FALSE(f.purchases.Credit(p.id, "cs_4", "pi_4")->credited);
  CHECK(f.Balance(user) == 0);
}

}  // namespace
}  // namespace nb
