// A fresh in-memory SQLite database with the real migrations applied, per test.
#pragma once

#include <catch2/catch.hpp>
#include <memory>

#include "native/sqlite_database.h"

namespace nb {

inline std::unique_ptr<SqliteDatabase> OpenMigratedDatabase() {
  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  const Status migrated = (*db)->ApplyMigrations(MIGRATIONS_DIR);
  INFO(migrated.ToString());
  REQUIRE(migrated.ok());
  return std::move(db).value();
}

}  // namespace nb
