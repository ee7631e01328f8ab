// Images in D1. Users only ever reach their own rows: every user-facing call takes user_id and
// another user's id reads as NotFound, exactly like a missing one.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "models/image.h"
#include "models/image_stats.h"
#include "ports/clock.h"
#include "ports/database.h"
#include "ports/random.h"
#include "repositories/page_cursor.h"

namespace nb {

// Column-level changes: only the fields set are written, so a title edit racing the generation
// worker's completion cannot overwrite one with the other's stale copy of the row.
struct ImagePatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<ImageStatus> status;
  std::optional<std::string> storage_key;
  std::optional<std::string> thumbnail_key;
  std::optional<std::string> content_type;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::optional<int64_t> size;
  std::optional<int64_t> thumbnail_size;
  std::optional<std::string> format;
  std::optional<std::string> sha256;
  std::optional<nlohmann::json> metadata;
  std::optional<int64_t> coins_used;
  std::optional<std::string> error;
  std::optional<nlohmann::json> grounding;  // the answer's grounding (an object)
  // Compare-and-set: apply only while the row still has this status (e.g. PENDING -> PROCESSING
  // once, however often the queue redelivers); otherwise FailedPrecondition.
  std::optional<ImageStatus> expected_status;
};

struct ImageFilter {
  std::optional<ImageType> type;
  std::optional<ImageStatus> status;
};

class ImageRepository {
 public:
  ImageRepository(Database& db, Clock& clock, Random& random) : db_(db), clock_(clock), random_(random) {}

  // Inserts draft with fresh timestamps; draft.id is kept when set (callers that must name the image
  // before it exists, e.g. in a ledger hold, pass NewId()), else generated. Conflict when the
  // user's idempotency_key is already taken (see FindByIdempotencyKey) or the id exists.
  Result<Image> Create(const Image& draft);

  // Create's INSERT for a caller that batches it with other writes (the generation hold): fills
  // draft's id (when empty), timestamps and metadata as Create does. A reused idempotency key
  // fails the batch with Conflict (UNIQUE).
  Result<SqlStatement> InsertStatement(Image& draft);

  // Update's statement (with RETURNING *) for a caller that batches it: nullopt when the patch sets
  // nothing. extra_where is ANDed to the WHERE clause with its own parameters, e.g. a condition on
  // another table that must hold in the same transaction.
  std::optional<SqlStatement> UpdateStatement(const std::string& id, const std::string& user_id,
                                              const ImagePatch& patch, const std::string& extra_where = "",
                                              const std::vector<SqlValue>& extra_params = {});

  // Any user's image: for trusted callers (the generation queue consumer).
  Result<Image> FindById(const std::string& id);
  // NotFound for another user's image.
  Result<Image> FindByIdForUser(const std::string& id, const std::string& user_id);
  Result<Image> FindByIdempotencyKey(const std::string& user_id, const std::string& idempotency_key);

  // Writes the patch's fields and updated_at; returns the row as it now is.
  Result<Image> Update(const std::string& id, const std::string& user_id, const ImagePatch& patch);
  // Removes the row and returns it, so the caller can delete its objects from R2.
  Result<Image> Delete(const std::string& id, const std::string& user_id);

  // Newest first by (created_at DESC, id DESC); limit 1..100; cursor from a previous page's
  // next_cursor. total counts every match of the filter, across pages.
  Result<Page<Image>> ListByUser(const std::string& user_id, const ImageFilter& filter, int limit,
                                 const std::optional<std::string>& cursor = std::nullopt);

  Result<ImageStats> Stats(const std::string& user_id);

 private:
  Result<Image> FindWhere(const std::string& where, std::vector<SqlValue> params);

  Database& db_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nb
