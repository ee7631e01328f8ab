#include "native/sqlite_database.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>

namespace nb {
namespace {

// A new directory under the system's temporary directory (TMPDIR when set), not a fixed path; "" if
// none could be made. mkdir with a random name rather than mkdtemp or std::filesystem, which WASI's
// libc and libc++ lack (the wasm runner preopens a scratch directory as TMPDIR).
std::string MakeTemporaryDirectory(const std::string& prefix) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string base = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string path = base + "/" + prefix + std::to_string(random());
    if (mkdir(path.c_str(), 0700) == 0) return path;
    if (errno != EEXIST) break;
  }
  return "";
}

std::unique_ptr<SqliteDatabase> OpenWithSchema() {
  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE((*db)
              ->ExecScript(R"sql(
    CREATE TABLE users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE,
      credits INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
      score REAL,
      note TEXT
    );
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id)
    );
  )sql")
              .ok());
  return std::move(db.value());
}

int64_t CountUsers(Database& db) {
  auto row = db.Prepare("SELECT COUNT(*) AS n FROM users").First();
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  return (**row).GetInt64("n").value();
}

TEST_CASE("Run inserts and reports changes and last_row_id", "[sqlite]") {
  auto db = OpenWithSchema();
  auto first = db->Prepare("INSERT INTO users (email, credits) VALUES (?, ?)").Bind("a@x").Bind(5).Run();
  REQUIRE(first.ok());
  CHECK(first->changes == 1);
  CHECK(first->last_row_id == 1);
  auto second = db->Prepare("INSERT INTO users (email) VALUES (?)").Bind("b@x").Run();
  REQUIRE(second.ok());
  CHECK(second->last_row_id == 2);

  auto update = db->Prepare("UPDATE users SET credits = credits + ?").Bind(1).Run();
  REQUIRE(update.ok());
  CHECK(update->changes == 2);
  auto none = db->Prepare("UPDATE users SET credits = 0 WHERE email = ?").Bind("nobody").Run();
  REQUIRE(none.ok());
  CHECK(none->changes == 0);
}

