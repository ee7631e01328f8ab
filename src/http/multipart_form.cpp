#include "http/multipart_form.h"

namespace nb::http {

std::vector<std::string> MultipartForm::Values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

MultipartForm MultipartFormFromJson(const nlohmann::json& json) {
  MultipartForm bad;
  bad.malformed = true;
  if (!json.is_object()) return bad;
  // Not json.value("malformed", false): that throws (aborts, in the Worker) when the value is not a bool.
  if (auto m = json.find("malformed"); m != json.end() && !(m->is_boolean() && !m->get<bool>())) return bad;
  const auto fields = json.find("fields");
  const auto files = json.find("files");
  if (fields == json.end() || !fields->is_array() || files == json.end() || !files->is_array()) return bad;

  MultipartForm form;
  for (const auto& pair : *fields) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) return bad;
    form.fields.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  for (const auto& f : *files) {
    if (!f.is_object()) return bad;
    const auto field = f.find("field");
    const auto name = f.find("name");
    const auto type = f.find("type");
    const auto size = f.find("size");
    if (field == f.end() || !field->is_string() || name == f.end() || !name->is_string() || type == f.end() ||
        !type->is_string() || size == f.end() || !size->is_number_integer() || size->get<int64_t>() < 0) {
      return bad;
    }
    form.files.push_back({field->get<std::string>(), name->get<std::string>(), type->get<std::string>(),
                          size->get<int64_t>()});
  }
  return form;
}

}  // namespace nb::http
