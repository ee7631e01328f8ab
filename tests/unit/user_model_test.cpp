#include <catch2/catch.hpp>

#include "models/ledger_entry.h"
#include "models/user.h"
#include "util/time_format.h"

namespace nb {
namespace {

nlohmann::json Row() {
  return {{"id", "u1"},
          {"email", "ana@example.com"},
          {"google_id", nullptr},
          {"first_name", "Ana"},
          {"last_name", "García"},
          {"roles", "USER,ADMIN"},
          {"language", "es"},
          {"coins", 25},
          {"created_at", 1700000000123},
          {"updated_at", 1700000000999}};
}

TEST_CASE("FormatIsoUtc writes UTC with milliseconds", "[time]") {
  CHECK(FormatIsoUtc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatIsoUtc(1700000000123) == "2023-11-14T22:13:20.123Z");
  CHECK(FormatIsoUtc(951782400000) == "2000-02-29T00:00:00.000Z");  // leap day
  CHECK(FormatIsoUtc(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(FormatIsoUtc(253402300799999) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("Roles parse, normalize and join", "[user]") {
  CHECK(ParseRole("ADMIN") == Role::kAdmin);
  CHECK_FALSE(ParseRole("admin").has_value());
  CHECK(ParseRoleList("ADMIN, USER,ADMIN,GHOST") == std::vector<Role>{Role::kUser, Role::kAdmin});
  CHECK(ParseRoleList("").empty());
  CHECK(NormalizeRoles({Role::kAdmin}) == std::vector<Role>{Role::kUser, Role::kAdmin});
  CHECK(NormalizeRoles({}) == std::vector<Role>{Role::kUser});
  CHECK(JoinRoleList({Role::kUser, Role::kAdmin}) == "USER,ADMIN");
}

TEST_CASE("FullName trims and joins the parts present", "[user]") {
  User u;
  u.first_name = "  Ana ";
  u.last_name = " García";
  CHECK(u.FullName() == "Ana García");
  u.last_name = "   ";
  CHECK(u.FullName() == "Ana");
  u.first_name = "";
  u.last_name = "Solo";
  CHECK(u.FullName() == "Solo");
  u.last_name = "";
  CHECK(u.FullName().empty());
}

TEST_CASE("HasRole and CanAfford", "[user]") {
  User u;
  CHECK(u.HasRole(Role::kUser));
  CHECK_FALSE(u.IsAdmin());
  u.roles.push_back(Role::kAdmin);
  CHECK(u.IsAdmin());
  u.coins = 10;
  CHECK(u.CanAfford(10));
  CHECK(u.CanAfford(0));
  CHECK_FALSE(u.CanAfford(11));
  CHECK_FALSE(u.CanAfford(-5));
}

TEST_CASE("User::FromRow reads a users row", "[user]") {
  auto u = User::FromRow(Row());
  REQUIRE(u.ok());
  CHECK(u->id == "u1");
  CHECK_FALSE(u->google_id.has_value());
  CHECK(u->roles == std::vector<Role>{Role::kUser, Role::kAdmin});
  CHECK(u->language == "es");
  CHECK(u->coins == 25);
  CHECK(u->created_at_ms == 1700000000123);
  CHECK(u->updated_at_ms == 1700000000999);
}

TEST_CASE("User::FromRow accepts whole doubles (D1 numbers) and refuses broken rows", "[user]") {
  auto row = Row();
  row["coins"] = 25.0;
  auto u = User::FromRow(row);
  REQUIRE(u.ok());
  CHECK(u->coins == 25);

  row["coins"] = 2.5;
  CHECK(User::FromRow(row).status().code() == Status::Code::kInternal);
  row = Row();
  row.erase("email");
  CHECK_FALSE(User::FromRow(row).ok());
  row = Row();
  row["id"] = 7;
  CHECK_FALSE(User::FromRow(row).ok());
  CHECK_FALSE(User::FromRow(nlohmann::json::array()).ok());
}

TEST_CASE("User::ToJson matches API.md's User", "[user]") {
  auto u = User::FromRow(Row());
  REQUIRE(u.ok());
  const nlohmann::json expected = {{"id", "u1"},
                                   {"email", "ana@example.com"},
                                   {"firstName", "Ana"},
                                   {"lastName", "García"},
                                   {"fullName", "Ana García"},
                                   {"roles", {"USER", "ADMIN"}},
                                   {"language", "es"},
                                   {"coins", 25},
                                   {"createdAt", "2023-11-14T22:13:20.123Z"}};
  CHECK(u->ToJson() == expected);
}

TEST_CASE("LedgerEntry round-trips a row into API.md's transaction item", "[ledger]") {
  const nlohmann::json row = {
      {"id", "l1"},         {"user_id", "u1"},     {"delta", -10},           {"reason", "hold"},
      {"image_id", "img1"}, {"actor_id", nullptr}, {"idempotency_key", "k"}, {"balance_after", 15},
      {"created_at", 0}};
  auto e = LedgerEntry::FromRow(row);
  REQUIRE(e.ok());
  CHECK(e->ToJson() == nlohmann::json{{"id", "l1"},
                                      {"delta", -10},
                                      {"reason", "hold"},
                                      {"imageId", "img1"},
                                      {"balanceAfter", 15},
                                      {"createdAt", "1970-01-01T00:00:00.000Z"}});
}

}  // namespace
}  // namespace nb
