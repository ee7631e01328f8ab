// GET /api/images/:id/content and /thumbnail: the bytes, streamed by the shim straight from R2. C++
// decides everything from the row (size, digest, key) and never reads the object itself.
#include "app/images/image_handlers.h"
#include "http/byte_range.h"
#include "http/content_disposition.h"
#include "http/entity_tag.h"
#include "services/filename.h"
#include "services/image_service.h"

namespace nb {
namespace {

// The bytes of an image never change (a new picture is a new image), so caches may keep them for a
// year; `private` because only the owner may see them.
constexpr char kImmutablePrivate[] = "private, max-age=31536000, immutable";

struct ServedObject {
  std::string key;
  std::string content_type;
  std::string etag;  // empty when the row has no digest
  std::optional<int64_t> size;
  std::string filename;
};

const char* ExtensionFor(const std::string& content_type) {
  if (content_type == "image/jpeg") return "jpg";
  if (content_type == "image/png") return "png";
  if (content_type == "image/webp") return "webp";
  if (content_type == "image/gif") return "gif";
  return "bin";
}

// The uploaded file's (sanitised) name, else "image-<id>"; the extension always matches the bytes.
std::string DownloadName(const Image& image, const std::string& content_type, bool thumbnail) {
  std::string stem = "image-" + image.id.substr(0, 8);
  if (auto f = image.metadata.find("filename"); f != image.metadata.end() && f->is_string()) {
    const std::string name = SanitizeFilename(f->get<std::string>());
    const size_t dot = name.rfind('.');
    stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
  }
  return stem + (thumbnail ? "-thumbnail." : ".") + ExtensionFor(content_type);
}

Reply Serve(RequestScope& scope, const ServedObject& object, const char* cache_control) {
  const http::Request& request = scope.request;
  http::Response response;
  if (!object.etag.empty()) response.SetHeader("etag", object.etag);
  response.SetHeader("cache-control", cache_control);
  if (auto inm = request.Header("if-none-match");
      inm && !object.etag.empty() && http::IfNoneMatchMatches(*inm, object.etag)) {
    response.status = 304;
    return response;
  }
  const std::string download = request.Query("download").value_or("");
  response.SetHeader("content-type", object.content_type);
  response.SetHeader("content-disposition",
                     http::ContentDisposition(download == "1" || download == "true", object.filename));
  response.object_body = http::ObjectStreamBody{object.key, std::nullopt, std::nullopt};
  if (!object.size) return response;  // unknown size: no length, no ranges
  const int64_t size = *object.size;
  response.SetHeader("accept-ranges", "bytes");

  std::optional<std::string> range = request.Header("range");
  // A Range conditioned on another version (If-Range) gets the whole, current representation.
  if (auto if_range = request.Header("if-range");
      range && if_range && !http::IfRangeMatches(*if_range, object.etag)) {
    range.reset();
  }
  const http::RangeDecision decision = http::DecideRange(range, size);
  switch (decision.kind) {
    case http::RangeDecision::Kind::kWhole:
      response.SetHeader("content-length", std::to_string(size));
      return response;
    case http::RangeDecision::Kind::kPartial:
      response.status = 206;
      response.SetHeader("content-range", http::ContentRange(decision.span, size));
      response.SetHeader("content-length", std::to_string(decision.span.length));
      response.object_body->offset = decision.span.offset;
      response.object_body->length = decision.span.length;
      return response;
    case http::RangeDecision::Kind::kUnsatisfiable: {
      http::Response error = http::ErrorResponse(http::ApiError(http::ErrorCode::kRangeNotSatisfiable),
                                                 scope.language, request.request_id);
      error.SetHeader("content-range", http::UnsatisfiedContentRange(size));
      error.SetHeader("accept-ranges", "bytes");
      return error;
    }
  }
  return response;
}

}  // namespace

Reply ServeImageContent(RequestScope& scope) {
  return ServeContentOf(scope, scope.image(), kImmutablePrivate);
}

Reply ServeImageThumbnail(RequestScope& scope) {
  return ServeThumbnailOf(scope, scope.image(), kImmutablePrivate);
}

Reply ServeContentOf(RequestScope& scope, const Image& image, const char* cache_control) {
  if (!image.IsReady()) return http::ApiError(http::ErrorCode::kNotFound, "error.image_no_content");
  ServedObject object;
  object.key = *image.storage_key;
  object.content_type = image.content_type.value_or("application/octet-stream");
  object.etag = image.sha256 ? http::StrongEtag(*image.sha256) : "";
  object.size = image.size;
  object.filename = DownloadName(image, object.content_type, false);
  return Serve(scope, object, cache_control);
}

Reply ServeThumbnailOf(RequestScope& scope, const Image& image, const char* cache_control) {
  const auto facts = ThumbnailFactsOf(image);
  if (!facts) return http::ApiError(http::ErrorCode::kNotFound, "error.image_no_thumbnail");
  ServedObject object;
  object.key = facts->key;
  object.content_type = facts->content_type;
  object.etag = facts->etag_opaque.empty() ? "" : http::StrongEtag(facts->etag_opaque);
  object.size = facts->size;
  object.filename = DownloadName(image, object.content_type, facts->key != image.storage_key.value_or(""));
  return Serve(scope, object, cache_control);
}

}  // namespace nb
