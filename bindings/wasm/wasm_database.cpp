#include "wasm/wasm_database.h"

#include <memory>

#include "wasm/binding_wire.h"
#include "wasm/host_call.h"

namespace nb::wasm {
namespace {

nlohmann::json StatementJson(const SqlStatement& s) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : s.params) {
    if (std::holds_alternative<std::monostate>(p)) {
      params.push_back(nullptr);
    } else if (auto* i = std::get_if<int64_t>(&p)) {
      params.push_back(*i);
    } else if (auto* d = std::get_if<double>(&p)) {
      params.push_back(*d);
    } else {
      params.push_back(std::get<std::string>(p));
    }
  }
  return {{"sql", s.sql}, {"params", std::move(params)}};
}

// The shim sends each result as {"columns": [names], "rows": [[cells]], changes, lastRowId}: names
// once per result, not once per row. JSON keeps JavaScript's integer/fraction distinction in its
// text (JSON.stringify writes 3, not 3.0), so an INTEGER parses as an int64 and a REAL with a
// fraction as a double; the shim has already refused integers beyond 2^53 and BLOBs.
Result<SqlValue> ValueFrom(nlohmann::json& cell) {
  switch (cell.type()) {
    case nlohmann::json::value_t::null: return SqlValue(std::monostate{});
    case nlohmann::json::value_t::number_integer: return SqlValue(cell.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const auto n = cell.get<uint64_t>();
      if (n > static_cast<uint64_t>(kMaxSafeInteger)) return Status::OutOfRange("D1 integer beyond 2^53");
      return SqlValue(static_cast<int64_t>(n));
    }
    case nlohmann::json::value_t::number_float: return SqlValue(cell.get<double>());
    case nlohmann::json::value_t::string: return SqlValue(std::move(cell.get_ref<std::string&>()));
    default: return Status::Internal("D1 reply holds a value that is not NULL, a number or text");
  }
}

Result<SqlResult> ResultFrom(nlohmann::json& r) {
  SqlResult one;
  auto names = std::make_shared<std::vector<std::string>>();
  if (auto& columns = r["columns"]; columns.is_array()) {
    for (auto& c : columns) {
      if (!c.is_string()) return Status::Internal("D1 column name is not text");
      names->push_back(std::move(c.get_ref<std::string&>()));
    }
  }
  const SqlColumns shared = std::move(names);
  if (auto& rows = r["rows"]; rows.is_array()) {
    one.rows.reserve(rows.size());
    for (auto& row : rows) {
      if (!row.is_array() || row.size() != shared->size())
        return Status::Internal("D1 row does not match its columns");
      std::vector<SqlValue> values;
      values.reserve(row.size());
      for (auto& cell : row) {
        NB_ASSIGN_OR_RETURN(SqlValue v, ValueFrom(cell));
        values.push_back(std::move(v));
      }
      one.rows.emplace_back(shared, std::move(values));
    }
  }
  one.changes = r.value("changes", int64_t{0});
  one.last_row_id = r.value("lastRowId", int64_t{0});
  return one;
}

Result<std::vector<SqlResult>> Run(const char* op, const std::vector<SqlStatement>& statements) {
  NB_ASSIGN_OR_RETURN(nlohmann::json head, D1RequestHead(op, statements));
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kD1, head));
  return D1Results(reply, statements.size());
}

}  // namespace

Result<nlohmann::json> D1RequestHead(const char* op, const std::vector<SqlStatement>& statements) {
  nlohmann::json stmts = nlohmann::json::array();
  for (const auto& s : statements) {
    NB_RETURN_IF_ERROR(CheckSafeParams(s));
    stmts.push_back(StatementJson(s));
  }
  return nlohmann::json{{"op", op}, {"stmts", std::move(stmts)}};
}

Result<std::vector<SqlResult>> D1Results(HostReply& reply, size_t expected) {
  auto& results = reply.head["results"];
  if (!results.is_array() || results.size() != expected) {
    return Status::Internal("D1 reply has the wrong number of results");
  }
  std::vector<SqlResult> out;
  for (auto& r : results) {
    NB_ASSIGN_OR_RETURN(SqlResult one, ResultFrom(r));
    out.push_back(std::move(one));
  }
  return out;
}

Result<SqlResult> WasmDatabase::Execute(const SqlStatement& statement) {
  NB_ASSIGN_OR_RETURN(auto results, Run("all", {statement}));
  return std::move(results.front());
}

Result<std::vector<SqlResult>> WasmDatabase::Batch(const std::vector<SqlStatement>& statements) {
  if (statements.empty()) return std::vector<SqlResult>{};
  return Run("batch", statements);
}

}  // namespace nb::wasm
