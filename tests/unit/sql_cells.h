// Hand-built rows for model tests: cells in column order, editable before they become a SqlRow.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ports/sql_row.h"

namespace nb {

class SqlCells {
 public:
  SqlCells(std::initializer_list<std::pair<std::string, SqlValue>> cells) : cells_(cells) {}

  // Replaces the column's value, or appends the column.
  SqlCells& Set(const std::string& column, SqlValue value) {
    for (auto& [name, v] : cells_) {
      if (name == column) {
        v = std::move(value);
        return *this;
      }
    }
    cells_.emplace_back(column, std::move(value));
    return *this;
  }
  SqlCells& Erase(const std::string& column) {
    for (auto it = cells_.begin(); it != cells_.end(); ++it) {
      if (it->first == column) {
        cells_.erase(it);
        break;
      }
    }
    return *this;
  }
  SqlRow Row() const { return SqlRow::Of(cells_); }

 private:
  std::vector<std::pair<std::string, SqlValue>> cells_;
};

inline constexpr std::monostate kSqlNull{};

}  // namespace nb
