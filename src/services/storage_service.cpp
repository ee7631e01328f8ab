#include "services/storage_service.h"

#include "services/filename.h"

namespace nb {
namespace {

constexpr int kListPageSize = 1000;  // R2's maximum per list() call
constexpr int kMaxListPages = 1000;  // a guard against a store whose cursor never ends
constexpr int kMaxKeyCollisionRetries = 8;

bool IsSafeUserId(const std::string& user_id) {
  if (user_id.empty() || user_id.size() > 64) return false;
  for (char c : user_id) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

StorageService::StorageService(ObjectStore& objects, Clock& clock, std::string public_base_url)
    : objects_(objects), clock_(clock), public_base_url_(std::move(public_base_url)) {
  while (!public_base_url_.empty() && public_base_url_.back() == '/') public_base_url_.pop_back();
}

Result<ObjectInfo> StorageService::Upload(const std::string& user_id, const std::string& filename,
                                          const std::string& bytes, const std::string& content_type) {
  // The id becomes a key segment: anything but an id-like token could escape the user's prefix.
  if (!IsSafeUserId(user_id)) return Status::InvalidArgument("invalid user id for a storage key");
  const std::string safe_name = SanitizeFilename(filename);
  int64_t stamp = clock_.NowMs();
  std::string key;
  // Two uploads of one name in the same millisecond would share a key and the second would
  // silently replace the first; step the stamp past any taken key instead.
  for (int attempt = 0;; ++attempt, ++stamp) {
    key = UserPrefix(user_id) + std::to_string(stamp) + "-" + safe_name;
    NB_ASSIGN_OR_RETURN(auto existing, objects_.Head(key));
    if (!existing) break;
    if (attempt == kMaxKeyCollisionRetries) return Status::Conflict("could not find a free storage key");
  }
  ObjectMetadata metadata;
  metadata.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  metadata.custom["filename"] = safe_name;
  return objects_.Put(key, bytes, metadata);
}

Result<std::string> StorageService::ThumbnailKeyFor(const std::string& original_key,
                                                    const std::string& content_type) {
  const size_t slash = original_key.rfind('/');
  const bool layout_ok = original_key.rfind("images/", 0) == 0 && slash != std::string::npos && slash > 7 &&
                         slash + 1 < original_key.size() &&
                         original_key.find('/', 7) == slash;  // images/{userId}/{name}, nothing deeper
  if (!layout_ok) return Status::InvalidArgument("not an original's storage key");
  std::string extension = "bin";
  if (content_type == "image/jpeg")
    extension = "jpg";
  else if (content_type == "image/png")
    extension = "png";
  else if (content_type == "image/webp")
    extension = "webp";
  else if (content_type == "image/gif")
    extension = "gif";
  return original_key.substr(0, slash + 1) + "thumbnails/" + original_key.substr(slash + 1) + "." + extension;
}

Result<ObjectInfo> StorageService::UploadThumbnail(const std::string& original_key, const std::string& bytes,
                                                   const std::string& content_type) {
  NB_ASSIGN_OR_RETURN(std::string key, ThumbnailKeyFor(original_key, content_type));
  ObjectMetadata metadata;
  metadata.content_type = content_type;
  return objects_.Put(key, bytes, metadata);
}

Result<std::optional<ObjectBody>> StorageService::Get(const std::string& key,
                                                      const std::optional<ByteRange>& range) {
  return objects_.Get(key, range);
}

Result<std::optional<ObjectInfo>> StorageService::Head(const std::string& key) { return objects_.Head(key); }

Status StorageService::Delete(const std::vector<std::string>& keys) {
  if (keys.empty()) return Status::Ok();
  return objects_.Delete(keys);
}

Result<std::vector<ObjectInfo>> StorageService::ListUserObjects(const std::string& user_id) {
  if (!IsSafeUserId(user_id)) return Status::InvalidArgument("invalid user id for a storage key");
  std::vector<ObjectInfo> all;
  std::optional<std::string> cursor;
  for (int page = 0; page < kMaxListPages; ++page) {
    NB_ASSIGN_OR_RETURN(ObjectList list, objects_.List(UserPrefix(user_id), kListPageSize, cursor));
    for (auto& o : list.objects) all.push_back(std::move(o));
    if (!list.cursor) return all;
    cursor = std::move(list.cursor);
  }
  return Status::Internal("object listing did not end");
}

std::optional<std::string> StorageService::PublicUrl(const std::string& key) const {
  if (public_base_url_.empty() || key.empty()) return std::nullopt;
  std::string url = public_base_url_;
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    url += "/" + EncodePathSegment(
                     key.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return url;
}

std::string EncodePathSegment(const std::string& segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    const bool unreserved = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace nb
