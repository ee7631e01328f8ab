#include "repositories/image_repository.h"

#include <algorithm>

#include "repositories/keyset_page.h"
#include "util/ids.h"

namespace nb {
namespace {

// Stored JSON must never abort the process: invalid UTF-8 in user text becomes U+FFFD instead of
// the type_error that JSON_NOEXCEPTION would turn into a crash.
std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class T>
SqlValue ToSql(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  return SqlValue(*v);
}

// Appends "column = ?" and its value when the patch sets the field.
template <class T>
void SetIfPresent(std::string& sets, std::vector<SqlValue>& params, const char* column,
                  const std::optional<T>& v) {
  if (!v) return;
  sets += std::string(sets.empty() ? "" : ", ") + column + " = ?";
  params.push_back(SqlValue(*v));
}

}  // namespace

Result<Image> ImageRepository::Create(const Image& draft) {
  Image img = draft;
  NB_ASSIGN_OR_RETURN(SqlStatement insert, InsertStatement(img));
  auto r = db_.Execute(insert);
  if (!r.ok()) {
    if (r.status().IsConflict()) {
      return Status::Conflict("an image with this id or idempotency key already exists");
    }
    return r.status();  // a foreign-key failure (unknown user) is FailedPrecondition
  }
  return img;
}

Result<Image> ImageRepository::CreateWithinQuota(const Image& draft, int64_t quota_bytes) {
  Image img = draft;
  NB_ASSIGN_OR_RETURN(SqlStatement insert, InsertStatement(img));
  const int64_t bytes = img.size.value_or(0) + img.thumbnail_size.value_or(0);
  // INSERT ... SELECT <the same values> WHERE <within quota>: the sum and the insert are one statement,
  // and D1 runs one write at a time, so of two racing uploads the second sees the first's bytes.
  const std::string values = "VALUES (";
  const size_t at = insert.sql.find(values);
  if (at == std::string::npos || insert.sql.back() != ')') return Status::Internal("unexpected image INSERT");
  insert.sql = insert.sql.substr(0, at) + "SELECT " +
               insert.sql.substr(at + values.size(), insert.sql.size() - at - values.size() - 1) +
               " WHERE (SELECT COALESCE(SUM(bytes), 0) FROM image_counts WHERE user_id = ?) + ? <= ?";
  insert.params.insert(insert.params.end(), {img.user_id, bytes, quota_bytes});
  auto r = db_.Execute(insert);
  if (!r.ok()) {
    if (r.status().IsConflict()) {
      return Status::Conflict("an image with this id or idempotency key already exists");
    }
    return r.status();
  }
  if (r->changes == 0) return Status::PermissionDenied("storage quota exceeded");
  return img;
}

Result<SqlStatement> ImageRepository::InsertStatement(Image& img) {
  if (img.user_id.empty()) return Status::InvalidArgument("image needs an owner");
  if (img.coins_used < 0) return Status::InvalidArgument("coins_used cannot be negative");
  if (img.id.empty()) img.id = NewId(random_);
  img.created_at_ms = img.updated_at_ms = clock_.NowMs();
  if (!img.metadata.is_object()) img.metadata = nlohmann::json::object();

  return SqlStatement{
      "INSERT INTO images (id, user_id, type, status, title, description, prompt, aspect_ratio, storage_key, "
      "thumbnail_key, content_type, width, height, size, thumbnail_size, format, sha256, metadata, "
      "coins_used, error, parent_image_ids, idempotency_key, created_at, updated_at, model, image_size, "
      "grounding_requested, thinking, grounding) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {img.id,
       img.user_id,
       std::string(ImageTypeName(img.type)),
       std::string(ImageStatusName(img.status)),
       ToSql(img.title),
       ToSql(img.description),
       ToSql(img.prompt),
       ToSql(img.aspect_ratio),
       ToSql(img.storage_key),
       ToSql(img.thumbnail_key),
       ToSql(img.content_type),
       ToSql(img.width),
       ToSql(img.height),
       ToSql(img.size),
       ToSql(img.thumbnail_size),
       ToSql(img.format),
       ToSql(img.sha256),
       DumpJson(img.metadata),
       img.coins_used,
       ToSql(img.error),
       DumpJson(nlohmann::json(img.parent_image_ids)),
       ToSql(img.idempotency_key),
       img.created_at_ms,
       img.updated_at_ms,
       ToSql(img.model),
       ToSql(img.image_size),
       int64_t{img.grounding_requested ? 1 : 0},
       ToSql(img.thinking),
       img.grounding.is_object() ? SqlValue(DumpJson(img.grounding)) : SqlValue(std::monostate{})}};
}

