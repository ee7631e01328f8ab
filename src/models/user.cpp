#include "models/user.h"

#include <algorithm>

#include "util/time_format.h"

namespace nb {
namespace {

constexpr Role kAllRoles[] = {Role::kUser, Role::kAdmin};

std::string Trim(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  const size_t begin = s.find_first_not_of(ws);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(ws) - begin + 1);
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kUser: return "USER";
    case Role::kAdmin: return "ADMIN";
  }
  return "USER";
}

std::optional<Role> ParseRole(const std::string& name) {
  for (Role r : kAllRoles) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

std::vector<Role> ParseRoleList(const std::string& comma_list) {
  std::vector<Role> found;
  size_t start = 0;
  while (start <= comma_list.size()) {
    size_t end = comma_list.find(',', start);
    if (end == std::string::npos) end = comma_list.size();
    if (auto r = ParseRole(Trim(comma_list.substr(start, end - start)))) found.push_back(*r);
    start = end + 1;
  }
  std::vector<Role> out;
  for (Role r : kAllRoles) {
    if (std::find(found.begin(), found.end(), r) != found.end()) out.push_back(r);
  }
  return out;
}

std::string JoinRoleList(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ',';
    out += RoleName(r);
  }
  return out;
}

std::vector<Role> NormalizeRoles(const std::vector<Role>& roles) {
  std::vector<Role> out{Role::kUser};
  for (Role r : kAllRoles) {
    if (r != Role::kUser && std::find(roles.begin(), roles.end(), r) != roles.end()) out.push_back(r);
  }
  return out;
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string User::FullName() const {
  const std::string first = Trim(first_name);
  const std::string last = Trim(last_name);
  if (first.empty()) return last;
  if (last.empty()) return first;
  return first + " " + last;
}

bool User::HasRole(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

Result<User> User::FromRow(const SqlRow& row) {
  User u;
  NB_ASSIGN_OR_RETURN(u.id, row.GetText("id"));
  NB_ASSIGN_OR_RETURN(u.email, row.GetText("email"));
  NB_ASSIGN_OR_RETURN(u.coins, row.GetInt64("coins"));
  NB_ASSIGN_OR_RETURN(u.created_at_ms, row.GetInt64("created_at"));
  NB_ASSIGN_OR_RETURN(u.google_id, row.GetOptionalText("google_id"));
  NB_ASSIGN_OR_RETURN(u.first_name, row.GetText("first_name"));
  NB_ASSIGN_OR_RETURN(u.last_name, row.GetText("last_name"));
  NB_ASSIGN_OR_RETURN(const std::string roles, row.GetText("roles"));
  u.roles = NormalizeRoles(ParseRoleList(roles));
  NB_ASSIGN_OR_RETURN(u.language, row.GetText("language"));
  NB_ASSIGN_OR_RETURN(u.updated_at_ms, row.GetInt64("updated_at"));
  NB_ASSIGN_OR_RETURN(u.session_epoch, row.GetInt64("session_epoch"));
  return u;
}

nlohmann::json User::ToJson() const {
  nlohmann::json roles_json = nlohmann::json::array();
  for (Role r : roles) roles_json.push_back(RoleName(r));
  return {{"id", id},
          {"email", email},
          {"firstName", first_name},
          {"lastName", last_name},
          {"fullName", FullName()},
          {"roles", roles_json},
          {"language", language},
          {"coins", coins},
          {"createdAt", FormatIsoUtc(created_at_ms)}};
}

}  // namespace nb
