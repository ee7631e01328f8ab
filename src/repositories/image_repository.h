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
  std::optional<bool> favorite;
  // Compare-and-set: apply only while the row still has this status (e.g. PENDING -> PROCESSING
  // once, however often the queue redelivers); otherwise FailedPrecondition.
  std::optional<ImageStatus> expected_status;
};

struct ImageFilter {
  std::optional<ImageType> type;
  std::optional<ImageStatus> status;
  bool favorite_only = false;
  // An FTS5 MATCH expression made by FtsMatchExpression (search_query.h): never raw user text.
  std::optional<std::string> match;
};

class ImageRepository {
 public:
  ImageRepository(Database& db, Clock& clock, Random& random) : db_(db), clock_(clock), random_(random) {}

  // Inserts draft with fresh timestamps; draft.id is kept when set (callers that must name the image
  // before it exists, e.g. in a ledger hold, pass NewId()), else generated. Conflict when the
  // user's idempotency_key is already taken (see FindByIdempotencyKey) or the id exists.
  Result<Image> Create(const Image& draft);
  // Create, refused with PermissionDenied (nothing written) when the user's stored bytes plus the
  // draft's would pass quota_bytes. The check is part of the INSERT itself, so two uploads racing
  // cannot both pass it.
  Result<Image> CreateWithinQuota(const Image& draft, int64_t quota_bytes);

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
  // next_cursor. total counts every match of the filter, across pages, read from image_counts (at
  // most 16 rows); unset for a search, whose exact count would read every match.
  Result<Page<Image>> ListByUser(const std::string& user_id, const ImageFilter& filter, int limit,
                                 const std::optional<std::string>& cursor = std::nullopt);

  // From image_counts: at most 16 rows however many images the user has.
  Result<ImageStats> Stats(const std::string& user_id);
  // Bytes of originals plus thumbnails the user stores (image_counts).
  Result<int64_t> StoredBytes(const std::string& user_id);
  // The same, recounted from the images themselves: for tests and the soak's invariant check.
  Result<ImageStats> RecountStats(const std::string& user_id);

  // Share links: sets (nonce, hash) unless the image already has a share nonce, in which case the
  // existing one is kept and returned; NotFound for another user's image or one not COMPLETED.
  Result<Image> SetShare(const std::string& id, const std::string& user_id, const std::string& nonce,
                         const std::string& hash);
  // Clears the share link; NotFound for another user's image.
  Status ClearShare(const std::string& id, const std::string& user_id);
  // The COMPLETED image behind a token's hash; NotFound otherwise.
  Result<Image> FindShared(const std::string& hash);

  // Deletes the user's rows among ids in one statement and returns them (for their R2 objects).
  Result<std::vector<Image>> DeleteMany(const std::vector<std::string>& ids, const std::string& user_id);
  // The user's rows among ids.
  Result<std::vector<Image>> FindManyForUser(const std::vector<std::string>& ids, const std::string& user_id);

 private:
  Result<Image> FindWhere(const std::string& where, std::vector<SqlValue> params);
  Result<std::vector<Image>> Rows(const SqlResult& result);

  Database& db_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nb
