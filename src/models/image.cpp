#include "models/image.h"

#include "util/time_format.h"

namespace nb {
namespace {

constexpr ImageType kAllTypes[] = {ImageType::kGenerated, ImageType::kUploaded};
constexpr ImageStatus kAllStatuses[] = {ImageStatus::kPending, ImageStatus::kProcessing,
                                        ImageStatus::kCompleted, ImageStatus::kFailed};

// A TEXT column holding JSON (metadata, parent ids): nullopt when NULL or malformed, so a damaged
// cell degrades to the column's default instead of failing the whole row.
std::optional<nlohmann::json> ParseJsonText(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  // allow_exceptions=false: malformed JSON yields a discarded value instead of throwing.
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

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

Result<Image> Image::FromRow(const SqlRow& row) {
  Image img;
  NB_ASSIGN_OR_RETURN(img.id, row.GetText("id"));
  NB_ASSIGN_OR_RETURN(img.user_id, row.GetText("user_id"));
  NB_ASSIGN_OR_RETURN(const std::string type, row.GetText("type"));
  NB_ASSIGN_OR_RETURN(const std::string status, row.GetText("status"));
  auto parsed_type = ParseImageType(type);
  auto parsed_status = ParseImageStatus(status);
  if (!parsed_type || !parsed_status) return Status::Internal("images row has an unknown type or status");
  img.type = *parsed_type;
  img.status = *parsed_status;
  NB_ASSIGN_OR_RETURN(img.created_at_ms, row.GetInt64("created_at"));
  NB_ASSIGN_OR_RETURN(img.title, row.GetOptionalText("title"));
  NB_ASSIGN_OR_RETURN(img.description, row.GetOptionalText("description"));
  NB_ASSIGN_OR_RETURN(img.prompt, row.GetOptionalText("prompt"));
  NB_ASSIGN_OR_RETURN(img.aspect_ratio, row.GetOptionalText("aspect_ratio"));
  NB_ASSIGN_OR_RETURN(img.storage_key, row.GetOptionalText("storage_key"));
  NB_ASSIGN_OR_RETURN(img.thumbnail_key, row.GetOptionalText("thumbnail_key"));
  NB_ASSIGN_OR_RETURN(img.content_type, row.GetOptionalText("content_type"));
  NB_ASSIGN_OR_RETURN(img.width, row.GetOptionalInt64("width"));
  NB_ASSIGN_OR_RETURN(img.height, row.GetOptionalInt64("height"));
  NB_ASSIGN_OR_RETURN(img.size, row.GetOptionalInt64("size"));
  NB_ASSIGN_OR_RETURN(img.thumbnail_size, row.GetOptionalInt64("thumbnail_size"));
  NB_ASSIGN_OR_RETURN(img.format, row.GetOptionalText("format"));
  NB_ASSIGN_OR_RETURN(img.sha256, row.GetOptionalText("sha256"));
  NB_ASSIGN_OR_RETURN(auto metadata, row.GetOptionalText("metadata"));
  if (auto m = ParseJsonText(metadata); m && m->is_object()) img.metadata = std::move(*m);
  NB_ASSIGN_OR_RETURN(img.coins_used, row.GetInt64("coins_used"));
  NB_ASSIGN_OR_RETURN(img.error, row.GetOptionalText("error"));
  NB_ASSIGN_OR_RETURN(auto parent_ids, row.GetOptionalText("parent_image_ids"));
  if (auto parents = ParseJsonText(parent_ids); parents && parents->is_array()) {
    for (const auto& p : *parents) {
      if (p.is_string()) img.parent_image_ids.push_back(p.get<std::string>());
    }
  }
  NB_ASSIGN_OR_RETURN(img.idempotency_key, row.GetOptionalText("idempotency_key"));
  NB_ASSIGN_OR_RETURN(img.updated_at_ms, row.GetInt64("updated_at"));
  NB_ASSIGN_OR_RETURN(img.model, row.GetOptionalText("model"));
  NB_ASSIGN_OR_RETURN(img.image_size, row.GetOptionalText("image_size"));
  NB_ASSIGN_OR_RETURN(auto grounding_requested, row.GetOptionalInt64("grounding_requested"));
  img.grounding_requested = grounding_requested.value_or(0) != 0;
  NB_ASSIGN_OR_RETURN(img.thinking, row.GetOptionalText("thinking"));
  NB_ASSIGN_OR_RETURN(auto grounding, row.GetOptionalText("grounding"));
  if (auto g = ParseJsonText(grounding); g && g->is_object()) img.grounding = std::move(*g);
  NB_ASSIGN_OR_RETURN(const int64_t favorite, row.GetInt64("favorite"));
  img.favorite = favorite != 0;
  NB_ASSIGN_OR_RETURN(img.share_nonce, row.GetOptionalText("share_nonce"));
  NB_ASSIGN_OR_RETURN(img.share_hash, row.GetOptionalText("share_hash"));
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
          {"model", OrNull(model)},
          {"imageSize", OrNull(image_size)},
          {"grounding", grounding.is_object() ? grounding : nlohmann::json(nullptr)},
          {"favorite", favorite},
          {"shareUrl", OrNull(share_url)},
          {"createdAt", FormatIsoUtc(created_at_ms)},
          {"updatedAt", FormatIsoUtc(updated_at_ms)}};
}

}  // namespace nb