TEST_CASE("All returns typed rows with SQL types preserved", "[sqlite]") {
  auto db = OpenWithSchema();
  REQUIRE(db->Prepare("INSERT INTO users (email, credits, score, note) VALUES (?, ?, ?, ?)")
              .Bind("a@x")
              .Bind(int64_t{7})
              .Bind(2.5)
              .Bind(nullptr)
              .Run()
              .ok());
  REQUIRE(db->Prepare("INSERT INTO users (email, credits, score, note) VALUES (?, ?, ?, ?)")
              .Bind(std::string("b@x"))
              .Bind(true)
              .Bind(std::optional<double>())
              .Bind(std::optional<std::string>("hi"))
              .Run()
              .ok());

  auto rows = db->Prepare("SELECT email, credits, score, note FROM users ORDER BY id").All();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  const auto& a = (*rows)[0];
  CHECK(a.columns() == std::vector<std::string>{"email", "credits", "score", "note"});
  CHECK(a.GetText("email").value() == "a@x");
  CHECK(std::holds_alternative<int64_t>(*a.Find("credits")));
  CHECK(a.GetInt64("credits").value() == 7);
  CHECK(std::holds_alternative<double>(*a.Find("score")));
  CHECK(a.GetDouble("score").value() == 2.5);
  CHECK(a.IsNull("note").value());
  const auto& b = (*rows)[1];
  CHECK(b.GetInt64("credits").value() == 1);  // bool binds as 1
  CHECK(b.IsNull("score").value());
  CHECK(b.GetText("note").value() == "hi");

  auto empty = db->Prepare("SELECT * FROM users WHERE email = ?").Bind("nobody").All();
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("First returns the first row or nullopt", "[sqlite]") {
  auto db = OpenWithSchema();
  REQUIRE(db->Prepare("INSERT INTO users (email) VALUES ('a@x'), ('b@x')").Run().ok());
  auto first = db->Prepare("SELECT email FROM users ORDER BY email DESC").First();
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((**first).GetText("email").value() == "b@x");
  auto missing = db->Prepare("SELECT email FROM users WHERE id = ?").Bind(99).First();
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("text is bound and read back byte for byte", "[sqlite]") {
  auto db = OpenWithSchema();
  const std::string note = "quote ' semicolon ; emoji \xF0\x9F\x8D\x8C";
  REQUIRE(db->Prepare("INSERT INTO users (email, note) VALUES (?, ?)").Bind("a@x").Bind(note).Run().ok());
  auto row = db->Prepare("SELECT note FROM users").First();
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((**row).GetText("note").value() == note);
}

TEST_CASE("Batch applies every statement in order and returns each result", "[sqlite]") {
  auto db = OpenWithSchema();
  auto results = db->Batch({
      {"INSERT INTO users (email, credits) VALUES (?, ?)", {std::string("a@x"), int64_t{10}}},
      {"UPDATE users SET credits = credits - ? WHERE email = ?", {int64_t{3}, std::string("a@x")}},
      {"SELECT credits FROM users WHERE email = ?", {std::string("a@x")}},
  });
  REQUIRE(results.ok());
  REQUIRE(results->size() == 3);
  CHECK((*results)[0].last_row_id == 1);
  CHECK((*results)[1].changes == 1);
  REQUIRE((*results)[2].rows.size() == 1);
  CHECK((*results)[2].rows[0].GetInt64("credits").value() == 7);
}

TEST_CASE("a failing statement rolls back the whole batch", "[sqlite]") {
  auto db = OpenWithSchema();
  REQUIRE(db->Prepare("INSERT INTO users (email, credits) VALUES ('taken@x', 1)").Run().ok());

  auto batch = db->Batch({
      {"INSERT INTO users (email) VALUES (?)", {std::string("new@x")}},
      {"INSERT INTO users (email) VALUES (?)", {std::string("taken@x")}},
  });
  REQUIRE_FALSE(batch.ok());
  CHECK(batch.status().code() == Status::Code::kConflict);
  CHECK(CountUsers(*db) == 1);  // new@x was rolled back
  auto new_user = db->Prepare("SELECT id FROM users WHERE email = 'new@x'").First();
  REQUIRE(new_user.ok());
  CHECK_FALSE(new_user->has_value());

  SECTION("a CHECK failure in the middle also undoes earlier updates") {
    auto check = db->Batch({
        {"UPDATE users SET credits = credits + 100", {}},
        {"UPDATE users SET credits = credits - 1000", {}},
    });
    REQUIRE_FALSE(check.ok());
    CHECK(check.status().code() == Status::Code::kFailedPrecondition);
    auto credits = db->Prepare("SELECT credits FROM users").First();
    REQUIRE(credits.ok());
    REQUIRE(credits->has_value());
    CHECK((**credits).GetInt64("credits").value() == 1);
  }
  SECTION("a statement that does not compile rolls back too") {
    auto bad = db->Batch({
        {"INSERT INTO users (email) VALUES ('other@x')", {}},
        {"INSERT INTO nowhere VALUES (1)", {}},
    });
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == Status::Code::kInvalidArgument);
    CHECK(CountUsers(*db) == 1);
  }
  SECTION("the database stays usable after a failed batch") {
    auto next = db->Batch({{"INSERT INTO users (email) VALUES ('later@x')", {}}});
    REQUIRE(next.ok());
    CHECK(CountUsers(*db) == 2);
    REQUIRE(db->Prepare("INSERT INTO users (email) VALUES ('single@x')").Run().ok());
    CHECK(CountUsers(*db) == 3);
  }
}

TEST_CASE("constraint violations map to the port's codes", "[sqlite]") {
  auto db = OpenWithSchema();
  REQUIRE(db->Prepare("INSERT INTO users (email, credits) VALUES ('a@x', 0)").Run().ok());

  SECTION("UNIQUE is Conflict") {
    auto r = db->Prepare("INSERT INTO users (email) VALUES (?)").Bind("a@x").Run();
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kConflict);
    CHECK(r.status().message().find("UNIQUE") != std::string::npos);
  }
  SECTION("a duplicate PRIMARY KEY is Conflict") {
    REQUIRE(db->Prepare("INSERT INTO jobs (id, user_id) VALUES ('j1', 1)").Run().ok());
    auto r = db->Prepare("INSERT INTO jobs (id, user_id) VALUES ('j1', 1)").Run();
    CHECK(r.status().code() == Status::Code::kConflict);
  }
  SECTION("CHECK is FailedPrecondition") {
    auto r = db->Prepare("UPDATE users SET credits = credits - ? WHERE email = ?").Bind(1).Bind("a@x").Run();
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kFailedPrecondition);
    auto row = db->Prepare("SELECT credits FROM users").First();
    REQUIRE(row.ok());
    CHECK((**row).GetInt64("credits").value() == 0);
  }
  SECTION("NOT NULL is FailedPrecondition") {
    auto r = db->Prepare("INSERT INTO users (email) VALUES (?)").Bind(nullptr).Run();
    CHECK(r.status().code() == Status::Code::kFailedPrecondition);
  }
  SECTION("foreign keys are enforced, as D1 enforces them") {
    auto r = db->Prepare("INSERT INTO jobs (id, user_id) VALUES ('j2', 999)").Run();
    CHECK(r.status().code() == Status::Code::kFailedPrecondition);
  }
}

