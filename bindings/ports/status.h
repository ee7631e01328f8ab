// Explicit success-or-error values, in the style of leveldb's Status: no exceptions cross a port.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace nb {

// [[nodiscard]]: a Status returned and dropped is an error nobody handled. Ignoring one on purpose
// takes `(void)` and a comment that says why.
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kNotFound,
    kInvalidArgument,
    kConflict,            // unique key or precondition clash (e.g. idempotency key reused)
    kFailedPrecondition,  // a CHECK failed, e.g. a balance would go negative
    kOutOfRange,
    kPermissionDenied,
    kUnavailable,  // a backend is down or refused; may be retried
    kIoError,
    kInternal,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
  static Status Conflict(std::string m) { return Status(Code::kConflict, std::move(m)); }
  static Status FailedPrecondition(std::string m) { return Status(Code::kFailedPrecondition, std::move(m)); }
  static Status OutOfRange(std::string m) { return Status(Code::kOutOfRange, std::move(m)); }
  static Status PermissionDenied(std::string m) { return Status(Code::kPermissionDenied, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status IoError(std::string m) { return Status(Code::kIoError, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsFailedPrecondition() const { return code_ == Code::kFailedPrecondition; }
  bool IsOutOfRange() const { return code_ == Code::kOutOfRange; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsIoError() const { return code_ == Code::kIoError; }
  bool IsInternal() const { return code_ == Code::kInternal; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

const char* CodeName(Status::Code code);

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

inline const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kNotFound: return "NotFound";
    case Status::Code::kInvalidArgument: return "InvalidArgument";
    case Status::Code::kConflict: return "Conflict";
    case Status::Code::kFailedPrecondition: return "FailedPrecondition";
    case Status::Code::kOutOfRange: return "OutOfRange";
    case Status::Code::kPermissionDenied: return "PermissionDenied";
    case Status::Code::kUnavailable: return "Unavailable";
    case Status::Code::kIoError: return "IoError";
    case Status::Code::kInternal: return "Internal";
  }
  return "Unknown";
}

// A value or the Status that explains its absence. [[nodiscard]] like Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // A Result built from a Status holds no value, so an OK Status here is a bug: keep it an error.
  Result(Status status)  // NOLINT: implicit by design
      : status_(status.ok() ? Status::Internal("Result built from an OK status") : std::move(status)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;  // OK exactly when value_ is set
};

}  // namespace nb

// Early return of a failed Status from a function returning Status or Result<T>.
#define NB_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::nb::Status nb_status_ = (expr);        \
    if (!nb_status_.ok()) return nb_status_; \
  } while (0)

#define NB_CONCAT_INNER(a, b) a##b
#define NB_CONCAT(a, b) NB_CONCAT_INNER(a, b)
// NB_ASSIGN_OR_RETURN(auto x, ResultExpr()); declares x from the Result's value or returns its Status.
#define NB_ASSIGN_OR_RETURN(decl, expr) NB_ASSIGN_OR_RETURN_IMPL(NB_CONCAT(nb_result_, __LINE__), decl, expr)
#define NB_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  decl = std::move(tmp).value()
