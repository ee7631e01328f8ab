#include "wasm/wasm_database.h"

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

Result<std::vector<SqlResult>> Run(const char* op, const std::vector<SqlStatement>& statements) {
  nlohmann::json stmts = nlohmann::json::array();
  for (const auto& s : statements) {
    NB_RETURN_IF_ERROR(CheckSafeParams(s));
    stmts.push_back(StatementJson(s));
  }
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kD1, {{"op", op}, {"stmts", std::move(stmts)}}));
  const auto& results = reply.head["results"];
  if (!results.is_array() || results.size() != statements.size()) {
    return Status::Internal("D1 reply has the wrong number of results");
  }
  std::vector<SqlResult> out;
  for (auto& r : reply.head["results"]) {
    SqlResult one;
    if (r["rows"].is_array()) {
      for (auto& row : r["rows"]) one.rows.push_back(std::move(row));
    }
    one.changes = r.value("changes", int64_t{0});
    one.last_row_id = r.value("lastRowId", int64_t{0});
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace

Result<SqlResult> WasmDatabase::Execute(const SqlStatement& statement) {
  NB_ASSIGN_OR_RETURN(auto results, Run("all", {statement}));
  return std::move(results.front());
}

Result<std::vector<SqlResult>> WasmDatabase::Batch(const std::vector<SqlStatement>& statements) {
  if (statements.empty()) return std::vector<SqlResult>{};
  return Run("batch", statements);
}

}  // namespace nb::wasm
