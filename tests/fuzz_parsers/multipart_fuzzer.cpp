// libFuzzer: MultipartFormFromJson on arbitrary JSON (the shim's description of a multipart body; a
// shim bug or a change in the runtime's formData() must read as malformed, never crash the instance).
// Accepted forms keep what the JSON said, with no negative sizes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "http/multipart_form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  const nb::http::MultipartForm form = nb::http::MultipartFormFromJson(json);
  if (form.malformed) {
    if (!form.fields.empty() || !form.files.empty()) std::abort();
    return 0;
  }
  if (form.fields.size() != json["fields"].size() || form.files.size() != json["files"].size()) std::abort();
  for (const auto& f : form.files) {
    if (f.size < 0) std::abort();
  }
  return 0;
}
