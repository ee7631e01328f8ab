// Lets nlohmann parse a JSON text that carries megabytes inside a few string values (Gemini's
// base64 images) without lexing those strings: its lexer appends them one character at a time,
// which cost tens of ms per image in wasm. One pass finds every long, escape-free string value,
// the parser gets a small "skeleton" with a short placeholder in place of each, and readers see
// through the placeholders to views of the original characters.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace nb {

class JsonBlobs {
 public:
  // Shorter strings are left to the parser: below a few KB lexing costs less than a placeholder.
  static constexpr size_t kDefaultMinChars = 4096;

  // Scans `json` once, which must outlive the result. A string value is taken out only if it has
  // at least `min_chars` characters, all printable ASCII other than '\' (so its characters are its
  // value, and the parser would have accepted it). Keys stay. Nothing is taken out when a kept
  // string's value could begin like a placeholder (a leading \u0000), so placeholders are
  // unambiguous. Malformed JSON (an unterminated string, say) keeps its error for the parser: only
  // complete, valid string tokens are ever replaced, by other valid string tokens.
  static JsonBlobs Extract(std::string_view json, size_t min_chars = kDefaultMinChars);

  // What to give the parser: the skeleton, or the original text when nothing was taken out.
  std::string_view text() const { return blobs_.empty() ? original_ : std::string_view(skeleton_); }
  size_t count() const { return blobs_.size(); }

  // A string value as read from the parsed text(): a placeholder becomes a view of the original
  // characters (valid while the original text lives); any other value is returned as it is.
  std::string_view Resolve(std::string_view value) const;
  // Puts the original strings back into every placeholder inside `value`, for subtrees that are
  // kept or copied whole.
  void Restore(nlohmann::json& value) const;

 private:
  struct Blob {
    size_t offset;  // of the first character after the opening quote, in the original text
    size_t size;
  };

  std::string_view original_;
  std::string skeleton_;
  std::vector<Blob> blobs_;
};

}  // namespace nb
