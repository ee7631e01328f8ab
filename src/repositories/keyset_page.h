// The one keyset-paging step every newest-first list shares (admin users, the coin ledger, images):
// check the limit, start after the cursor, fetch one row more than the page, and turn that extra row
// into next_cursor. Rows are ordered by (created_at DESC, id DESC); see page_cursor.h.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ports/database.h"
#include "repositories/page_cursor.h"

namespace nb {

class KeysetPage {
 public:
  // InvalidArgument for a limit outside 1..100 or a malformed cursor.
  static Result<KeysetPage> Start(int limit, const std::optional<std::string>& cursor) {
    NB_RETURN_IF_ERROR(CheckPageLimit(limit));
    KeysetPage page(limit);
    if (cursor) {
      NB_ASSIGN_OR_RETURN(PageCursor after, DecodePageCursor(*cursor));
      page.after_ = std::move(after);
    }
    return page;
  }

  // `select` ends in a WHERE clause ("SELECT * FROM t WHERE user_id = ?") whose parameters are
  // `params`; the page's own condition, order and limit are appended.
  SqlStatement Query(std::string select, std::vector<SqlValue> params) const {
    if (after_) {
      select += std::string(" AND ") + kAfterCursorSql;
      params.insert(params.end(), {after_->created_at_ms, after_->created_at_ms, after_->id});
    }
    select += " ORDER BY created_at DESC, id DESC LIMIT ?";
    params.push_back(static_cast<int64_t>(limit_) + 1);  // the extra row tells whether a next page exists
    return SqlStatement{std::move(select), std::move(params)};
  }

  // The query's rows as a page of T (anything with FromRow, created_at_ms and id).
  template <class T>
  Result<Page<T>> Collect(const std::vector<SqlRow>& rows) const {
    Page<T> page;
    for (const SqlRow& row : rows) {
      if (page.items.size() == static_cast<size_t>(limit_)) {
        page.next_cursor = EncodePageCursor({page.items.back().created_at_ms, page.items.back().id});
        break;
      }
      NB_ASSIGN_OR_RETURN(T item, T::FromRow(row));
      page.items.push_back(std::move(item));
    }
    return page;
  }

 private:
  explicit KeysetPage(int limit) : limit_(limit) {}
  int limit_;
  std::optional<PageCursor> after_;
};

}  // namespace nb
