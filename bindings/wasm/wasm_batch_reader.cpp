#include "wasm/wasm_batch_reader.h"

#include "wasm/binding_wire.h"
#include "wasm/host_call.h"

namespace nb::wasm {

ReadBatchResults WasmBatchReader::Read(const ReadBatch& batch) {
  ReadBatchResults out;
  // A query with an unsafe parameter fails alone, before anything crosses; the others still go.
  std::vector<HostCall> calls;
  std::vector<std::optional<Status>> refused;
  for (const auto& query : batch.queries) {
    auto head = D1RequestHead("all", {query});
    refused.push_back(head.ok() ? std::nullopt : std::optional<Status>(head.status()));
    if (head.ok()) calls.push_back({HostPort::kD1, std::move(*head), {}});
  }
  for (const auto& key : batch.object_heads) calls.push_back({HostPort::kR2, R2HeadRequest(key), {}});
  for (const auto& key : batch.kv_gets) calls.push_back({HostPort::kKv, KvGetRequest(key), {}});

  std::vector<Result<HostReply>> replies =
      calls.empty() ? std::vector<Result<HostReply>>{} : CallHostTogether(calls);
  size_t next = 0;
  for (const auto& status : refused) {
    if (status) {
      out.queries.push_back(*status);
      continue;
    }
    Result<HostReply>& reply = replies[next++];
    if (!reply.ok()) {
      out.queries.push_back(reply.status());
      continue;
    }
    auto results = D1Results(*reply, 1);
    if (results.ok())
      out.queries.push_back(std::move(results->front()));
    else
      out.queries.push_back(results.status());
  }
  for (size_t i = 0; i < batch.object_heads.size(); ++i) {
    Result<HostReply>& reply = replies[next++];
    if (reply.ok())
      out.object_heads.push_back(R2HeadResult(*reply));
    else
      out.object_heads.push_back(reply.status());
  }
  for (size_t i = 0; i < batch.kv_gets.size(); ++i) {
    Result<HostReply>& reply = replies[next++];
    if (reply.ok())
      out.kv_gets.push_back(KvGetResult(*reply));
    else
      out.kv_gets.push_back(reply.status());
  }
  return out;
}

}  // namespace nb::wasm
