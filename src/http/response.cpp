#include "http/response.h"

#include "util/json_text.h"

namespace nb::http {

Response& Response::SetHeader(const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = value;
      return *this;
    }
  }
  headers.emplace_back(name, value);
  return *this;
}

std::optional<std::string> Response::Header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return std::nullopt;
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = nb::JsonText(body);
  r.SetHeader("content-type", "application/json; charset=utf-8");
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::Redirect(const std::string& location) {
  Response r;
  r.status = 302;
  r.SetHeader("location", location);
  return r;
}

}  // namespace nb::http
