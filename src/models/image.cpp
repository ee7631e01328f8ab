#include "models/image.h"

#include "util/row_fields.h"
#include "util/time_format.h"

namespace nb {
namespace {

constexpr ImageType kAllTypes[] = {ImageType::kGenerated, ImageType::kUploaded};
constexpr ImageStatus kAllStatuses[] = {ImageStatus::kPending, ImageStatus::kProcessing,
                                        ImageStatus::kCompleted, ImageStatus::kFailed};

template <class T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

const char* ImageTypeName(ImageType type) {
  switch (type) {
    case ImageType::kGenerated: return "GENERATED";
    case ImageType::kUploaded: return "UPLOADED";
  }
  return "UPLOADED";
}

const char* ImageStatusName(ImageStatus status) {
  switch (status) {
    case ImageStatus::kPending: return "PENDING";
    case ImageStatus::kProcessing: return "PROCESSING";
    case ImageStatus::kCompleted: return "COMPLETED";
    case ImageStatus::kFailed: return "FAILED";
  }
  return "FAILED";
}

std::optional<ImageType> ParseImageType(const std::string& name) {
  for (ImageType t : kAllTypes) {
    if (name == ImageTypeName(t)) return t;
  }
  return std::nullopt;
}

std::optional<ImageStatus> ParseImageStatus(const std::string& name) {
  for (ImageStatus s : kAllStatuses) {
    if (name == ImageStatusName(s)) return s;
  }
  return std::nullopt;
}

std::optional<std::string> Image::ContentUrl() const {
  if (!storage_key) return std::nullopt;
  return "/api/images/" + id + "/content";
}

std::optional<std::string> Image::ThumbnailUrl() const {
  if (!thumbnail_key) return std::nullopt;
  return "/api/images/" + id + "/thumbnail";
}

std::optional<std::string> Image::DisplayUrl() const {
  if (auto thumb = ThumbnailUrl()) return thumb;
  return ContentUrl();
}

nlohmann::json Image::MetadataJson() const {
  nlohmann::json out = metadata.is_object() ? metadata : nlohmann::json::object();
  if (width) out["width"] = *width;
  if (height) out["height"] = *height;
  if (size) out["size"] = *size;
  if (format) out["format"] = *format;
  if (content_type) out["contentType"] = *content_type;
  return out;
}

Result<Image> Image::FromRow(const nlohmann::json& row) {
  Image img;
  auto id = RowString(row, "id");
  auto user_id = RowString(row, "user_id");
  auto type = ParseImageType(RowString(row, "type").value_or(""));
  auto status = ParseImageStatus(RowString(row, "status").value_or(""));
  auto created = RowInt(row, "created_at");
  if (!id || !user_id || !type || !status || !created) {
    return Status::Internal("images row lacks id, user_id, type, status or created_at");
  }
  img.id = *id;
  img.user_id = *user_id;
  img.type = *type;
  img.status = *status;
  img.title = RowString(row, "title");
  img.description = RowString(row, "description");
  img.prompt = RowString(row, "prompt");
  img.aspect_ratio = RowString(row, "aspect_ratio");
  img.storage_key = RowString(row, "storage_key");
  img.thumbnail_key = RowString(row, "thumbnail_key");
  img.content_type = RowString(row, "content_type");
  img.width = RowInt(row, "width");
  img.height = RowInt(row, "height");
  img.size = RowInt(row, "size");
  img.thumbnail_size = RowInt(row, "thumbnail_size");
  img.format = RowString(row, "format");
  img.sha256 = RowString(row, "sha256");
  if (auto m = RowJson(row, "metadata"); m && m->is_object()) img.metadata = std::move(*m);
  img.coins_used = RowInt(row, "coins_used").value_or(0);
  img.error = RowString(row, "error");
  if (auto parents = RowJson(row, "parent_image_ids"); parents && parents->is_array()) {
    for (const auto& p : *parents) {
      if (p.is_string()) img.parent_image_ids.push_back(p.get<std::string>());
    }
  }
  img.idempotency_key = RowString(row, "idempotency_key");
  img.created_at_ms = *created;
  img.updated_at_ms = RowInt(row, "updated_at").value_or(*created);
  return img;
}

nlohmann::json Image::ToJson() const {
  return {{"id", id},
          {"type", ImageTypeName(type)},
          {"status", ImageStatusName(status)},
          {"title", OrNull(title)},
          {"description", OrNull(description)},
          {"prompt", OrNull(prompt)},
          {"aspectRatio", OrNull(aspect_ratio)},
          {"width", OrNull(width)},
          {"height", OrNull(height)},
          {"format", OrNull(format)},
          {"size", OrNull(size)},
          {"url", OrNull(ContentUrl())},
          {"thumbnailUrl", OrNull(ThumbnailUrl())},
          {"coinsUsed", coins_used},
          {"error", OrNull(error)},
          {"parentImageIds", parent_image_ids},
          {"createdAt", FormatIsoUtc(created_at_ms)},
          {"updatedAt", FormatIsoUtc(updated_at_ms)}};
}

}  // namespace nb
