#include "repositories/user_repository.h"

#include <catch2/catch.hpp>
#include <set>

#include "native/manual_clock.h"
#include "native/seeded_random.h"
#include "test_database.h"
#include "util/ids.h"

namespace nb {
namespace {

struct Fixture {
  std::unique_ptr<SqliteDatabase> db = OpenMigratedDatabase();
  ManualClock clock{1'700'000'000'000};
  SeededRandom random{7};
  UserRepository users{*db, clock, random};

  User NewUser(const std::string& email, int64_t bonus = 0) {
    User draft;
    draft.email = email;
    draft.first_name = "Test";
    auto u = users.Create(draft, bonus);
    INFO(u.status().ToString());
    REQUIRE(u.ok());
    return *u;
  }

  int64_t Balance(const std::string& id) {
    auto u = users.FindById(id);
    REQUIRE(u.ok());
    return u->coins;
  }

  int64_t LedgerRows(const std::string& id) {
    auto r = db->Prepare("SELECT COUNT(*) AS n FROM coin_ledger WHERE user_id = ?").Bind(id).First();
    REQUIRE(r.ok());
    return (**r).GetInt64("n").value();
  }

  // The invariant every coin test ends with.
  void CheckBalanceMatchesLedger(const std::string& id) {
    auto sum = users.LedgerSum(id);
    REQUIRE(sum.ok());
    CHECK(*sum == Balance(id));
    CHECK(Balance(id) >= 0);
  }
};

TEST_CASE_METHOD(Fixture, "Create stores a lower-cased email, defaults and an id", "[users]") {
  User draft;
  draft.email = "Ana@Example.COM";
  draft.first_name = "Ana";
  draft.language = "es";
  auto u = users.Create(draft);
  REQUIRE(u.ok());
  CHECK(IsValidId(u->id));
  CHECK(u->email == "ana@example.com");
  CHECK(u->roles == std::vector<Role>{Role::kUser});
  CHECK(u->coins == 0);
  CHECK(u->created_at_ms == 1'700'000'000'000);

  auto found = users.FindByEmail("ANA@example.com");
  REQUIRE(found.ok());
  CHECK(found->id == u->id);
  CHECK(found->language == "es");
  CHECK(found->ToJson() == u->ToJson());
}

TEST_CASE_METHOD(Fixture, "Create refuses a duplicate email regardless of case", "[users]") {
  NewUser("ana@example.com");
  User draft;
  draft.email = "ANA@example.com";
  CHECK(users.Create(draft).status().code() == Status::Code::kConflict);
  draft.email = "";
  CHECK(users.Create(draft).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "Create with a signup bonus writes the ledger row in the same batch",
                 "[users][coins]") {
  User u = NewUser("bonus@example.com", 50);
  CHECK(u.coins == 50);
  CHECK(Balance(u.id) == 50);
  auto ledger = users.ListLedger(u.id, 10, std::nullopt);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->items.size() == 1);
  CHECK(ledger->items[0].reason == "signup_bonus");
  CHECK(ledger->items[0].delta == 50);
  CHECK(ledger->items[0].balance_after == 50);
  CheckBalanceMatchesLedger(u.id);
}

TEST_CASE_METHOD(Fixture, "Find* answer NotFound for unknown users", "[users]") {
  CHECK(users.FindById("nope").status().code() == Status::Code::kNotFound);
  CHECK(users.FindByEmail("nobody@example.com").status().code() == Status::Code::kNotFound);
  CHECK(users.FindByGoogleId("123").status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "FindOrCreateByGoogle creates once, then finds", "[users][google]") {
  auto first = users.FindOrCreateByGoogle("g-1", "New@Example.com", "New", "Person", "es", 20);
  REQUIRE(first.ok());
  CHECK(first->email == "new@example.com");
  CHECK(first->google_id == "g-1");
  CHECK(first->coins == 20);
  CHECK(first->FullName() == "New Person");

  clock.Advance(1000);
  auto again = users.FindOrCreateByGoogle("g-1", "new@example.com", "Other", "Name", "en", 20);
  REQUIRE(again.ok());
  CHECK(again->id == first->id);
  CHECK(again->coins == 20);  // no second bonus
  CHECK(LedgerRows(first->id) == 1);
  CheckBalanceMatchesLedger(first->id);
}

TEST_CASE_METHOD(Fixture, "FindOrCreateByGoogle links an existing email without a Google id",
                 "[users][google]") {
  User draft;
  draft.email = "dev@example.com";
  auto existing = users.Create(draft, 5);
  REQUIRE(existing.ok());

  auto linked = users.FindOrCreateByGoogle("g-2", "DEV@example.com", "Dev", "Eloper", "en", 100);
  REQUIRE(linked.ok());
  CHECK(linked->id == existing->id);
  CHECK(linked->google_id == "g-2");
  CHECK(linked->first_name == "Dev");  // blank names filled from Google
  CHECK(linked->coins == 5);           // linking is not a signup
  CHECK(users.FindByGoogleId("g-2")->id == existing->id);
}

TEST_CASE_METHOD(Fixture, "FindOrCreateByGoogle refuses an email owned by another Google account",
                 "[users][google]") {
  REQUIRE(users.FindOrCreateByGoogle("g-a", "shared@example.com", "", "", "en", 0).ok());
  auto other = users.FindOrCreateByGoogle("g-b", "shared@example.com", "", "", "en", 0);
  CHECK(other.status().code() == Status::Code::kConflict);
  CHECK(users.FindOrCreateByGoogle("", "x@example.com", "", "", "en", 0).status().code() ==
        Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "FindOrCreateByEmail creates once", "[users]") {
  auto a = users.FindOrCreateByEmail("dev@example.com", "Dev", "", "en", 10);
  auto b = users.FindOrCreateByEmail("Dev@Example.com", "Ignored", "", "en", 10);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->id == b->id);
  CHECK(b->coins == 10);
}

TEST_CASE_METHOD(Fixture, "Update writes names and language only", "[users]") {
  User u = NewUser("ana@example.com", 10);
  clock.Advance(5000);
  u.first_name = "Ana";
  u.last_name = "López";
  u.language = "es";
  u.coins = 999999;              // ignored: coins change only through the ledger
  u.email = "evil@example.com";  // ignored
  auto updated = users.Update(u);
  REQUIRE(updated.ok());
  CHECK(updated->FullName() == "Ana López");
  CHECK(updated->language == "es");
  CHECK(updated->coins == 10);
  CHECK(updated->email == "ana@example.com");
  CHECK(updated->updated_at_ms == 1'700'000'005'000);

  u.id = "missing";
  CHECK(users.Update(u).status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Delete removes the user and cascades to the ledger", "[users]") {
  User u = NewUser("gone@example.com", 10);
  REQUIRE(users.Delete(u.id).ok());
  CHECK(users.FindById(u.id).status().code() == Status::Code::kNotFound);
  CHECK(LedgerRows(u.id) == 0);
  CHECK(users.Delete(u.id).code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Roles: add, remove, count, and the last admin stays", "[users][roles]") {
  User a = NewUser("a@example.com");
  User b = NewUser("b@example.com");
  CHECK(*users.CountAdmins() == 0);

  auto promoted = users.AddRole(a.id, Role::kAdmin);
  REQUIRE(promoted.ok());
  CHECK(promoted->IsAdmin());
  CHECK(*users.CountAdmins() == 1);
  CHECK(users.AddRole(a.id, Role::kAdmin)->roles == std::vector<Role>{Role::kUser, Role::kAdmin});

  auto last = users.RemoveRole(a.id, Role::kAdmin);
  CHECK(last.status().code() == Status::Code::kFailedPrecondition);
  CHECK(users.FindById(a.id)->IsAdmin());

  REQUIRE(users.AddRole(b.id, Role::kAdmin).ok());
  CHECK(*users.CountAdmins() == 2);
  auto demoted = users.RemoveRole(a.id, Role::kAdmin);
  REQUIRE(demoted.ok());
  CHECK_FALSE(demoted->IsAdmin());
  CHECK(*users.CountAdmins() == 1);
  CHECK(users.SetRoles(b.id, {}).status().code() == Status::Code::kFailedPrecondition);

  // USER is implicit: removing it is a no-op, and non-admins are never blocked by the guard.
  auto still_user = users.RemoveRole(a.id, Role::kUser);
  REQUIRE(still_user.ok());
  CHECK(still_user->roles == std::vector<Role>{Role::kUser});
  CHECK(users.SetRoles("missing", {Role::kUser}).status().code() == Status::Code::kNotFound);
}

TEST_CASE_METHOD(Fixture, "Search pages newest first and matches email or names", "[users][search]") {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(NewUser("user" + std::to_string(i) + "@example.com").id);
    clock.Advance(10);
  }
  User draft;
  draft.email = "zed@other.org";
  draft.first_name = "Zed";
  draft.last_name = "100%_Real";
  auto zed = users.Create(draft);
  REQUIRE(zed.ok());

  auto first = users.Search("", 4, std::nullopt);
  REQUIRE(first.ok());
  REQUIRE(first->items.size() == 4);
  CHECK(first->items[0].id == zed->id);
  CHECK(first->items[1].id == ids[4]);
  REQUIRE(first->next_cursor.has_value());
  auto second = users.Search("", 4, first->next_cursor);
  REQUIRE(second.ok());
  REQUIRE(second->items.size() == 2);
  CHECK(second->items[1].id == ids[0]);
  CHECK_FALSE(second->next_cursor.has_value());

  CHECK(users.Search("EXAMPLE.com", 100, std::nullopt)->items.size() == 5);
  CHECK(users.Search("user3", 100, std::nullopt)->items.size() == 1);
  CHECK(users.Search("zed 100", 100, std::nullopt)->items.size() == 1);  // full name
  CHECK(users.Search("%", 100, std::nullopt)->items.size() == 1);        // literal, not a wildcard
  CHECK(users.Search("_", 100, std::nullopt)->items.size() == 1);
  CHECK(users.Search(ids[2], 100, std::nullopt)->items.size() == 1);  // by id
  CHECK(users.Search("", 0, std::nullopt).status().code() == Status::Code::kInvalidArgument);
  CHECK(users.Search("", 10, "garbage!").status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE_METHOD(Fixture, "ChangeCoins applies a delta and records the balance after", "[coins]") {
  User u = NewUser("c@example.com", 10);
  clock.Advance(1);
  auto grant = users.ChangeCoins(u.id, 25, "admin_grant", std::nullopt, std::string("admin-1"));
  REQUIRE(grant.ok());
  CHECK(grant->delta == 25);
  CHECK(grant->balance_after == 35);
  CHECK(grant->actor_id == "admin-1");
  CHECK(IsValidId(grant->id));
  clock.Advance(1);
  auto hold = users.ChangeCoins(u.id, -10, "hold", std::string("img-1"));
  REQUIRE(hold.ok());
  CHECK(hold->balance_after == 25);
  CHECK(hold->image_id == "img-1");
  CHECK(Balance(u.id) == 25);
  CheckBalanceMatchesLedger(u.id);
}

TEST_CASE_METHOD(Fixture, "ChangeCoins refuses an overdraft and writes nothing", "[coins]") {
  User u = NewUser("poor@example.com", 5);
  const int64_t before_updated = users.FindById(u.id)->updated_at_ms;
  clock.Advance(1000);
  auto r = users.ChangeCoins(u.id, -6, "hold");
  CHECK(r.status().code() == Status::Code::kFailedPrecondition);
  CHECK(r.status().message() == "insufficient coins");
  CHECK(Balance(u.id) == 5);
  CHECK(LedgerRows(u.id) == 1);
  CHECK(users.FindById(u.id)->updated_at_ms == before_updated);  // the UPDATE was rolled back too

  auto exact = users.ChangeCoins(u.id, -5, "hold");  // down to exactly zero is fine
  REQUIRE(exact.ok());
  CHECK(exact->balance_after == 0);
  CHECK(users.ChangeCoins(u.id, -1, "hold").status().code() == Status::Code::kFailedPrecondition);
  CheckBalanceMatchesLedger(u.id);
}

TEST_CASE_METHOD(Fixture, "ChangeCoins validates and reports unknown users", "[coins]") {
  User u = NewUser("v@example.com");
  CHECK(users.ChangeCoins(u.id, 0, "noop").status().code() == Status::Code::kInvalidArgument);
  CHECK(users.ChangeCoins(u.id, 1, "").status().code() == Status::Code::kInvalidArgument);
  CHECK(users.ChangeCoins(u.id, 1, "x", std::nullopt, std::nullopt, std::string()).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(users.ChangeCoins("ghost", 5, "admin_grant").status().code() == Status::Code::kNotFound);
  CHECK(users.ChangeCoins("ghost", -5, "hold").status().code() == Status::Code::kNotFound);
  CHECK(LedgerRows("ghost") == 0);
}

TEST_CASE_METHOD(Fixture, "ChangeCoins refuses a balance beyond 2^53", "[coins]") {
  User u = NewUser("rich@example.com");
  REQUIRE(users.ChangeCoins(u.id, kMaxSafeInteger, "admin_grant").ok());
  auto r = users.ChangeCoins(u.id, 1, "admin_grant");
  CHECK(r.status().code() == Status::Code::kFailedPrecondition);
  CheckBalanceMatchesLedger(u.id);
}

TEST_CASE_METHOD(Fixture, "The same idempotency key applies once", "[coins][idempotency]") {
  User u = NewUser("idem@example.com", 30);
  const std::optional<std::string> key = "gen:abc:hold";
  auto first = users.ChangeCoins(u.id, -10, "hold", std::string("img-1"), std::nullopt, key);
  REQUIRE(first.ok());
  clock.Advance(5000);
  auto retry = users.ChangeCoins(u.id, -10, "hold", std::string("img-1"), std::nullopt, key);
  REQUIRE(retry.ok());
  CHECK(retry->id == first->id);
  CHECK(retry->balance_after == 20);
  CHECK(retry->created_at_ms == first->created_at_ms);
  CHECK(Balance(u.id) == 20);
  CHECK(LedgerRows(u.id) == 2);

  // Same key, different change: refused rather than silently answered with the old entry.
  CHECK(users.ChangeCoins(u.id, -11, "hold", std::nullopt, std::nullopt, key).status().code() ==
        Status::Code::kConflict);
  // Keys are per user.
  User other = NewUser("other@example.com", 30);
  REQUIRE(users.ChangeCoins(other.id, -10, "hold", std::nullopt, std::nullopt, key).ok());
  CHECK(Balance(other.id) == 20);
  CheckBalanceMatchesLedger(u.id);
  CheckBalanceMatchesLedger(other.id);
}

TEST_CASE_METHOD(Fixture, "A retried debit replays even when the balance is now short",
                 "[coins][idempotency]") {
  User u = NewUser("short@example.com", 10);
  const std::optional<std::string> key = "k1";
  REQUIRE(users.ChangeCoins(u.id, -10, "hold", std::nullopt, std::nullopt, key).ok());
  auto retry = users.ChangeCoins(u.id, -10, "hold", std::nullopt, std::nullopt, key);
  REQUIRE(retry.ok());
  CHECK(retry->balance_after == 0);
  CHECK(Balance(u.id) == 0);
}

// Hides the repository's idempotency pre-check once, as if a concurrent call with the same key
// committed between that check and the batch: the batch itself must then catch the reuse.
class RacingDatabase final : public Database {
 public:
  explicit RacingDatabase(Database& inner) : inner_(inner) {}
  Result<SqlResult> Execute(const SqlStatement& s) override {
    if (hide_next_key_lookup &&
        s.sql.rfind("SELECT * FROM coin_ledger WHERE user_id = ? AND idempotency_key", 0) == 0) {
      hide_next_key_lookup = false;
      return SqlResult{};
    }
    return inner_.Execute(s);
  }
  Result<std::vector<SqlResult>> Batch(const std::vector<SqlStatement>& s) override {
    return inner_.Batch(s);
  }
  bool hide_next_key_lookup = false;

 private:
  Database& inner_;
};

TEST_CASE_METHOD(Fixture, "A key reused concurrently fails the batch, rolls back and replays",
                 "[coins][idempotency]") {
  RacingDatabase racing(*db);
  UserRepository racing_users(racing, clock, random);
  User u = NewUser("race@example.com", 50);
  auto winner = users.ChangeCoins(u.id, -10, "hold", std::nullopt, std::nullopt, std::string("raced"));
  REQUIRE(winner.ok());

  SECTION("UNIQUE failure") {
    racing.hide_next_key_lookup = true;
    auto loser =
        racing_users.ChangeCoins(u.id, -10, "hold", std::nullopt, std::nullopt, std::string("raced"));
    REQUIRE(loser.ok());
    CHECK(loser->id == winner->id);
    CHECK_FALSE(racing.hide_next_key_lookup);  // the batch path really ran
  }
  SECTION("CHECK failure: the winner's debit left the balance short") {
    REQUIRE(users.ChangeCoins(u.id, -40, "hold").ok());
    racing.hide_next_key_lookup = true;
    auto loser =
        racing_users.ChangeCoins(u.id, -10, "hold", std::nullopt, std::nullopt, std::string("raced"));
    REQUIRE(loser.ok());
    CHECK(loser->id == winner->id);
  }
  SECTION("a different change under the raced key is a conflict") {
    racing.hide_next_key_lookup = true;
    auto loser = racing_users.ChangeCoins(u.id, -5, "hold", std::nullopt, std::nullopt, std::string("raced"));
    CHECK(loser.status().code() == Status::Code::kConflict);
  }
  CheckBalanceMatchesLedger(u.id);
}

TEST_CASE_METHOD(Fixture, "Balance equals the ledger sum through a mixed history", "[coins]") {
  User u = NewUser("mix@example.com", 20);
  // The rule, as a model: a change applies unless it would take the balance below zero, and then it
  // is refused as insufficient coins with nothing written.
  int64_t model = 20;
  int refused = 0;
  const int64_t deltas[] = {-7, -7, -7, 15, -30, -21, 4, -1, 100, -99};
  for (int64_t d : deltas) {
    clock.Advance(3);
    INFO("delta " << d << " on " << model);
    auto r = users.ChangeCoins(u.id, d, d < 0 ? "hold" : "refund");
    if (model + d >= 0) {
      REQUIRE(r.ok());
      model += d;
      CHECK(r->balance_after == model);
    } else {
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == Status::Code::kFailedPrecondition);
      ++refused;
    }
    CheckBalanceMatchesLedger(u.id);
    CHECK(Balance(u.id) == model);
  }
  CHECK(refused == 2);  // -7 on 6 and -30 on 21: the history does exercise refusals

  auto page = users.ListLedger(u.id, 100, std::nullopt);
  REQUIRE(page.ok());
  for (size_t i = 1; i < page->items.size(); ++i) {
    CHECK(page->items[i - 1].created_at_ms >= page->items[i].created_at_ms);
  }
  // Walking newest to oldest, each balance_after is the previous one minus its delta.
  for (size_t i = 0; i + 1 < page->items.size(); ++i) {
    CHECK(page->items[i].balance_after - page->items[i].delta == page->items[i + 1].balance_after);
  }
}

TEST_CASE_METHOD(Fixture, "ListLedger pages newest first without repeats across inserts",
                 "[coins][pagination]") {
  User u = NewUser("pages@example.com", 1);
  for (int i = 0; i < 6; ++i) {
    clock.Advance(i % 2);  // pairs share a millisecond: the id breaks the tie
    REQUIRE(users.ChangeCoins(u.id, 1, "admin_grant").ok());
  }
  std::set<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = users.ListLedger(u.id, 3, cursor);
    REQUIRE(page.ok());
    for (const auto& e : page->items) CHECK(seen.insert(e.id).second);
    cursor = page->next_cursor;
    ++pages;
    clock.Advance(1);
    REQUIRE(users.ChangeCoins(u.id, 1, "admin_grant").ok());  // newer rows never reach later pages
  } while (cursor);
  CHECK(seen.size() == 7);
  CHECK(pages == 3);
  CHECK(users.ListLedger(u.id, 101, std::nullopt).status().code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace nb
