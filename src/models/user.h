// A signed-in person: identity, preferences, roles and coin balance.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

enum class Role { kUser, kAdmin };

const char* RoleName(Role role);                         // "USER", "ADMIN"
std::optional<Role> ParseRole(const std::string& name);  // exact upper-case names only
// The comma list stored in users.roles. Unknown names are skipped so an old binary survives a
// role added later; the result is de-duplicated in canonical order.
std::vector<Role> ParseRoleList(const std::string& comma_list);
std::string JoinRoleList(const std::vector<Role>& roles);
// De-duplicated, canonical order, USER always present (every account is a user).
std::vector<Role> NormalizeRoles(const std::vector<Role>& roles);

struct User {
  std::string id;
  std::string email;  // lower-case
  std::optional<std::string> google_id;
  std::string first_name;
  std::string last_name;
  std::vector<Role> roles{Role::kUser};
  std::string language = "en";
  int64_t coins = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t session_epoch = 0;  // bumped by logout-everywhere: sessions made in an older epoch are dead

  // First and last name, trimmed, joined by one space; empty when both are blank.
  std::string FullName() const;
  bool HasRole(Role role) const;
  bool IsAdmin() const { return HasRole(Role::kAdmin); }
  // Non-negative costs only; a negative cost is never affordable (it would be a grant).
  bool CanAfford(int64_t cost) const { return cost >= 0 && coins >= cost; }

  static Result<User> FromRow(const SqlRow& row);
  // API.md's User: {"id","email","firstName","lastName","fullName","roles","language","coins","createdAt"}.
  nlohmann::json ToJson() const;
};

// ASCII lower-casing, as SQLite's lower() does, so stored and queried emails agree.
std::string LowerAscii(std::string s);

}  // namespace nb
