// What every handler, middleware and app-layer helper returns: a value or the contract error to
// answer with. One shape and one unwrap (NB_TRY) instead of variants, optional errors and Status
// checks mixed per handler.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "http/api_error.h"
#include "http/response.h"
#include "ports/status.h"

namespace nb {

template <class T = void>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : value_(std::move(value)) {}               // NOLINT: implicit by design
  ApiResult(http::ApiError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  ApiResult(http::ErrorCode code) : error_(code) {}              // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const http::ApiError& error() const& { return error_; }
  http::ApiError&& error() && { return std::move(error_); }

 private:
  std::optional<T> value_;
  http::ApiError error_;  // meaningful only when !ok()
};

// A check that yields nothing but may fail: ApiResult<>.
template <>
class [[nodiscard]] ApiResult<void> {
 public:
  ApiResult() = default;
  ApiResult(http::ApiError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  ApiResult(http::ErrorCode code) : error_(code) {}              // NOLINT: implicit by design

  bool ok() const { return !error_; }
  void value() && {}
  const http::ApiError& error() const& { return *error_; }
  http::ApiError&& error() && { return std::move(*error_); }

 private:
  std::optional<http::ApiError> error_;
};

// What a handler answers.
using Reply = ApiResult<http::Response>;

// A domain Result whose failure needs its own contract error (404 for NotFound, 409 for a conflict...)
// rather than ErrorFromStatus' 500/503: OrError(users.SetRoles(...), RolesError).
template <class T, class ToError>
ApiResult<T> OrError(Result<T> result, ToError&& to_error) {
  if (result.ok()) return std::move(result).value();
  return to_error(result.status());
}
template <class ToError>
ApiResult<> OrError(const Status& status, ToError&& to_error) {
  if (status.ok()) return {};
  return to_error(status);
}

namespace try_detail {
// NB_TRY accepts ApiResult<T>, the variant<T, ApiError> of the http helpers, Result<T> and Status. A
// port failure nobody mapped becomes ErrorFromStatus (500, or 503 for Unavailable) with the Status
// as its logged cause.
template <class T>
bool IsOk(const ApiResult<T>& r) {
  return r.ok();
}
template <class T>
bool IsOk(const std::variant<T, http::ApiError>& v) {
  return v.index() == 0;
}
template <class T>
bool IsOk(const Result<T>& r) {
  return r.ok();
}
inline bool IsOk(const Status& s) { return s.ok(); }

template <class T>
http::ApiError ErrorOf(ApiResult<T>&& r) {
  return std::move(r).error();
}
template <class T>
http::ApiError ErrorOf(std::variant<T, http::ApiError>&& v) {
  return std::get<1>(std::move(v));
}
template <class T>
http::ApiError ErrorOf(Result<T>&& r) {
  return http::ErrorFromStatus(r.status());
}
inline http::ApiError ErrorOf(Status&& s) { return http::ErrorFromStatus(s); }

template <class T>
T ValueOf(ApiResult<T>&& r) {
  if constexpr (std::is_void_v<T>) {
    return;
  } else {
    return std::move(r).value();
  }
}
template <class T>
T ValueOf(std::variant<T, http::ApiError>&& v) {
  return std::get<0>(std::move(v));
}
template <class T>
T ValueOf(Result<T>&& r) {
  return std::move(r).value();
}
inline void ValueOf(Status&&) {}
}  // namespace try_detail

}  // namespace nb

// NB_TRY(expr): the value of expr (an ApiResult, a variant<T, ApiError>, a Result or a Status), or an early
// return of its error from the enclosing function, which returns an ApiResult (a handler's Reply included).
// A clang/GCC statement expression: the project builds without exceptions, so this is `?` in Rust.
#define NB_TRY(expr)                                                                            \
  ({                                                                                            \
    auto nb_try_ = (expr);                                                                      \
    if (!::nb::try_detail::IsOk(nb_try_)) return ::nb::try_detail::ErrorOf(std::move(nb_try_)); \
    ::nb::try_detail::ValueOf(std::move(nb_try_));                                              \
  })
