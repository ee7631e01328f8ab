// What a route handler gets: the ports, the configuration and the request, plus the language to
// answer in. Handlers return a Response or an ApiError for the envelope.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http/api_error.h"
#include "http/request.h"
#include "http/response.h"
#include "models/user.h"
#include "ports/ports.h"

namespace nb {

struct RequestContext {
  Ports& ports;
  const Config& config;
  http::Request& request;
  std::string language = "en";
  // Filled by Authenticate() (app/current_user.h) on first use.
  bool auth_checked = false;
  std::optional<User> user;
  std::string session_token;
  // Headers every response to this request carries (e.g. a renewed session cookie).
  std::vector<std::pair<std::string, std::string>> response_headers;
};

using Reply = std::variant<http::Response, http::ApiError>;
using Handler = std::function<Reply(RequestContext&)>;

}  // namespace nb
