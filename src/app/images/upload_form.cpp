#include "app/images/upload_form.h"

#include <cctype>

#include "app/core/validation.h"
#include "app/images/image_text.h"

namespace nb {
namespace {

bool IsMultipartFormData(const std::string& content_type) {
  std::string lower;
  for (char c : Trim(content_type)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::string_view kType = "multipart/form-data";
  if (lower.rfind(kType, 0) != 0) return false;
  const std::string rest = Trim(lower.substr(kType.size()));
  return rest.empty() || rest[0] == ';';
}

std::optional<std::string> OptionalText(const http::MultipartForm& form, FieldErrors& errors,
                                        const std::string& name) {
  const auto values = form.Values(name);
  if (values.empty()) return std::nullopt;
  if (values.size() > 1) {
    errors.Add(name, "field.single_value");
    return std::nullopt;
  }
  auto text = CheckImageText(errors, name, values.front());
  // A form's blank input means "no title", not an empty one.
  if (text && text->empty()) return std::nullopt;
  return text;
}

}  // namespace

ApiResult<UploadForm> ReadUploadForm(const http::Request& request, int64_t max_bytes) {
  if (!IsMultipartFormData(request.Header("content-type").value_or(""))) {
    return http::ApiError(http::ErrorCode::kUnsupportedMediaType, "error.multipart_required");
  }
  if (!request.multipart || request.multipart->malformed) {
    return http::ApiError(http::ErrorCode::kBadRequest, "error.multipart_malformed");
  }
  const http::MultipartForm& form = *request.multipart;
  UploadForm upload;
  FieldErrors errors;
  if (form.files.empty() || (form.files.size() == 1 && form.files.front().field != "file")) {
    errors.Add("file", "field.file_required");
  } else if (form.files.size() > 1) {
    errors.Add("file", "field.one_file_only");
  } else {
    upload.file = form.files.front();
    if (upload.file.size != static_cast<int64_t>(request.body.size())) {
      return http::ApiError(http::ErrorCode::kBadRequest, "error.multipart_malformed");
    }
    if (upload.file.size > max_bytes) {
      return http::ApiError(http::ErrorCode::kPayloadTooLarge, "error.file_too_large")
          .Arg("limit", std::to_string(max_bytes));
    }
    if (upload.file.size == 0) errors.Add("file", "field.file_empty");
  }
  upload.title = OptionalText(form, errors, "title");
  upload.description = OptionalText(form, errors, "description");
  if (!errors.ok()) return errors.error();
  return upload;
}

}  // namespace nb
