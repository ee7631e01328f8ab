// The one keyset-paging step the user, ledger and image lists share (repositories/keyset_page.h).
#include "repositories/keyset_page.h"

#include <catch2/catch.hpp>

#include "native/sqlite_database.h"

namespace nb {
namespace {

struct Item {
  std::string id;
  int64_t created_at_ms = 0;
  static Result<Item> FromRow(const SqlRow& row) {
    Item item;
    NB_ASSIGN_OR_RETURN(item.id, row.GetText("id"));
    NB_ASSIGN_OR_RETURN(item.created_at_ms, row.GetInt64("created_at"));
    return item;
  }
};

// Five rows, two of them sharing a created_at so the id breaks the tie.
std::unique_ptr<SqliteDatabase> OpenItems() {
  auto db = SqliteDatabase::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(
      (*db)
          ->ExecScript("CREATE TABLE items (id TEXT PRIMARY KEY, owner TEXT, created_at INTEGER);"
                       "INSERT INTO items VALUES ('a', 'u', 1), ('b', 'u', 2), ('c', 'u', 2), ('d', 'u', 3),"
                       " ('e', 'u', 4), ('x', 'other', 5);")
          .ok());
  return std::move(db).value();
}

Result<Page<Item>> ListPage(Database& db, int limit, const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  NB_ASSIGN_OR_RETURN(auto result,
                      db.Execute(paging.Query("SELECT * FROM items WHERE owner = ?", {std::string("u")})));
  return paging.Collect<Item>(result.rows);
}

std::vector<std::string> Ids(const Page<Item>& page) {
  std::vector<std::string> ids;
  for (const auto& item : page.items) ids.push_back(item.id);
  return ids;
}

TEST_CASE("keyset pages walk newest first without repeats and end without a cursor", "[paging]") {
  auto db = OpenItems();
  auto first = ListPage(*db, 2, std::nullopt);
  REQUIRE(first.ok());
  CHECK(Ids(*first) == std::vector<std::string>{"e", "d"});
  REQUIRE(first->next_cursor);
  CHECK(*first->next_cursor == EncodePageCursor({3, "d"}));

  auto second = ListPage(*db, 2, first->next_cursor);
  REQUIRE(second.ok());
  CHECK(Ids(*second) == std::vector<std::string>{"c", "b"});  // same created_at: id DESC

  auto last = ListPage(*db, 2, second->next_cursor);
  REQUIRE(last.ok());
  CHECK(Ids(*last) == std::vector<std::string>{"a"});
  CHECK_FALSE(last->next_cursor.has_value());

  // A page exactly as long as what is left has no next page: the extra row is what tells.
  auto exact = ListPage(*db, 5, std::nullopt);
  REQUIRE(exact.ok());
  CHECK(exact->items.size() == 5);
  CHECK_FALSE(exact->next_cursor.has_value());
  CHECK_FALSE(exact->total.has_value());
}

TEST_CASE("a bad limit or cursor is InvalidArgument before any query", "[paging]") {
  CHECK(KeysetPage::Start(0, std::nullopt).status().code() == Status::Code::kInvalidArgument);
  CHECK(KeysetPage::Start(101, std::nullopt).status().code() == Status::Code::kInvalidArgument);
  CHECK(KeysetPage::Start(10, std::string("not a cursor")).status().code() == Status::Code::kInvalidArgument);
  auto ok = KeysetPage::Start(100, EncodePageCursor({5, "x"}));
  REQUIRE(ok.ok());
  const SqlStatement q = ok->Query("SELECT * FROM t WHERE a = ?", {std::string("v")});
  CHECK(q.sql == std::string("SELECT * FROM t WHERE a = ? AND ") + kAfterCursorSql +
                     " ORDER BY created_at DESC, id DESC LIMIT ?");
  CHECK(q.params ==
        std::vector<SqlValue>{std::string("v"), int64_t{5}, int64_t{5}, std::string("x"), int64_t{101}});
}

TEST_CASE("a row the item cannot read fails the page", "[paging]") {
  auto db = OpenItems();
  REQUIRE(db->ExecScript("UPDATE items SET created_at = NULL WHERE id = 'e';").ok());
  CHECK(ListPage(*db, 5, std::nullopt).status().code() == Status::Code::kInternal);  // NULL sorts last
}

}  // namespace
}  // namespace nb
