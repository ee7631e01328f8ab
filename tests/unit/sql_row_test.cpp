// The typed rows of the Database port (ports/sql_row.h), alone and as native SQLite fills them.
#include "ports/sql_row.h"

#include <catch2/catch.hpp>
#include <limits>

#include "native/sqlite_database.h"

namespace nb {
namespace {

std::unique_ptr<SqliteDatabase> OpenWithNumbers() {
  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE((*db)
              ->ExecScript("CREATE TABLE numbers (id TEXT PRIMARY KEY, n INTEGER, r REAL, t TEXT, b BLOB);")
              .ok());
  return std::move(db).value();
}

SqlRow FirstRow(Database& db, const std::string& sql) {
  auto row = db.Prepare(sql).First();
  INFO(row.status().ToString());
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  return std::move(**row);
}

TEST_CASE("a row holds any int64 exactly, no double in between", "[sqlrow]") {
  // Each of these would change on the way through a double: 2^53 + 1 rounds to 2^53.
  CHECK(static_cast<double>((int64_t{1} << 53) + 1) == static_cast<double>(int64_t{1} << 53));
  for (int64_t n : {(int64_t{1} << 53) + 1, (int64_t{1} << 62) + 1, std::numeric_limits<int64_t>::max(),
                    std::numeric_limits<int64_t>::min() + 1}) {
    INFO(n);
    const SqlRow row = SqlRow::Of({{"n", n}});
    CHECK(row.GetInt64("n").value() == n);
  }
}

TEST_CASE("native SQLite gives INTEGER columns as exact int64 up to the port's 2^53 bound", "[sqlrow]") {
  auto db = OpenWithNumbers();
  REQUIRE(db->Prepare("INSERT INTO numbers (id, n) VALUES ('max', ?), ('min', ?)")
              .Bind(kMaxSafeInteger)
              .Bind(-kMaxSafeInteger)
              .Run()
              .ok());
  const SqlRow max = FirstRow(
      *db, "SELECT n, n - 1 AS below, n % 2 AS odd, typeof(n) AS type FROM numbers WHERE id = 'max'");
  CHECK(max.GetInt64("n").value() == kMaxSafeInteger);
  CHECK(max.GetInt64("below").value() == kMaxSafeInteger - 1);
  CHECK(max.GetInt64("odd").value() == 1);
  CHECK(max.GetText("type").value() == "integer");
  CHECK(FirstRow(*db, "SELECT n FROM numbers WHERE id = 'min'").GetInt64("n").value() == -kMaxSafeInteger);
  // SQLite's own int64 arithmetic beyond 2^53 comes back exact once it is inside the bound again.
  CHECK(FirstRow(*db, "SELECT 9007199254740993 - 2 AS v").GetInt64("v").value() == kMaxSafeInteger);

  SECTION("beyond 2^53 the adapter refuses, as the D1 shim does, rather than round") {
    REQUIRE(db->ExecScript("INSERT INTO numbers (id, n) VALUES ('big', 9007199254740993);").ok());
    auto big = db->Prepare("SELECT n FROM numbers WHERE id = 'big'").First();
    REQUIRE_FALSE(big.ok());
    CHECK(big.status().code() == Status::Code::kOutOfRange);
    CHECK(big.status().message().find("column n") != std::string::npos);
  }
}

TEST_CASE("NULL reads as nullopt from the optional accessors and as an error from the others", "[sqlrow]") {
  auto db = OpenWithNumbers();
  REQUIRE(db->Prepare("INSERT INTO numbers (id) VALUES (?)").Bind("empty").Run().ok());
  const SqlRow row = FirstRow(*db, "SELECT n, r, t FROM numbers");
  CHECK(row.IsNull("n").value());
  CHECK_FALSE(row.GetOptionalInt64("n").value().has_value());
  CHECK_FALSE(row.GetOptionalText("t").value().has_value());
  const auto n = row.GetInt64("n");
  REQUIRE_FALSE(n.ok());
  CHECK(n.status().code() == Status::Code::kInternal);
  CHECK(n.status().message() == "column n is NULL, not INTEGER");
  CHECK(row.GetText("t").status().code() == Status::Code::kInternal);
  CHECK(row.GetDouble("r").status().code() == Status::Code::kInternal);

  // The same columns holding values.
  REQUIRE(db->Prepare("UPDATE numbers SET n = ?, r = ?, t = ?").Bind(5).Bind(0.5).Bind("x").Run().ok());
  const SqlRow filled = FirstRow(*db, "SELECT n, r, t FROM numbers");
  CHECK_FALSE(filled.IsNull("n").value());
  CHECK(filled.GetOptionalInt64("n").value() == 5);
  CHECK(filled.GetOptionalText("t").value() == "x");
}

TEST_CASE("a wrong type or a missing column is an error that names it", "[sqlrow]") {
  auto db = OpenWithNumbers();
  REQUIRE(db->Prepare("INSERT INTO numbers (id, n, r, t) VALUES (?, ?, ?, ?)")
              .Bind("a")
              .Bind(42)
              .Bind(2.0)
              .Bind("42")
              .Run()
              .ok());
  const SqlRow row = FirstRow(*db, "SELECT n, r, t FROM numbers");
  CHECK(row.GetText("n").status().message() == "column n is INTEGER, not TEXT");
  CHECK(row.GetInt64("t").status().message() == "column t is TEXT, not INTEGER");
  // A REAL is never read as an INTEGER, not even a whole one: SQLite typed it REAL.
  CHECK(row.GetInt64("r").status().message() == "column r is REAL, not INTEGER");
  CHECK(row.GetOptionalInt64("t").status().code() == Status::Code::kInternal);
  CHECK(row.GetDouble("t").status().code() == Status::Code::kInternal);
  // An INTEGER widens to a double (D1 cannot tell 2.0 from 2 either).
  CHECK(row.GetDouble("n").value() == 42.0);
  CHECK(row.GetDouble("r").value() == 2.0);

  for (auto status : {row.GetInt64("nope").status(), row.GetText("nope").status(),
                      row.GetOptionalText("nope").status(), row.IsNull("nope").status()}) {
    CHECK(status.code() == Status::Code::kInternal);
    CHECK(status.message() == "row has no column nope");
  }
  CHECK(row.Find("nope") == nullptr);
}

TEST_CASE("rows of one result share their column names", "[sqlrow]") {
  auto db = OpenWithNumbers();
  REQUIRE(db->ExecScript("INSERT INTO numbers (id, n) VALUES ('a', 1), ('b', 2), ('c', 3);").ok());
  auto rows = db->Prepare("SELECT id, n FROM numbers ORDER BY n").All();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK(&(*rows)[0].columns() == &(*rows)[2].columns());
  CHECK((*rows)[2].GetText("id").value() == "c");
}

TEST_CASE("a BLOB column is refused, as the D1 shim refuses it: bytes live in R2", "[sqlrow]") {
  auto db = OpenWithNumbers();
  REQUIRE(db->ExecScript("INSERT INTO numbers (id, b) VALUES ('blob', x'00ff');").ok());
  auto row = db->Prepare("SELECT b FROM numbers").First();
  REQUIRE_FALSE(row.ok());
  CHECK(row.status().code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace nb
