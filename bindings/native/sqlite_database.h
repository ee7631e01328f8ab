// The database port on libsqlite3, for native tests. D1 is SQLite, so SQL and constraints behave alike.
#pragma once

#include <memory>
#include <string>

#include "ports/database.h"

struct sqlite3;

namespace nb {

class SqliteDatabase final : public Database {
 public:
  // path ":memory:" gives a private in-memory database.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);
  ~SqliteDatabase() override;

  Result<SqlResult> Execute(const SqlStatement& statement) override;
  Result<std::vector<SqlResult>> Batch(const std::vector<SqlStatement>& statements) override;

  // Runs a script of several statements (migrations).
  Status ExecScript(const std::string& sql);
  // Applies every migrations/*.sql in name order, as `wrangler d1 migrations apply` does.
  Status ApplyMigrations(const std::string& dir);

 private:
  explicit SqliteDatabase(sqlite3* handle) : handle_(handle) {}
  Result<SqlResult> Step(const SqlStatement& statement);
  sqlite3* handle_;
};

}  // namespace nb
