#include "services/image_service.h"

#include <algorithm>

#include "imaging/thumbnail_plan.h"
#include "services/filename.h"
#include "services/storage_service.h"
#include "util/hex.h"

namespace nb {
namespace {

nlohmann::json Details(const Status& status, const std::string& detail) {
  return {{"status", status.ToString()}, {"detail", detail}};
}

void AddKey(std::vector<std::string>& keys, const std::optional<std::string>& key) {
  if (key && !key->empty() && std::find(keys.begin(), keys.end(), *key) == keys.end()) keys.push_back(*key);
}

}  // namespace

std::vector<std::string> StoredImage::Keys() const {
  std::vector<std::string> keys;
  AddKey(keys, storage_key);
  AddKey(keys, thumbnail_key);
  return keys;
}

void StoredImage::ApplyTo(Image& image) const {
  const ImagePatch patch = ToPatch();
  image.status = *patch.status;
  image.storage_key = patch.storage_key;
  image.thumbnail_key = patch.thumbnail_key;
  image.content_type = patch.content_type;
  image.width = patch.width;
  image.height = patch.height;
  image.size = patch.size;
  image.thumbnail_size = patch.thumbnail_size;
  image.format = patch.format;
  image.sha256 = patch.sha256;
  image.metadata = *patch.metadata;
}

ImagePatch StoredImage::ToPatch() const {
  ImagePatch patch;
  patch.status = ImageStatus::kCompleted;
  patch.storage_key = storage_key;
  patch.thumbnail_key = thumbnail_key;
  patch.content_type = content_type;
  patch.width = probe.width;
  patch.height = probe.height;
  patch.size = size;
  patch.thumbnail_size = thumbnail_size;
  patch.format = std::string(FormatName(probe.format));
  patch.sha256 = sha256;
  nlohmann::json metadata = {{"width", probe.width}, {"height", probe.height},
                             {"size", size},         {"format", FormatName(probe.format)},
                             {"sha256", sha256},     {"filename", filename}};
  if (thumbnail_key) {
    nlohmann::json thumb = {
        {"width", thumbnail_width}, {"height", thumbnail_height}, {"contentType", thumbnail_content_type}};
    if (thumbnail_sha256) thumb["sha256"] = *thumbnail_sha256;
    metadata["thumbnail"] = std::move(thumb);
  }
  patch.metadata = std::move(metadata);
  return patch;
}

std::vector<std::string> ObjectKeysOf(const Image& image) {
  std::vector<std::string> keys;
  AddKey(keys, image.storage_key);
  AddKey(keys, image.thumbnail_key);
  return keys;
}

std::optional<ThumbnailFacts> ThumbnailFactsOf(const Image& image) {
  if (!image.thumbnail_key) return std::nullopt;
  ThumbnailFacts facts;
  facts.key = *image.thumbnail_key;
  facts.size = image.thumbnail_size;
  const std::string original_sha = image.sha256.value_or("");
  if (image.storage_key && *image.storage_key == facts.key) {
    // The original doubles as its thumbnail: same bytes, same tag.
    facts.content_type = image.content_type.value_or("application/octet-stream");
    facts.etag_opaque = original_sha;
    facts.size = image.size;
    return facts;
  }
  facts.content_type = "image/jpeg";
  facts.etag_opaque = original_sha.empty() ? "" : original_sha + "-t";
  const auto thumb = image.metadata.find("thumbnail");
  if (thumb != image.metadata.end() && thumb->is_object()) {
    if (auto t = thumb->find("contentType"); t != thumb->end() && t->is_string()) {
      facts.content_type = t->get<std::string>();
    }
    if (auto s = thumb->find("sha256"); s != thumb->end() && s->is_string())
      facts.etag_opaque = s->get<std::string>();
  }
  return facts;
}

bool IsDamagedImage(const Status& status) {
  return status.IsInvalidArgument() && status.message().rfind(kDamagedImage, 0) == 0;
}

ImageService::ImageService(Ports& ports)
    : ImageService(ports.db, ports.objects, ports.crypto, ports.clock, ports.random, ports.thumbnails,
                   ports.logger) {}

ImageService::ImageService(Database& db, ObjectStore& objects, Crypto& crypto, Clock& clock, Random& random,
                           Thumbnailer& thumbnails, Logger& logger)
    : objects_(objects),
      crypto_(crypto),
      clock_(clock),
      thumbnails_(thumbnails),
      log_(logger),
      images_(db, clock, random) {}

Result<StoredImage> ImageService::StoreOriginalAndThumbnail(const std::string& user_id,
                                                            const std::string& filename,
                                                            const std::string& bytes, const ImageProbe& probe,
                                                            const StoreOptions& options) {
  StoredImage stored;
  stored.probe = probe;
  stored.filename = SanitizeFilename(filename);
  stored.content_type = MimeType(probe.format);
  stored.size = static_cast<int64_t>(bytes.size());
  NB_ASSIGN_OR_RETURN(std::string digest, crypto_.Sha256(bytes));
  stored.sha256 = HexEncode(digest);

  // Made before anything is written, so a damaged image is refused with nothing to clean up. The plan
  // reads only headers; it says how much memory the decode needs, or that none would be enough.
  std::optional<Thumbnail> thumbnail;
  Result<ThumbnailPlan> plan = PlanThumbnail(bytes, probe);
  Result<Thumbnail> made = plan.ok() ? thumbnails_.Make(bytes, plan->working_bytes) : plan.status();
  if (made.ok()) {
    thumbnail = std::move(made).value();
  } else if (made.status().IsInvalidArgument() && options.refuse_damaged) {
    return Status::InvalidArgument(std::string(kDamagedImage) + ": " + made.status().message());
  } else if (made.status().IsUnavailable() && options.fail_when_busy) {
    return made.status();  // no memory to spare now: nothing written, the caller may retry
  } else {
    log_.Warn("thumbnail_skipped", Details(made.status(), user_id));
  }

  StorageService storage(objects_, clock_);
  NB_ASSIGN_OR_RETURN(ObjectInfo original,
                      storage.Upload(user_id, stored.filename, bytes, stored.content_type));
  stored.storage_key = original.key;

  if (thumbnail) {
    auto put = storage.UploadThumbnail(original.key, thumbnail->bytes, thumbnail->content_type);
    auto thumb_digest = crypto_.Sha256(thumbnail->bytes);
    if (!put.ok() || !thumb_digest.ok()) {
      const Status failure = put.ok() ? thumb_digest.status() : put.status();
      if (put.ok()) (void)storage.Delete(put->key);
      (void)DeleteStored(stored);
      return failure;
    }
    stored.thumbnail_key = put->key;
    stored.thumbnail_size = static_cast<int64_t>(thumbnail->bytes.size());
    stored.thumbnail_sha256 = HexEncode(*thumb_digest);
    stored.thumbnail_content_type = thumbnail->content_type;
    stored.thumbnail_width = thumbnail->width;
    stored.thumbnail_height = thumbnail->height;
  }
  return stored;
}

Status ImageService::DeleteStored(const StoredImage& stored) {
  StorageService storage(objects_, clock_);
  Status s = storage.Delete(stored.Keys());
  if (!s.ok()) log_.Error("orphaned_objects", Details(s, stored.storage_key));
  return s;
}

Result<Image> ImageService::CreateUploaded(const std::string& user_id, const UploadDetails& details,
                                           const std::string& bytes, const ImageProbe& probe) {
  return CreateUploadedWith(user_id, details, bytes, probe, std::nullopt);
}

Result<Image> ImageService::CreateUploadedWithinQuota(const std::string& user_id,
                                                      const UploadDetails& details, const std::string& bytes,
                                                      const ImageProbe& probe, int64_t quota_bytes) {
  return CreateUploadedWith(user_id, details, bytes, probe, quota_bytes);
}

Result<Image> ImageService::CreateUploadedWith(const std::string& user_id, const UploadDetails& details,
                                               const std::string& bytes, const ImageProbe& probe,
                                               std::optional<int64_t> quota_bytes) {
  NB_ASSIGN_OR_RETURN(StoredImage stored, StoreOriginalAndThumbnail(user_id, details.filename, bytes, probe));
  Image draft;
  draft.user_id = user_id;
  draft.type = ImageType::kUploaded;
  draft.title = details.title;
  draft.description = details.description;
  stored.ApplyTo(draft);
  auto created = quota_bytes ? images_.CreateWithinQuota(draft, *quota_bytes) : images_.Create(draft);
  if (!created.ok()) {
    (void)DeleteStored(stored);
    return created.status();
  }
  return created;
}

Result<std::vector<std::string>> ImageService::DeleteImages(const std::vector<std::string>& ids,
                                                            const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(std::vector<Image> found, images_.FindManyForUser(ids, user_id));
  std::vector<std::string> keys;
  std::vector<std::string> owned;
  for (const Image& image : found) {
    owned.push_back(image.id);
    for (const auto& key : ObjectKeysOf(image)) keys.push_back(key);
  }
  StorageService storage(objects_, clock_);
  // Objects first: a failure leaves rows that a retry deletes, never rows pointing at nothing.
  NB_RETURN_IF_ERROR(storage.Delete(keys));
  NB_ASSIGN_OR_RETURN(std::vector<Image> deleted, images_.DeleteMany(owned, user_id));
  std::vector<std::string> removed;
  std::vector<std::string> late;
  for (const Image& image : deleted) {
    removed.push_back(image.id);
    // Bytes stored between our read and the rows' removal (a generation completing) go too.
    for (const auto& key : ObjectKeysOf(image)) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) late.push_back(key);
    }
  }
  if (Status st = storage.Delete(late); !st.ok()) log_.Error("orphaned_objects", Details(st, user_id));
  return removed;
}

Status ImageService::DeleteImage(const std::string& id, const std::string& user_id) {
  NB_ASSIGN_OR_RETURN(Image image, images_.FindByIdForUser(id, user_id));
  return DeleteImage(image);
}

Status ImageService::DeleteImage(const Image& loaded) {
  const std::string& id = loaded.id;
  StorageService storage(objects_, clock_);
  const std::vector<std::string> keys = ObjectKeysOf(loaded);
  NB_RETURN_IF_ERROR(storage.Delete(keys));
  auto deleted = images_.Delete(id, loaded.user_id);
  if (!deleted.ok()) {
    // Another request removed the row after our read: the image is gone either way.
    return deleted.status().IsNotFound() ? Status::Ok() : deleted.status();
  }
  // Bytes stored between our read and the row's removal (a generation completing) go too.
  std::vector<std::string> late;
  for (const auto& key : ObjectKeysOf(*deleted)) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) late.push_back(key);
  }
  if (Status s = storage.Delete(late); !s.ok()) log_.Error("orphaned_objects", Details(s, id));
  return Status::Ok();
}

}  // namespace nb
