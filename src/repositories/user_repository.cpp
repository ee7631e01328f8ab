#include "repositories/user_repository.h"

#include <algorithm>

#include "repositories/admin_audit_repository.h"
#include "repositories/keyset_page.h"
#include "util/ids.h"

namespace nb {
namespace {

constexpr char kSignupBonusKey[] = "signup_bonus";  // one signup bonus per user, ever
constexpr char kIsAdminSql[] = "(',' || roles || ',' LIKE '%,ADMIN,%')";

// LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally (ESCAPE '\').
std::string ContainsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

Result<User> UserRepository::Create(const User& draft, int64_t signup_bonus) {
  if (draft.email.empty()) return Status::InvalidArgument("email is required");
  if (signup_bonus < 0) return Status::InvalidArgument("signup bonus cannot be negative");
  User u = draft;
  u.id = NewId(random_);
  u.email = LowerAscii(draft.email);
  if (u.google_id && u.google_id->empty()) u.google_id.reset();  // "" would collide under UNIQUE
  u.roles = NormalizeRoles(draft.roles);
  if (u.language.empty()) u.language = "en";
  u.coins = signup_bonus;
  u.created_at_ms = u.updated_at_ms = clock_.NowMs();

  std::vector<SqlStatement> batch;
  batch.push_back(
      db_.Prepare("INSERT INTO users (id, email, google_id, first_name, last_name, roles, language, "
                  "coins, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .Bind(u.id)
          .Bind(u.email)
          .Bind(u.google_id)
          .Bind(u.first_name)
          .Bind(u.last_name)
          .Bind(JoinRoleList(u.roles))
          .Bind(u.language)
          .Bind(u.coins)
          .Bind(u.created_at_ms)
          .Bind(u.updated_at_ms)
          .statement());
  if (signup_bonus > 0) {
    batch.push_back(db_.Prepare("INSERT INTO coin_ledger (id, user_id, delta, reason, idempotency_key, "
                                "balance_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .Bind(NewId(random_))
                        .Bind(u.id)
                        .Bind(signup_bonus)
                        .Bind(ledger_reason::kSignupBonus)
                        .Bind(kSignupBonusKey)
                        .Bind(signup_bonus)
                        .Bind(u.created_at_ms)
                        .statement());
  }
  auto result = db_.Batch(batch);
  if (!result.ok()) {
    if (result.status().IsConflict()) {
      return Status::Conflict("email or Google account already registered");
    }
    return result.status();
  }
  return u;
}

Result<User> UserRepository::FindOne(const char* column, const std::string& value) {
  NB_ASSIGN_OR_RETURN(
      auto row, db_.Prepare(std::string("SELECT * FROM users WHERE ") + column + " = ?").Bind(value).First());
  if (!row) return Status::NotFound("user not found");
  return User::FromRow(*row);
}

Result<User> UserRepository::FindById(const std::string& id) { return FindOne("id", id); }

Result<User> UserRepository::FindByEmail(const std::string& email) {
  return FindOne("email", LowerAscii(email));
}

Result<User> UserRepository::FindByGoogleId(const std::string& google_id) {
  return FindOne("google_id", google_id);
}

Result<User> UserRepository::FindOrCreateByGoogle(const std::string& google_id, const std::string& email,
                                                  const std::string& first_name, const std::string& last_name,
                                                  const std::string& language, int64_t signup_bonus) {
  if (google_id.empty()) return Status::InvalidArgument("google id is required");
  // Two attempts: a concurrent first sign-in may insert or link between our read and write;
  // the second pass then finds what it wrote.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto by_google = FindByGoogleId(google_id);
    if (by_google.ok() || !by_google.status().IsNotFound()) return by_google;

    auto by_email = FindByEmail(email);
    if (by_email.ok()) {
      if (by_email->google_id) return Status::Conflict("email is linked to another Google account");
      // Link, and fill names the account was created without (dev or admin created it).
      NB_ASSIGN_OR_RETURN(auto linked,
                          db_.Prepare("UPDATE users SET google_id = ?, "
                                      "first_name = CASE WHEN first_name = '' THEN ? ELSE first_name END, "
                                      "last_name = CASE WHEN last_name = '' THEN ? ELSE last_name END, "
                                      "updated_at = ? WHERE id = ? AND google_id IS NULL")
                              .Bind(google_id)
                              .Bind(first_name)
                              .Bind(last_name)
                              .Bind(clock_.NowMs())
                              .Bind(by_email->id)
                              .Run());
      if (linked.changes == 1) return FindById(by_email->id);
      continue;
    }
    if (!by_email.status().IsNotFound()) return by_email.status();

    User draft;
    draft.email = email;
    draft.google_id = google_id;
    draft.first_name = first_name;
    draft.last_name = last_name;
    draft.language = language;
    auto created = Create(draft, signup_bonus);
    if (created.ok() || !created.status().IsConflict()) return created;
  }
  return Status::Conflict("concurrent sign-in for this account; retry");
}

Result<User> UserRepository::FindOrCreateByEmail(const std::string& email, const std::string& first_name,
                                                 const std::string& last_name, const std::string& language,
                                                 int64_t signup_bonus) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto found = FindByEmail(email);
    if (found.ok() || !found.status().IsNotFound()) return found;
    User draft;
    draft.email = email;
    draft.first_name = first_name;
    draft.last_name = last_name;
    draft.language = language;
    auto created = Create(draft, signup_bonus);
    if (created.ok() || !created.status().IsConflict()) return created;
  }
  return Status::Conflict("concurrent sign-in for this account; retry");
}

Result<User> UserRepository::Update(const User& user) {
  NB_ASSIGN_OR_RETURN(auto r, db_.Prepare("UPDATE users SET first_name = ?, last_name = ?, language = ?, "
                                          "updated_at = ? WHERE id = ?")
                                  .Bind(user.first_name)
                                  .Bind(user.last_name)
                                  .Bind(user.language.empty() ? std::string("en") : user.language)
                                  .Bind(clock_.NowMs())
                                  .Bind(user.id)
                                  .Run());
  if (r.changes == 0) return Status::NotFound("user not found");
  return FindById(user.id);
}

Status UserRepository::Delete(const std::string& id) {
  auto r = db_.Prepare("DELETE FROM users WHERE id = ?").Bind(id).Run();
  if (!r.ok()) return r.status();
  if (r->changes == 0) return Status::NotFound("user not found");
  return Status::Ok();
}

Result<User> UserRepository::SetRoles(const std::string& id, const std::vector<Role>& roles,
                                      const std::optional<std::string>& actor_id) {
  const std::vector<Role> normalized = NormalizeRoles(roles);
  const bool keeps_admin = std::find(normalized.begin(), normalized.end(), Role::kAdmin) != normalized.end();
  // Applies unless it would demote the only admin: another admin must exist.
  const std::string condition = std::string("id = ? AND (? = 1 OR NOT ") + kIsAdminSql +
                                " OR EXISTS (SELECT 1 FROM users AS other WHERE other.id <> users.id AND " +
                                "(',' || other.roles || ',' LIKE '%,ADMIN,%')))";
  const std::string roles_csv = JoinRoleList(normalized);
  SqlStatement update = db_.Prepare("UPDATE users SET roles = ?, updated_at = ? WHERE " + condition)
                            .Bind(roles_csv)
                            .Bind(clock_.NowMs())
                            .Bind(id)
                            .Bind(keeps_admin)
                            .statement();
  int64_t changes = 0;
  if (actor_id) {
    AdminAuditRepository audit(db_, clock_, random_);
    NB_ASSIGN_OR_RETURN(
        auto results,
        db_.Batch({audit.RolesUpdateStatement(*actor_id, id, roles_csv, condition,
                                              {SqlValue(id), SqlValue(int64_t{keeps_admin ? 1 : 0})}),
                   std::move(update)}));
    if (results.size() != 2) return Status::Internal("role batch returned the wrong number of results");
    changes = results[1].changes;
  } else {
    NB_ASSIGN_OR_RETURN(auto r, db_.Execute(update));
    changes = r.changes;
  }
  if (changes == 0) {
    if (auto current = FindById(id); !current.ok()) return current.status();  // NotFound
    return Status::FailedPrecondition("cannot remove the last admin");
  }
  return FindById(id);
}

Result<User> UserRepository::AddRole(const std::string& id, Role role) {
  NB_ASSIGN_OR_RETURN(User u, FindById(id));
  if (u.HasRole(role)) return u;
  u.roles.push_back(role);
  return SetRoles(id, u.roles);
}

Result<User> UserRepository::RemoveRole(const std::string& id, Role role) {
  NB_ASSIGN_OR_RETURN(User u, FindById(id));
  if (!u.HasRole(role)) return u;
  u.roles.erase(std::remove(u.roles.begin(), u.roles.end(), role), u.roles.end());
  return SetRoles(id, u.roles);
}

Result<int64_t> UserRepository::CountAdmins() {
  NB_ASSIGN_OR_RETURN(
      auto row, db_.Prepare(std::string("SELECT COUNT(*) AS n FROM users WHERE ") + kIsAdminSql).First());
  if (!row) return Status::Internal("COUNT returned no row");
  return row->GetInt64("n");
}

Result<Page<User>> UserRepository::Search(const std::string& query, int limit,
                                          const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  std::string sql = "SELECT * FROM users WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (!query.empty()) {
    const std::string pattern = ContainsPattern(query);
    sql +=
        " AND (id = ? OR email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\'"
        " OR last_name LIKE ? ESCAPE '\\' OR (first_name || ' ' || last_name) LIKE ? ESCAPE '\\')";
    params.insert(params.end(), {query, pattern, pattern, pattern, pattern});
  }
  NB_ASSIGN_OR_RETURN(auto result, db_.Execute(paging.Query(std::move(sql), std::move(params))));
  return paging.Collect<User>(result.rows);
}

Status UserRepository::BumpSessionEpoch(const std::string& id) {
  NB_ASSIGN_OR_RETURN(
      auto result,
      db_.Prepare("UPDATE users SET session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?")
          .Bind(clock_.NowMs())
          .Bind(id)
          .Run());
  if (result.changes == 0) return Status::NotFound("user " + id);
  return Status::Ok();
}

}  // namespace nb
