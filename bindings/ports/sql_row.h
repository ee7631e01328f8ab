// Typed SQL values and rows: what crosses the Database port, in both directions, instead of JSON.
// A row reads its cells by column name and says exactly what went wrong (a missing column, a NULL
// where a value is required, a TEXT where an INTEGER is expected) as a Status, never by guessing.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ports/status.h"

namespace nb {

// SQL NULL, INTEGER, REAL, TEXT. No BLOB: bytes live in R2, and both adapters refuse a BLOB column.
// Integers are exact int64 end to end; beyond +/-(2^53-1) they are refused, since D1 (JavaScript
// numbers) would round them.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
inline constexpr int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

inline bool IsSafeInteger(int64_t n) { return n <= kMaxSafeInteger && n >= -kMaxSafeInteger; }

// SQLite's name for a value's storage class, for error messages.
inline const char* SqlTypeName(const SqlValue& v) {
  switch (v.index()) {
    case 0: return "NULL";
    case 1: return "INTEGER";
    case 2: return "REAL";
    default: return "TEXT";
  }
}

// The column names of one result, shared by all its rows.
using SqlColumns = std::shared_ptr<const std::vector<std::string>>;

class SqlRow {
 public:
  SqlRow(SqlColumns columns, std::vector<SqlValue> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  // A row built by hand (tests, fakes), columns in the order given.
  static SqlRow Of(std::initializer_list<std::pair<std::string, SqlValue>> cells) {
    return Of(std::vector<std::pair<std::string, SqlValue>>(cells));
  }
  static SqlRow Of(const std::vector<std::pair<std::string, SqlValue>>& cells) {
    auto names = std::make_shared<std::vector<std::string>>();
    std::vector<SqlValue> values;
    for (const auto& [name, value] : cells) {
      names->push_back(name);
      values.push_back(value);
    }
    return SqlRow(std::move(names), std::move(values));
  }

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }
  const std::vector<SqlValue>& values() const { return values_; }

  // nullptr when the row has no such column.
  const SqlValue* Find(std::string_view column) const {
    const auto& names = *columns_;
    for (size_t i = 0; i < names.size() && i < values_.size(); ++i) {
      if (names[i] == column) return &values_[i];
    }
    return nullptr;
  }

  // Internal when the column is missing or NULL, or holds another type: the SQL and the code that
  // reads its rows disagree, which is the server's bug.
  Result<int64_t> GetInt64(std::string_view column) const { return Required<int64_t>(column, "INTEGER"); }
  Result<std::string> GetText(std::string_view column) const { return Required<std::string>(column, "TEXT"); }
  // A REAL, or an INTEGER widened (D1 cannot tell 3.0 from 3: JavaScript has one number type).
  Result<double> GetDouble(std::string_view column) const {
    NB_ASSIGN_OR_RETURN(const SqlValue* v, Cell(column));
    if (auto* d = std::get_if<double>(v)) return *d;
    if (auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
    return WrongType(column, *v, "REAL");
  }

  // As above, but NULL reads as nullopt.
  Result<std::optional<int64_t>> GetOptionalInt64(std::string_view column) const {
    return Optional<int64_t>(column, "INTEGER");
  }
  Result<std::optional<std::string>> GetOptionalText(std::string_view column) const {
    return Optional<std::string>(column, "TEXT");
  }

  // Internal when the column is missing.
  Result<bool> IsNull(std::string_view column) const {
    NB_ASSIGN_OR_RETURN(const SqlValue* v, Cell(column));
    return std::holds_alternative<std::monostate>(*v);
  }

 private:
  Result<const SqlValue*> Cell(std::string_view column) const {
    if (const SqlValue* v = Find(column)) return v;
    return Status::Internal("row has no column " + std::string(column));
  }
  static Status WrongType(std::string_view column, const SqlValue& v, const char* expected) {
    return Status::Internal("column " + std::string(column) + " is " + SqlTypeName(v) + ", not " + expected);
  }
  template <class T>
  Result<T> Required(std::string_view column, const char* expected) const {
    NB_ASSIGN_OR_RETURN(const SqlValue* v, Cell(column));
    if (auto* x = std::get_if<T>(v)) return *x;
    return WrongType(column, *v, expected);
  }
  template <class T>
  Result<std::optional<T>> Optional(std::string_view column, const char* expected) const {
    NB_ASSIGN_OR_RETURN(const SqlValue* v, Cell(column));
    if (std::holds_alternative<std::monostate>(*v)) return std::optional<T>();
    if (auto* x = std::get_if<T>(v)) return std::optional<T>(*x);
    return WrongType(column, *v, expected);
  }

  SqlColumns columns_;
  std::vector<SqlValue> values_;
};

}  // namespace nb
