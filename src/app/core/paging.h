// ?limit= and ?cursor= as every list endpoint reads them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "http/api_error.h"
#include "http/request.h"
#include "repositories/page_cursor.h"

namespace nb {

struct PageRequest {
  int limit = 20;
  std::optional<std::string> cursor;
};

// 400 for a limit outside 1..100 or that is not a number; cursors are checked by the repositories.
std::variant<PageRequest, http::ApiError> ReadPageRequest(const http::Request& request,
                                                          int default_limit = 20);

// {"items": [to_json(item)...], "nextCursor": string|null}, the shape of every list answer.
template <class T, class ToJson>
nlohmann::json PageJson(const Page<T>& page, ToJson to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)},
          {"nextCursor", page.next_cursor ? nlohmann::json(*page.next_cursor) : nlohmann::json(nullptr)}};
}

template <class T>
nlohmann::json PageJson(const Page<T>& page) {
  return PageJson(page, [](const T& item) { return item.ToJson(); });
}

// A repository's InvalidArgument (a malformed cursor) is the client's fault: 400, not 500.
http::ApiError ListError(const Status& status);

}  // namespace nb
