#include "sqlite_database.h"

#include <dirent.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

namespace nb {
namespace {

// Maps SQLite's error to the port's codes the way the D1 shim maps D1's messages.
Status FromSqlite(sqlite3* db, int rc) {
  std::string msg = sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    if (msg.find("UNIQUE") != std::string::npos) return Status::Conflict(msg);
    return Status::FailedPrecondition(msg);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(msg);
  return Status::IoError(msg);
}

SqlColumns ColumnNames(sqlite3_stmt* stmt) {
  auto names = std::make_shared<std::vector<std::string>>();
  const int columns = sqlite3_column_count(stmt);
  for (int c = 0; c < columns; ++c) names->push_back(sqlite3_column_name(stmt, c));
  return names;
}

// sqlite3_column_type is the value's storage class exactly, so an INTEGER stays an int64 throughout.
// The refusals match the D1 shim's (js-shim/bindings.js), so tests see what production would.
Result<SqlRow> ReadRow(sqlite3_stmt* stmt, const SqlColumns& columns) {
  std::vector<SqlValue> values;
  values.reserve(columns->size());
  for (int c = 0; c < static_cast<int>(columns->size()); ++c) {
    const std::string& name = (*columns)[static_cast<size_t>(c)];
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER: {
        const int64_t n = sqlite3_column_int64(stmt, c);
        if (!IsSafeInteger(n)) return Status::OutOfRange("column " + name + " holds an integer beyond 2^53");
        values.emplace_back(n);
        break;
      }
      case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
      case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
      case SQLITE_BLOB: return Status::InvalidArgument("column " + name + " is a BLOB; store bytes in R2");
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        values.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
      }
    }
  }
  return SqlRow(columns, std::move(values));
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open(path.c_str(), &handle);
  if (rc != SQLITE_OK) {
    std::string msg = handle ? sqlite3_errmsg(handle) : "out of memory";
    sqlite3_close(handle);
    return Status::IoError(msg);
  }
  sqlite3_exec(handle, "PRAGMA foreign_keys = ON;", nullptr, nullptr, nullptr);  // D1 enforces them
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(handle));
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(handle_); }

Result<SqlResult> SqliteDatabase::Step(const SqlStatement& statement) {
  NB_RETURN_IF_ERROR(CheckSafeParams(statement));
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(handle_, statement.sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return Status::InvalidArgument(sqlite3_errmsg(handle_));
  // D1 refuses a parameter count that does not match the SQL; SQLite alone would bind the missing
  // ones as NULL and ignore extras, hiding the bug until production.
  if (static_cast<size_t>(sqlite3_bind_parameter_count(stmt)) != statement.params.size()) {
    sqlite3_finalize(stmt);
    return Status::InvalidArgument("Wrong number of parameter bindings for SQL query: " + statement.sql);
  }
  for (size_t i = 0; i < statement.params.size(); ++i) {
    const int idx = static_cast<int>(i + 1);
    const SqlValue& v = statement.params[i];
    if (std::holds_alternative<std::monostate>(v)) {
      sqlite3_bind_null(stmt, idx);
    } else if (auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt, idx, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt, idx, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
  }
  SqlResult out;
  SqlColumns columns = ColumnNames(stmt);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    auto row = ReadRow(stmt, columns);
    if (!row.ok()) {
      sqlite3_finalize(stmt);
      return row.status();
    }
    out.rows.push_back(std::move(row).value());
  }
  if (rc != SQLITE_DONE) {
    Status s = FromSqlite(handle_, sqlite3_extended_errcode(handle_));
    sqlite3_finalize(stmt);
    return s;
  }
  sqlite3_finalize(stmt);
  out.changes = sqlite3_changes64(handle_);
  out.last_row_id = sqlite3_last_insert_rowid(handle_);
  return out;
}

Result<SqlResult> SqliteDatabase::Execute(const SqlStatement& statement) { return Step(statement); }

Result<std::vector<SqlResult>> SqliteDatabase::Batch(const std::vector<SqlStatement>& statements) {
  // D1's batch() is one implicit transaction: any failing statement rolls back the whole batch.
  sqlite3_exec(handle_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  std::vector<SqlResult> results;
  for (const auto& s : statements) {
    auto r = Step(s);
    if (!r.ok()) {
      sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
      return r.status();
    }
    results.push_back(std::move(r.value()));
  }
  if (sqlite3_exec(handle_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = FromSqlite(handle_, sqlite3_extended_errcode(handle_));
    sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  }
  return results;
}

Status SqliteDatabase::ExecScript(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::InvalidArgument(msg);
  }
  return Status::Ok();
}

Status SqliteDatabase::ApplyMigrations(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return Status::NotFound("no migrations directory " + dir);
  std::vector<std::string> files;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".sql") files.push_back(name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(dir + "/" + f);
    std::stringstream ss;
    ss << in.rdbuf();
    Status s = ExecScript(ss.str());
    if (!s.ok()) return Status::InvalidArgument(f + ": " + s.message());
  }
  return Status::Ok();
}

}  // namespace nb
