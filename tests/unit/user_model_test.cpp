#include <catch2/catch.hpp>

#include "models/ledger_entry.h"
#include "models/user.h"
#include "sql_cells.h"
#include "util/time_format.h"

namespace nb {
namespace {

SqlCells Cells() {
  return {{"id", std::string("u1")},
          {"email", std::string("ana@example.com")},
          {"google_id", kSqlNull},
          {"first_name", std::string("Ana")},
          {"last_name", std::string("García")},
          {"roles", std::string("USER,ADMIN")},
          {"language", std::string("es")},
          {"coins", int64_t{25}},
          {"created_at", int64_t{1700000000123}},
          {"updated_at", int64_t{1700000000999}},
          {"session_epoch", int64_t{3}}};
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
  auto u = User::FromRow(Cells().Row());
  REQUIRE(u.ok());
  CHECK(u->id == "u1");
  CHECK_FALSE(u->google_id.has_value());
  CHECK(u->roles == std::vector<Role>{Role::kUser, Role::kAdmin});
  CHECK(u->language == "es");
  CHECK(u->coins == 25);
  CHECK(u->created_at_ms == 1700000000123);
  CHECK(u->updated_at_ms == 1700000000999);
  CHECK(u->session_epoch == 3);  // logout-everywhere's counter
}

TEST_CASE("User::FromRow refuses broken rows: a missing column, NULL or the wrong type", "[user]") {
  // Typed rows carry an INTEGER as an int64, so a REAL in an INTEGER column is a schema mismatch,
  // not a number to round.
  CHECK(User::FromRow(Cells().Set("coins", 25.0).Row()).status().code() == Status::Code::kInternal);
  CHECK(User::FromRow(Cells().Set("coins", 2.5).Row()).status().code() == Status::Code::kInternal);
  CHECK(User::FromRow(Cells().Set("coins", std::string("25")).Row()).status().code() ==
        Status::Code::kInternal);
  CHECK(User::FromRow(Cells().Erase("email").Row()).status().code() == Status::Code::kInternal);
  CHECK(User::FromRow(Cells().Set("email", kSqlNull).Row()).status().code() == Status::Code::kInternal);
  CHECK(User::FromRow(Cells().Set("id", int64_t{7}).Row()).status().code() == Status::Code::kInternal);
  CHECK_FALSE(User::FromRow(SqlRow(std::make_shared<std::vector<std::string>>(), {})).ok());
  // NULL where the column allows it.
  auto linked = User::FromRow(Cells().Set("google_id", std::string("g-1")).Row());
  REQUIRE(linked.ok());
  CHECK(linked->google_id == "g-1");
}

TEST_CASE("User::ToJson matches API.md's User", "[user]") {
  auto u = User::FromRow(Cells().Row());
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
  const SqlRow row = SqlCells{
      {"id", std::string("l1")},
      {"user_id", std::string("u1")},
      {"delta", int64_t{-10}},
      {"reason", std::string("hold")},
      {"image_id", std::string("img1")},
      {"actor_id", kSqlNull},
      {"idempotency_key", std::string("k")},
      {"balance_after", int64_t{15}},
      {"created_at",
       int64_t{0}}}.Row();
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