TEST_CASE("integers beyond 2^53 are refused on bind and on read", "[sqlite]") {
  auto db = OpenWithSchema();
  auto too_big = db->Prepare("INSERT INTO users (email, credits) VALUES (?, ?)")
                     .Bind("a@x")
                     .Bind(kMaxSafeInteger + 1)
                     .Run();
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.status().code() == Status::Code::kInvalidArgument);
  auto too_small = db->Prepare("SELECT ? AS v").Bind(-kMaxSafeInteger - 1).All();
  CHECK(too_small.status().code() == Status::Code::kInvalidArgument);
  CHECK(CountUsers(*db) == 0);

  // The exact limits are fine.
  auto max = db->Prepare("SELECT ? AS hi, ? AS lo").Bind(kMaxSafeInteger).Bind(-kMaxSafeInteger).First();
  REQUIRE(max.ok());
  REQUIRE(max->has_value());
  CHECK((**max).GetInt64("hi").value() == kMaxSafeInteger);
  CHECK((**max).GetInt64("lo").value() == -kMaxSafeInteger);

  // A refused parameter fails the whole batch.
  auto batch = db->Batch({
      {"INSERT INTO users (email) VALUES ('b@x')", {}},
      {"UPDATE users SET credits = ?", {int64_t{1} << 60}},
  });
  CHECK(batch.status().code() == Status::Code::kInvalidArgument);
  CHECK(CountUsers(*db) == 0);

  // A value that got in by literal SQL cannot be read back silently rounded.
  auto read = db->Prepare("SELECT 9007199254740993 AS v").All();
  CHECK(read.status().code() == Status::Code::kOutOfRange);
}

TEST_CASE("bad SQL and wrong parameter counts are InvalidArgument", "[sqlite]") {
  auto db = OpenWithSchema();
  CHECK(db->Prepare("SELEC 1").All().status().code() == Status::Code::kInvalidArgument);
  CHECK(db->Prepare("SELECT * FROM missing_table").All().status().code() == Status::Code::kInvalidArgument);
  // D1 answers "Wrong number of parameter bindings"; SQLite alone would bind NULL or ignore extras.
  CHECK(db->Prepare("INSERT INTO users (email) VALUES (?)").Run().status().code() ==
        Status::Code::kInvalidArgument);
  CHECK(db->Prepare("SELECT ? AS a").Bind(1).Bind(2).All().status().code() == Status::Code::kInvalidArgument);
  CHECK(CountUsers(*db) == 0);
  auto numbered = db->Prepare("SELECT ?1 + ?2 AS s").Bind(1).Bind(2).First();
  REQUIRE(numbered.ok());
  CHECK((**numbered).GetInt64("s").value() == 3);
}

TEST_CASE("ApplyMigrations runs *.sql files in name order", "[sqlite]") {
  const std::string d = MakeTemporaryDirectory("nb_migrations_");
  REQUIRE(!d.empty());
  const char* dir = d.c_str();
  std::ofstream(d + "/0002_add_column.sql") << "ALTER TABLE t ADD COLUMN b TEXT;";
  std::ofstream(d + "/0001_create.sql") << "CREATE TABLE t (a INTEGER);\nINSERT INTO t (a) VALUES (1);";
  std::ofstream(d + "/README.md") << "not sql";

  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  Status applied = (*db)->ApplyMigrations(d);
  std::remove((d + "/0001_create.sql").c_str());
  std::remove((d + "/0002_add_column.sql").c_str());
  std::remove((d + "/README.md").c_str());
  rmdir(dir);
  REQUIRE(applied.ok());
  auto row = (*db)->Prepare("SELECT a, b FROM t").First();
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((**row).GetInt64("a").value() == 1);
  CHECK((**row).IsNull("b").value());

  CHECK((*db)->ApplyMigrations("/nonexistent/nb-migrations").code() == Status::Code::kNotFound);
}

TEST_CASE("the repository's migrations apply to a fresh database", "[sqlite]") {
  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  Status s = (*db)->ApplyMigrations(MIGRATIONS_DIR);
  INFO(s.ToString());
  CHECK(s.ok());
}

}  // namespace
}  // namespace nb