Result<Image> ImageRepository::FindWhere(const std::string& where, std::vector<SqlValue> params) {
  NB_ASSIGN_OR_RETURN(auto result, db_.Execute({"SELECT * FROM images WHERE " + where, std::move(params)}));
  if (result.rows.empty()) return Status::NotFound("image not found");
  return Image::FromRow(result.rows.front());
}

Result<Image> ImageRepository::FindById(const std::string& id) { return FindWhere("id = ?", {id}); }

Result<Image> ImageRepository::FindByIdForUser(const std::string& id, const std::string& user_id) {
  return FindWhere("id = ? AND user_id = ?", {id, user_id});
}

Result<Image> ImageRepository::FindByIdempotencyKey(const std::string& user_id,
                                                    const std::string& idempotency_key) {
  return FindWhere("user_id = ? AND idempotency_key = ?", {user_id, idempotency_key});
}

Result<Image> ImageRepository::Update(const std::string& id, const std::string& user_id,
                                      const ImagePatch& patch) {
  if (patch.coins_used && *patch.coins_used < 0)
    return Status::InvalidArgument("coins_used cannot be negative");
  std::optional<SqlStatement> update = UpdateStatement(id, user_id, patch);
  if (!update) return FindByIdForUser(id, user_id);
  NB_ASSIGN_OR_RETURN(auto result, db_.Execute(*update));
  if (result.rows.empty()) {
    // Result::status() is only meaningful on failure, so test ok() first.
    if (auto current = FindByIdForUser(id, user_id); !current.ok()) return current.status();
    return Status::FailedPrecondition("image is no longer " +
                                      std::string(ImageStatusName(*patch.expected_status)));
  }
  return Image::FromRow(result.rows.front());
}

std::optional<SqlStatement> ImageRepository::UpdateStatement(const std::string& id,
                                                             const std::string& user_id,
                                                             const ImagePatch& patch,
                                                             const std::string& extra_where,
                                                             const std::vector<SqlValue>& extra_params) {
  std::string sets;
  std::vector<SqlValue> params;
  SetIfPresent(sets, params, "title", patch.title);
  SetIfPresent(sets, params, "description", patch.description);
  if (patch.status)
    SetIfPresent(sets, params, "status", std::optional<std::string>(ImageStatusName(*patch.status)));
  SetIfPresent(sets, params, "storage_key", patch.storage_key);
  SetIfPresent(sets, params, "thumbnail_key", patch.thumbnail_key);
  SetIfPresent(sets, params, "content_type", patch.content_type);
  SetIfPresent(sets, params, "width", patch.width);
  SetIfPresent(sets, params, "height", patch.height);
  SetIfPresent(sets, params, "size", patch.size);
  SetIfPresent(sets, params, "thumbnail_size", patch.thumbnail_size);
  SetIfPresent(sets, params, "format", patch.format);
  SetIfPresent(sets, params, "sha256", patch.sha256);
  if (patch.metadata)
    SetIfPresent(sets, params, "metadata", std::optional<std::string>(DumpJson(*patch.metadata)));
  SetIfPresent(sets, params, "coins_used", patch.coins_used);
  SetIfPresent(sets, params, "error", patch.error);
  if (patch.grounding)
    SetIfPresent(sets, params, "grounding", std::optional<std::string>(DumpJson(*patch.grounding)));
  if (patch.favorite) SetIfPresent(sets, params, "favorite", std::optional<int64_t>(*patch.favorite ? 1 : 0));
  if (sets.empty() && !patch.expected_status) return std::nullopt;

  sets += std::string(sets.empty() ? "" : ", ") + "updated_at = ?";
  params.push_back(clock_.NowMs());
  std::string sql = "UPDATE images SET " + sets + " WHERE id = ? AND user_id = ?";
  params.insert(params.end(), {id, user_id});
  if (patch.expected_status) {
    sql += " AND status = ?";
    params.push_back(std::string(ImageStatusName(*patch.expected_status)));
  }
  if (!extra_where.empty()) {
    sql += " AND (" + extra_where + ")";
    params.insert(params.end(), extra_params.begin(), extra_params.end());
  }
  sql += " RETURNING *";
  return SqlStatement{std::move(sql), std::move(params)};
}

