// Image bytes in R2 under images/{userId}/..., so one user's objects share a listable prefix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/object_store.h"

namespace nb {

class StorageService {
 public:
  // public_base_url: IMAGE_GENERATOR_URL, the bucket's public origin; empty when it has none.
  StorageService(ObjectStore& objects, Clock& clock, std::string public_base_url = "");

  // Stores bytes at images/{user_id}/{now_ms}-{SanitizeFilename(filename)} and returns the object.
  // The sanitized name is also kept as custom metadata "filename".
  Result<ObjectInfo> Upload(const std::string& user_id, const std::string& filename, const std::string& bytes,
                            const std::string& content_type);
  // Stores a thumbnail beside its original, at ThumbnailKeyFor(original_key, content_type).
  Result<ObjectInfo> UploadThumbnail(const std::string& original_key, const std::string& bytes,
                                     const std::string& content_type);
  // images/{userId}/thumbnails/{original's name}.{jpg|png|webp|gif}: unique because the original's key
  // is, and under the user's prefix so it is listed (and swept) with the user's other objects.
  // InvalidArgument for a key this service did not produce.
  static Result<std::string> ThumbnailKeyFor(const std::string& original_key,
                                             const std::string& content_type);

  // nullopt when the key does not exist; OutOfRange for an unsatisfiable range.
  Result<std::optional<ObjectBody>> Get(const std::string& key,
                                        const std::optional<ByteRange>& range = std::nullopt);
  Result<std::optional<ObjectInfo>> Head(const std::string& key);
  // Missing keys are not an error.
  Status Delete(const std::vector<std::string>& keys);
  Status Delete(const std::string& key) { return Delete(std::vector<std::string>{key}); }
  // Every object under the user's prefix, following list cursors to the end.
  Result<std::vector<ObjectInfo>> ListUserObjects(const std::string& user_id);

  // Direct bucket URL for a key, when a public base is configured; nullopt otherwise.
  std::optional<std::string> PublicUrl(const std::string& key) const;

  static std::string UserPrefix(const std::string& user_id) { return "images/" + user_id + "/"; }

 private:
  ObjectStore& objects_;
  Clock& clock_;
  std::string public_base_url_;  // without a trailing '/'
};

// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
std::string EncodePathSegment(const std::string& segment);

}  // namespace nb
