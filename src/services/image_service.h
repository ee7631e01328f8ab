// An image's bytes in R2 and its row in D1 kept consistent: the original, its thumbnail and the row
// exist together or not at all. Uploads (POST /api/images) use CreateUploaded; the generation worker
// uses StoreOriginalAndThumbnail on the model's bytes, then completes its row with StoredImage::ToPatch
// and calls DeleteStored when that update fails (e.g. the user deleted the image meanwhile).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imaging/image_probe.h"
#include "models/image.h"
#include "ports/ports.h"
#include "repositories/image_repository.h"

namespace nb {

// What StoreOriginalAndThumbnail wrote, and the row facts that describe it.
struct StoredImage {
  ImageProbe probe;
  std::string filename;  // sanitised, as in the key and in downloads
  std::string storage_key;
  std::string content_type;  // from the magic bytes, never from the client
  int64_t size = 0;
  std::string sha256;  // lower-case hex of the original: its strong ETag
  // A separate thumbnail object, when one was made. (Rows written before WebP could be decoded may
  // name the original as their thumbnail: thumbnail_key == storage_key; ThumbnailFactsOf reads both.)
  std::optional<std::string> thumbnail_key;
  std::optional<int64_t> thumbnail_size;
  std::optional<std::string> thumbnail_sha256;
  std::string thumbnail_content_type;
  uint32_t thumbnail_width = 0;
  uint32_t thumbnail_height = 0;

  // The distinct R2 objects written.
  std::vector<std::string> Keys() const;
  // Status COMPLETED, keys, type, size, dimensions, sha256 and metadata
  // {width,height,size,format,sha256,filename,thumbnail?:{width,height,contentType,sha256}}.
  void ApplyTo(Image& image) const;
  ImagePatch ToPatch() const;
};

// The message prefix of the InvalidArgument StoreOriginalAndThumbnail returns for damaged data.
inline constexpr char kDamagedImage[] = "damaged image";
bool IsDamagedImage(const Status& status);

struct StoreOptions {
  // A decoder that finds the data damaged (truncated, corrupt) refuses the image: nothing is written
  // and the error is InvalidArgument. When false, such an image is kept without a thumbnail.
  bool refuse_damaged = true;
  // When the isolate has no memory to decode with right now (Unavailable): true fails the call with
  // nothing written (an upload answers 503 and the user retries); false stores the image without a
  // thumbnail (a generation keeps the answer it paid for instead of calling the model again).
  bool fail_when_busy = true;
};

struct UploadDetails {
  std::string filename;  // as the client sent it
  std::optional<std::string> title;
  std::optional<std::string> description;
};

// The thumbnail's serving facts for a row (ETag opaque part and Content-Type), with the original's
// when it doubles as its thumbnail. nullopt when the row has no thumbnail.
struct ThumbnailFacts {
  std::string key;
  std::string content_type;
  std::string etag_opaque;
  std::optional<int64_t> size;
};
std::optional<ThumbnailFacts> ThumbnailFactsOf(const Image& image);

// The R2 keys a row references (original and thumbnail), without duplicates.
std::vector<std::string> ObjectKeysOf(const Image& image);

class ImageService {
 public:
  explicit ImageService(Ports& ports);
  ImageService(Database& db, ObjectStore& objects, Crypto& crypto, Clock& clock, Random& random,
               Thumbnailer& thumbnails, Logger& logger);

  // `bytes` must be what ProbeImage accepted as `probe`. Hashes, makes the thumbnail in memory, then
  // writes the original and the thumbnail. Damaged data (see StoreOptions) is IsDamagedImage and writes
  // nothing; any R2 failure leaves nothing behind. A thumbnail that cannot
  // be made for another reason than damage (no decoder, out of memory) is skipped, logged, and the
  // image stays usable.
  Result<StoredImage> StoreOriginalAndThumbnail(const std::string& user_id, const std::string& filename,
                                                const std::string& bytes, const ImageProbe& probe,
                                                const StoreOptions& options = {});
  // Best effort removal of what StoreOriginalAndThumbnail wrote; failures are logged and returned.
  Status DeleteStored(const StoredImage& stored);

  // A COMPLETED, UPLOADED row for stored bytes; when the row cannot be written the objects are removed.
  Result<Image> CreateUploaded(const std::string& user_id, const UploadDetails& details,
                               const std::string& bytes, const ImageProbe& probe);

  // CreateUploaded refused with PermissionDenied (and nothing left in R2) when the user's stored bytes
  // plus these would pass quota_bytes; the check is atomic with the row's insert.
  Result<Image> CreateUploadedWithinQuota(const std::string& user_id, const UploadDetails& details,
                                          const std::string& bytes, const ImageProbe& probe,
                                          int64_t quota_bytes);

  // Bulk delete: the user's images among ids (distinct, valid ids), objects first then the rows in one
  // batch; returns the ids whose row this call removed. Others' ids and missing ones are simply absent.
  Result<std::vector<std::string>> DeleteImages(const std::vector<std::string>& ids,
                                                const std::string& user_id);

  // Removes the objects, then the row, so a failure can be retried and never orphans an object.
  // NotFound for a missing id or another user's image.
  Status DeleteImage(const std::string& id, const std::string& user_id);
  // The same for a row the caller already loaded for its owner (saves a D1 round trip).
  Status DeleteImage(const Image& loaded);

 private:
  ObjectStore& objects_;
  Crypto& crypto_;
  Clock& clock_;
  Thumbnailer& thumbnails_;
  Result<Image> CreateUploadedWith(const std::string& user_id, const UploadDetails& details,
                                   const std::string& bytes, const ImageProbe& probe,
                                   std::optional<int64_t> quota_bytes);

  RequestLog log_;  // no request id: the service also runs in queue jobs
  ImageRepository images_;
};

}  // namespace nb