Result<Image> ImageRepository::Delete(const std::string& id, const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(auto result, db_.Prepare("DELETE FROM images WHERE id = ? AND user_id = ? RETURNING *")
                                       .Bind(id)
                                       .Bind(user_id)
                                       .Run());
  if (result.rows.empty()) return Status::NotFound("image not found");
  return Image::FromRow(result.rows.front());
}

Result<Page<Image>> ImageRepository::ListByUser(const std::string& user_id, const ImageFilter& filter,
                                                int limit, const std::optional<std::string>& cursor) {
  NB_ASSIGN_OR_RETURN(KeysetPage paging, KeysetPage::Start(limit, cursor));
  std::string where = "user_id = ?";
  std::vector<SqlValue> params = {user_id};
  std::string counted = "user_id = ?";
  std::vector<SqlValue> count_params = {user_id};
  if (filter.type) {
    where += " AND type = ?";
    params.push_back(std::string(ImageTypeName(*filter.type)));
    counted += " AND type = ?";
    count_params.push_back(std::string(ImageTypeName(*filter.type)));
  }
  if (filter.status) {
    where += " AND status = ?";
    params.push_back(std::string(ImageStatusName(*filter.status)));
    counted += " AND status = ?";
    count_params.push_back(std::string(ImageStatusName(*filter.status)));
  }
  if (filter.favorite_only) {
    where += " AND favorite = 1";  // a literal, so the partial index applies
    counted += " AND favorite = 1";
  }
  if (filter.match) {
    // FTS5 itself keeps to this user's images (user_id is indexed in images_fts); the words are
    // matched in the text columns only. user_id is a stored row id (hex), safe inside the quotes.
    where += " AND rowid IN (SELECT rowid FROM images_fts WHERE images_fts MATCH ?)";
    params.push_back("user_id:\"" + user_id + "\" AND {title description prompt}: (" + *filter.match + ")");
  }
  SqlStatement select = paging.Query("SELECT * FROM images WHERE " + where, std::move(params));
  if (filter.match) {
    // No counter knows how many images match words: an exact total would read every match.
    NB_ASSIGN_OR_RETURN(auto result, db_.Execute(select));
    return paging.Collect<Image>(result.rows);
  }
  SqlStatement count{"SELECT COALESCE(SUM(images), 0) AS n FROM image_counts WHERE " + counted,
                     std::move(count_params)};
  // One batch: a single D1 round trip, and the count and the page see the same snapshot.
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch({std::move(select), std::move(count)}));
  if (results.size() != 2 || results[1].rows.empty()) return Status::Internal("image list returned no count");
  NB_ASSIGN_OR_RETURN(int64_t total, results[1].rows.front().GetInt64("n"));
  NB_ASSIGN_OR_RETURN(Page<Image> page, paging.Collect<Image>(results[0].rows));
  page.total = total;
  return page;
}

