// The SQL port. D1 is SQLite, so the native implementation is libsqlite3 and the SQL is the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ports/sql_row.h"
#include "ports/status.h"

namespace nb {

struct SqlStatement {
  std::string sql;
  std::vector<SqlValue> params;
};

// Typed rows (ports/sql_row.h); meta mirrors D1's run() meta.
struct SqlResult {
  std::vector<SqlRow> rows;
  int64_t changes = 0;
  int64_t last_row_id = 0;
};

class PreparedStatement;

class Database {
 public:
  virtual ~Database() = default;
  // Runs one statement.
  virtual Result<SqlResult> Execute(const SqlStatement& statement) = 0;
  // Runs statements in one transaction: all apply or none (D1 batch()).
  virtual Result<std::vector<SqlResult>> Batch(const std::vector<SqlStatement>& statements) = 0;

  PreparedStatement Prepare(std::string sql);
};

// db.Prepare(sql).Bind(a).Bind(b).All() — D1's prepare/bind/all/first/run, synchronous to C++.
class PreparedStatement {
 public:
  PreparedStatement(Database& db, std::string sql) : db_(&db) { statement_.sql = std::move(sql); }

  PreparedStatement& Bind(std::nullptr_t) { return Push(std::monostate{}); }
  PreparedStatement& Bind(int64_t v) { return Push(v); }
  PreparedStatement& Bind(int v) { return Push(static_cast<int64_t>(v)); }
  PreparedStatement& Bind(double v) { return Push(v); }
  PreparedStatement& Bind(bool v) { return Push(static_cast<int64_t>(v ? 1 : 0)); }
  PreparedStatement& Bind(std::string v) { return Push(std::move(v)); }
  PreparedStatement& Bind(const char* v) { return Push(std::string(v)); }
  template <class T>
  PreparedStatement& Bind(const std::optional<T>& v) {
    if (v) return Bind(*v);
    return Bind(nullptr);
  }

  Result<std::vector<SqlRow>> All() const;
  Result<std::optional<SqlRow>> First() const;
  Result<SqlResult> Run() const;
  const SqlStatement& statement() const { return statement_; }

 private:
  PreparedStatement& Push(SqlValue v) {
    statement_.params.push_back(std::move(v));
    return *this;
  }
  Database* db_;
  SqlStatement statement_;
};

inline PreparedStatement Database::Prepare(std::string sql) {
  return PreparedStatement(*this, std::move(sql));
}

inline Result<std::vector<SqlRow>> PreparedStatement::All() const {
  auto r = db_->Execute(statement_);
  if (!r.ok()) return r.status();
  return std::move(r.value().rows);
}

inline Result<std::optional<SqlRow>> PreparedStatement::First() const {
  auto r = db_->Execute(statement_);
  if (!r.ok()) return r.status();
  if (r->rows.empty()) return std::optional<SqlRow>();
  return std::optional<SqlRow>(std::move(r->rows.front()));
}

inline Result<SqlResult> PreparedStatement::Run() const { return db_->Execute(statement_); }

// Checks the 2^53 rule for every parameter; both implementations call it so they refuse alike.
inline Status CheckSafeParams(const SqlStatement& s) {
  for (const auto& p : s.params) {
    if (auto* i = std::get_if<int64_t>(&p); i && !IsSafeInteger(*i)) {
      return Status::InvalidArgument("integer parameter beyond 2^53 cannot be stored exactly");
    }
  }
  return Status::Ok();
}

}  // namespace nb
