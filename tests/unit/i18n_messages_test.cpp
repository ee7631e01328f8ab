#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>

#include "http/api_error.h"
#include "i18n/messages.h"

namespace nb::http {
namespace {

// The table moved to src/i18n; the error envelope (http) is what these tests render it through.
using namespace ::nb::i18n;

std::set<std::string> Placeholders(const std::string& text) {
  std::set<std::string> out;
  static const std::regex placeholder(R"(\{[a-zA-Z_]+\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator();
       ++it) {
    out.insert(it->str());
  }
  return out;
}

TEST_CASE("messages: every key has English and Spanish text that differ", "[messages]") {
  const auto keys = MessageKeys();
  REQUIRE(keys.size() >= 30);
  for (const auto& key : keys) {
    INFO(key);
    const std::string en = Message(key, "en", {});
    const std::string es = Message(key, "es", {});
    CHECK_FALSE(en.empty());
    CHECK_FALSE(es.empty());
    CHECK(en != key);  // a hit in the table, not the key echoed back
    CHECK(es != key);
    CHECK(en != es);
    // A translation must take the same arguments, or a value would show up as "{limit}".
    CHECK(Placeholders(en) == Placeholders(es));
  }
}

TEST_CASE("messages: every error code has default text", "[messages]") {
  // Explicit: a value appended to ErrorCode (after kServiceUnavailable) must raise this count, or the
  // last CHECK below fails; a loop up to the last known enumerator would silently skip it.
  constexpr int kErrorCodes = 15;
  const auto keys = MessageKeys();
  const std::set<std::string> known(keys.begin(), keys.end());
  std::set<std::string> names;
  for (int c = 0; c < kErrorCodes; ++c) {
    const std::string name = CodeString(static_cast<ErrorCode>(c));
    INFO(c << " " << name);
    names.insert(name);
    CHECK(known.count("code." + name) == 1);
  }
  CHECK(names.size() == kErrorCodes);  // every value has its own name: none fell to the default
  // One past the last code is no code: CodeString's fallback, which is INTERNAL's name.
  CHECK(std::string(CodeString(static_cast<ErrorCode>(kErrorCodes))) == "INTERNAL");
}

TEST_CASE("messages: placeholders are filled, every occurrence, values taken literally", "[messages]") {
  CHECK(Message("error.body_too_large", "en", {{"limit", "65536"}}) ==
        "The body is larger than 65536 bytes.");
  CHECK(Message("error.body_too_large", "es", {{"limit", "65536"}}) == "El cuerpo supera los 65536 bytes.");
  // Unused args are ignored; a missing arg leaves the placeholder visible rather than guessing.
  CHECK(Message("error.body_too_large", "en", {{"other", "x"}}) == "The body is larger than {limit} bytes.");
  // A value containing its own placeholder is not expanded again (no infinite loop).
  CHECK(Message("error.body_too_large", "en", {{"limit", "{limit}"}}) ==
        "The body is larger than {limit} bytes.");
  // An unknown key is its own text, with placeholders still filled.
  CHECK(Message("no.such {n} key {n}", "en", {{"n", "7"}}) == "no.such 7 key 7");
}

TEST_CASE("messages: an unsupported language falls back to English", "[messages]") {
  CHECK(Message("code.NOT_FOUND", "fr", {}) == Message("code.NOT_FOUND", "en", {}));
  CHECK(Message("code.NOT_FOUND", "", {}) == "Not found.");
  CHECK(Message("code.NOT_FOUND", "es", {}) == "No encontrado.");
  CHECK(IsSupportedLanguage("en"));
  CHECK(IsSupportedLanguage("es"));
  CHECK_FALSE(IsSupportedLanguage("ES"));
  CHECK_FALSE(IsSupportedLanguage("es-MX"));
  CHECK_FALSE(IsSupportedLanguage(""));
}

TEST_CASE("PickLanguage: the user's own language wins", "[messages]") {
  CHECK(PickLanguage("es", "en-US,en;q=0.9") == "es");
  CHECK(PickLanguage("en", "es") == "en");
  // An unsupported stored language falls through to the header.
  CHECK(PickLanguage("fr", "es") == "es");
  CHECK(PickLanguage("", "es") == "es");
}

TEST_CASE("PickLanguage: Accept-Language with regions and q-values", "[messages]") {
  CHECK(PickLanguage("", "") == "en");
  CHECK(PickLanguage("", "es-MX,es;q=0.9,en;q=0.5") == "es");
  CHECK(PickLanguage("", "en-GB,en;q=0.9,es;q=0.8") == "en");
  CHECK(PickLanguage("", "en;q=0.5, es;q=0.9") == "es");
  CHECK(PickLanguage("", "en;q=0.5,es-419;q=0.6") == "es");
  CHECK(PickLanguage("", "ES-mx") == "es");
  CHECK(PickLanguage("", "  es ;q=0.7 ") == "es");
  CHECK(PickLanguage("", "es; q=0.8, en; q=0.9") == "en");
  // Equal q: the first listed wins.
  CHECK(PickLanguage("", "es, en") == "es");
  CHECK(PickLanguage("", "en, es") == "en");
}

TEST_CASE("PickLanguage: unsupported languages are skipped, not matched", "[messages]") {
  CHECK(PickLanguage("", "fr-FR,fr;q=0.9") == "en");
  CHECK(PickLanguage("", "fr, de;q=0.9, es;q=0.1") == "es");
  CHECK(PickLanguage("", "est") == "en");  // Estonian is not Spanish
  CHECK(PickLanguage("", "*") == "en");
  CHECK(PickLanguage("", ",,;;q=") == "en");
}

TEST_CASE("PickLanguage: q=0 means not acceptable", "[messages]") {
  CHECK(PickLanguage("", "es;q=0") == "en");
  CHECK(PickLanguage("", "es;q=0.0, fr") == "en");
  CHECK(PickLanguage("", "en;q=0, es;q=0.1") == "es");
}

}  // namespace
}  // namespace nb::http