namespace {

Result<ImageStats> StatsFromRow(const std::optional<SqlRow>& row) {
  if (!row) return Status::Internal("stats query returned no row");
  ImageStats s;
  NB_ASSIGN_OR_RETURN(s.total, row->GetInt64("total"));
  NB_ASSIGN_OR_RETURN(s.generated, row->GetInt64("generated"));
  NB_ASSIGN_OR_RETURN(s.uploaded, row->GetInt64("uploaded"));
  NB_ASSIGN_OR_RETURN(s.pending, row->GetInt64("pending"));
  NB_ASSIGN_OR_RETURN(s.processing, row->GetInt64("processing"));
  NB_ASSIGN_OR_RETURN(s.completed, row->GetInt64("completed"));
  NB_ASSIGN_OR_RETURN(s.failed, row->GetInt64("failed"));
  NB_ASSIGN_OR_RETURN(s.favorites, row->GetInt64("favorites"));
  NB_ASSIGN_OR_RETURN(s.coins_spent, row->GetInt64("coins_spent"));
  NB_ASSIGN_OR_RETURN(s.bytes_stored, row->GetInt64("bytes_stored"));
  return s;
}

}  // namespace

Result<ImageStats> ImageRepository::Stats(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(
      auto row,
      db_.Prepare("SELECT COALESCE(SUM(images), 0) AS total, "
                  "COALESCE(SUM(CASE WHEN type = 'GENERATED' THEN images END), 0) AS generated, "
                  "COALESCE(SUM(CASE WHEN type = 'UPLOADED' THEN images END), 0) AS uploaded, "
                  "COALESCE(SUM(CASE WHEN status = 'PENDING' THEN images END), 0) AS pending, "
                  "COALESCE(SUM(CASE WHEN status = 'PROCESSING' THEN images END), 0) AS processing, "
                  "COALESCE(SUM(CASE WHEN status = 'COMPLETED' THEN images END), 0) AS completed, "
                  "COALESCE(SUM(CASE WHEN status = 'FAILED' THEN images END), 0) AS failed, "
                  "COALESCE(SUM(CASE WHEN favorite = 1 THEN images END), 0) AS favorites, "
                  "COALESCE(SUM(CASE WHEN status <> 'FAILED' THEN coins END), 0) AS coins_spent, "
                  "COALESCE(SUM(bytes), 0) AS bytes_stored "
                  "FROM image_counts WHERE user_id = ?")
          .Bind(user_id)
          .First());
  return StatsFromRow(row);
}

Result<ImageStats> ImageRepository::RecountStats(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(
      auto row,
      db_.Prepare("SELECT COUNT(*) AS total, "
                  "COALESCE(SUM(type = 'GENERATED'), 0) AS generated, "
                  "COALESCE(SUM(type = 'UPLOADED'), 0) AS uploaded, "
                  "COALESCE(SUM(status = 'PENDING'), 0) AS pending, "
                  "COALESCE(SUM(status = 'PROCESSING'), 0) AS processing, "
                  "COALESCE(SUM(status = 'COMPLETED'), 0) AS completed, "
                  "COALESCE(SUM(status = 'FAILED'), 0) AS failed, "
                  "COALESCE(SUM(favorite = 1), 0) AS favorites, "
                  "COALESCE(SUM(CASE WHEN status <> 'FAILED' THEN coins_used ELSE 0 END), 0) AS coins_spent, "
                  "COALESCE(SUM(COALESCE(size, 0) + COALESCE(thumbnail_size, 0)), 0) AS bytes_stored "
                  "FROM images WHERE user_id = ?")
          .Bind(user_id)
          .First());
  return StatsFromRow(row);
}

Result<int64_t> ImageRepository::StoredBytes(const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(
      auto row, db_.Prepare("SELECT COALESCE(SUM(bytes), 0) AS used FROM image_counts WHERE user_id = ?")
                    .Bind(user_id)
                    .First());
  if (!row) return Status::Internal("storage query returned no row");
  return row->GetInt64("used");
}

