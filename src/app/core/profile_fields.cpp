#include "app/core/profile_fields.h"

#include "i18n/messages.h"

namespace nb {

ProfileFields ReadProfileFields(FieldErrors& errors, const nlohmann::json& body) {
  ProfileFields fields;
  fields.first_name = errors.String(body, "firstName", 100, false);
  fields.last_name = errors.String(body, "lastName", 100, false);
  fields.language = errors.String(body, "language", 8, false);
  if (fields.language && !i18n::IsSupportedLanguage(*fields.language))
    errors.Add("language", "field.unsupported_language");
  return fields;
}

}  // namespace nb
