// User-facing text in every supported language. Keys are stable; `{name}` placeholders take args.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nb::i18n {

inline const std::vector<std::string>& SupportedLanguages() {
  static const std::vector<std::string> languages = {"en", "es"};
  return languages;
}

bool IsSupportedLanguage(const std::string& language);

// Every key of the table, sorted; tests walk it to check each key is translated.
std::vector<std::string> MessageKeys();

// The message for `key` in `language`, falling back to English, then to the key itself.
std::string Message(const std::string& key, const std::string& language,
                    const std::map<std::string, std::string>& args);

// The contract's rule: the user's language, else the best supported Accept-Language, else "en".
std::string PickLanguage(const std::string& user_language, const std::string& accept_language);

}  // namespace nb::i18n