Result<std::vector<Image>> ImageRepository::Rows(const SqlResult& result) {
  std::vector<Image> images;
  for (const SqlRow& row : result.rows) {
    NB_ASSIGN_OR_RETURN(Image image, Image::FromRow(row));
    images.push_back(std::move(image));
  }
  return images;
}

Result<Image> ImageRepository::SetShare(const std::string& id, const std::string& user_id,
                                        const std::string& nonce, const std::string& hash) {
  // COALESCE keeps a link that exists: asking twice (or two tabs racing) gives one link.
  NB_ASSIGN_OR_RETURN(auto result,
                      db_.Prepare("UPDATE images SET share_nonce = COALESCE(share_nonce, ?), "
                                  "share_hash = COALESCE(share_hash, ?), updated_at = ? "
                                  "WHERE id = ? AND user_id = ? AND status = 'COMPLETED' RETURNING *")
                          .Bind(nonce)
                          .Bind(hash)
                          .Bind(clock_.NowMs())
                          .Bind(id)
                          .Bind(user_id)
                          .Run());
  if (result.rows.empty()) return Status::NotFound("image not found or not completed");
  return Image::FromRow(result.rows.front());
}

Status ImageRepository::ClearShare(const std::string& id, const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(auto result, db_.Prepare("UPDATE images SET share_nonce = NULL, share_hash = NULL, "
                                               "updated_at = ? WHERE id = ? AND user_id = ? RETURNING id")
                                       .Bind(clock_.NowMs())
                                       .Bind(id)
                                       .Bind(user_id)
                                       .Run());
  if (result.rows.empty()) return Status::NotFound("image not found");
  return Status::Ok();
}

Result<Image> ImageRepository::FindShared(const std::string& hash) {
  return FindWhere("share_hash = ? AND status = 'COMPLETED'", {hash});
}

namespace {

// D1 binds at most 100 parameters per statement: ids go in chunks, the user id being one more.
constexpr size_t kIdsPerStatement = 50;

std::vector<SqlStatement> PerChunk(const std::string& head, const std::string& tail,
                                   const std::vector<std::string>& ids, const std::string& user_id) {
  std::vector<SqlStatement> statements;
  for (size_t start = 0; start < ids.size(); start += kIdsPerStatement) {
    const size_t end = std::min(ids.size(), start + kIdsPerStatement);
    std::string marks;
    std::vector<SqlValue> params = {user_id};
    for (size_t i = start; i < end; ++i) {
      marks += i == start ? "?" : ", ?";
      params.push_back(ids[i]);
    }
    statements.push_back({head + marks + tail, std::move(params)});
  }
  return statements;
}

}  // namespace

Result<std::vector<Image>> ImageRepository::FindManyForUser(const std::vector<std::string>& ids,
                                                            const std::string& user_id) {
  if (ids.empty()) return std::vector<Image>{};
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch(PerChunk("SELECT * FROM images WHERE user_id = ? AND id IN (",
                                                       ")", ids, user_id)));
  std::vector<Image> images;
  for (const auto& result : results) {
    NB_ASSIGN_OR_RETURN(auto rows, Rows(result));
    for (auto& image : rows) images.push_back(std::move(image));
  }
  return images;
}

Result<std::vector<Image>> ImageRepository::DeleteMany(const std::vector<std::string>& ids,
                                                       const std::string& user_id) {
  if (ids.empty()) return std::vector<Image>{};
  // One batch: every chunk is deleted (and every counter moved) in one transaction.
  NB_ASSIGN_OR_RETURN(auto results, db_.Batch(PerChunk("DELETE FROM images WHERE user_id = ? AND id IN (",
                                                       ") RETURNING *", ids, user_id)));
  std::vector<Image> images;
  for (const auto& result : results) {
    NB_ASSIGN_OR_RETURN(auto rows, Rows(result));
    for (auto& image : rows) images.push_back(std::move(image));
  }
  return images;
}

}  // namespace nb
