#include "app/core/paging.h"

namespace nb {

std::variant<PageRequest, http::ApiError> ReadPageRequest(const http::Request& request, int default_limit) {
  PageRequest page;
  page.limit = default_limit;
  if (auto limit = request.Query("limit")) {
    if (limit->empty() || limit->size() > 3 || limit->find_first_not_of("0123456789") != std::string::npos) {
      return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_limit");
    }
    page.limit = std::stoi(*limit);
    if (page.limit < 1 || page.limit > 100)
      return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_limit");
  }
  if (auto cursor = request.Query("cursor"); cursor && !cursor->empty()) page.cursor = *cursor;
  return page;
}

http::ApiError ListError(const Status& status) {
  if (status.IsInvalidArgument()) return http::ApiError(http::ErrorCode::kBadRequest, "error.bad_cursor");
  return http::ErrorFromStatus(status);
}

}  // namespace nb
