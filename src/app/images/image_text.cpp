#include "app/images/image_text.h"

namespace nb {

std::optional<std::string> CheckImageText(FieldErrors& errors, const std::string& field,
                                          const std::string& value) {
  const bool multiline = field == "description";
  const size_t max_chars = multiline ? kMaxImageDescriptionChars : kMaxImageTitleChars;
  std::string text = Trim(value);
  for (unsigned char c : text) {
    const bool line_break_or_tab = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(multiline && line_break_or_tab)) || c == 0x7F) {
      errors.Add(field, "field.control_characters");
      return std::nullopt;
    }
  }
  if (Utf8Length(text) > max_chars) {
    errors.Add(field, "field.too_long");
    return std::nullopt;
  }
  return text;
}

}  // namespace nb
