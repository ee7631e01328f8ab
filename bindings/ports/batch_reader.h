// Independent reads from several bindings, issued together. On the Worker the whole batch crosses
// the JS bridge in one suspension (the nb_host `together` import) and the runtime runs the reads
// concurrently; natively they run one after another. Each binding call through JSPI costs a
// suspension and a resumption (13-33 us of CPU in workerd, docs/benchmarks.md), so a request that
// reads several bindings with no read depending on another's answer (GET /api/health) pays it once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ports/database.h"
#include "ports/key_value.h"
#include "ports/object_store.h"

namespace nb {

struct ReadBatch {
  std::vector<SqlStatement> queries;      // D1: every row of each
  std::vector<std::string> object_heads;  // R2: head by key
  std::vector<std::string> kv_gets;       // KV: get by key
};

// One result per read, in the order asked; one read failing does not fail the others.
struct ReadBatchResults {
  std::vector<Result<SqlResult>> queries;
  std::vector<Result<std::optional<ObjectInfo>>> object_heads;
  std::vector<Result<std::optional<std::string>>> kv_gets;
};

class BatchReader {
 public:
  virtual ~BatchReader() = default;
  virtual ReadBatchResults Read(const ReadBatch& batch) = 0;
};

// Each read in turn through the ports themselves: the native implementation, and what the batch
// means on any host.
class SequentialBatchReader final : public BatchReader {
 public:
  SequentialBatchReader(Database& db, ObjectStore& objects, KeyValue& kv)
      : db_(db), objects_(objects), kv_(kv) {}

  ReadBatchResults Read(const ReadBatch& batch) override {
    ReadBatchResults out;
    for (const auto& query : batch.queries) out.queries.push_back(db_.Execute(query));
    for (const auto& key : batch.object_heads) out.object_heads.push_back(objects_.Head(key));
    for (const auto& key : batch.kv_gets) out.kv_gets.push_back(kv_.Get(key));
    return out;
  }

 private:
  Database& db_;
  ObjectStore& objects_;
  KeyValue& kv_;
};

}  // namespace nb
