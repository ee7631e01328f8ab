// POST /api/images: a picture from the user's device. The form is checked first (upload_form.h), then
// the bytes decide the type (never the name or the declared type), then ImageService stores the
// original, its thumbnail and the row together or not at all.
#include "app/images/image_handlers.h"
#include "app/images/upload_form.h"
#include "imaging/image_probe.h"
#include "services/image_service.h"

namespace nb {
namespace {

http::ApiError FileError(http::ErrorCode code, const std::string& message_key, const std::string& field_key) {
  http::ApiError error(code, message_key);
  error.Field("file", field_key);
  return error;
}

// ProbeImage's stable messages, as the contract's errors.
http::ApiError ProbeError(const Status& status) {
  const std::string& m = status.message();
  if (m == "not an image") {
    return FileError(http::ErrorCode::kUnsupportedMediaType, "error.not_an_image", "field.not_an_image");
  }
  if (m == "too many pixels") {
    return FileError(http::ErrorCode::kValidationFailed, "", "field.too_many_pixels");
  }
  return FileError(http::ErrorCode::kValidationFailed, "", "field.image_damaged");
}

}  // namespace

http::ApiError QuotaExceeded(int64_t quota) {
  return http::ApiError(http::ErrorCode::kQuotaExceeded, "error.quota_exceeded")
      .Arg("quota", std::to_string(quota));
}

Reply UploadImage(RequestScope& scope) {
  const UploadForm upload = NB_TRY(ReadUploadForm(scope.request, scope.settings.max_upload_bytes));

  // Header fields only: a 100000x100000 claim is refused here, before a decoder sees a byte.
  auto probe = ProbeImage(scope.request.body);
  if (!probe.ok()) return ProbeError(probe.status());

  // The quota, before a byte reaches R2 (the thumbnail's size is not known yet: the insert below
  // checks again, with it, atomically).
  const int64_t quota = scope.settings.storage_quota_bytes;
  const int64_t used = NB_TRY(scope.repos.images.StoredBytes(scope.user().id));
  if (used + static_cast<int64_t>(scope.request.body.size()) > quota) return QuotaExceeded(quota);

  ImageService service(scope.ports);
  auto image = service.CreateUploadedWithinQuota(scope.user().id,
                                                 {upload.file.filename, upload.title, upload.description},
                                                 scope.request.body, *probe, quota);
  if (!image.ok()) {
    // Another upload filled the quota meanwhile; the service removed what it had written.
    if (image.status().IsPermissionDenied()) return QuotaExceeded(quota);
    if (IsDamagedImage(image.status())) return ProbeError(image.status());
    // Unavailable here is mostly the isolate's memory budget being full of other decodes: a moment later
    // it is not. Nothing was stored.
    if (image.status().IsUnavailable()) scope.response_headers.emplace_back("retry-after", "5");
    return http::ErrorFromStatus(image.status());
  }
  http::Response response = http::Response::Json(201, {{"image", image->ToJson()}});
  response.SetHeader("location", "/api/images/" + image->id);
  return response;
}

}  // namespace nb
