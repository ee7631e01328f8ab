// The outbound HTTP port (the Worker's fetch).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ports/status.h"

namespace nb {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  int timeout_ms = 30000;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names lower-case
  std::string body;
  std::string Header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // A network failure or timeout is kUnavailable; any HTTP status is a successful Result.
  virtual Result<HttpResponse> Fetch(const HttpRequest& request) = 0;
};

}  // namespace nb
