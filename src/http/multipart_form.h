// A multipart/form-data body as the shim hands it over: the Worker runtime's own formData() parsed
// it (js-shim/http_glue.js), the text fields and a description of each file arrive in the request
// head, and Request::body holds the bytes of the file when there is exactly one. Deciding what is
// acceptable (how many files, which fields) is left to C++.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace nb::http {

struct FormFile {
  std::string field;          // the form field name, e.g. "file"
  std::string filename;       // as the client sent it: untrusted, sanitise before use
  std::string declared_type;  // the part's Content-Type: untrusted, never used to decide the type
  int64_t size = 0;
};

struct MultipartForm {
  bool malformed = false;  // the runtime could not parse the body (bad boundary, truncated part, ...)
  std::vector<std::pair<std::string, std::string>> fields;  // text fields in body order
  std::vector<FormFile> files;                              // file parts in body order

  // Every value sent for a text field, in order.
  std::vector<std::string> Values(const std::string& name) const;
};

// From the head's "multipart" object: {"malformed": true} or {"fields": [[name, value]...],
// "files": [{"field","name","type","size"}...]}. Any other shape reads as malformed.
MultipartForm MultipartFormFromJson(const nlohmann::json& json);

}  // namespace nb::http
