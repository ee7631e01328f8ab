// What a route handler gets: the ports, the configuration and the request, plus the language to
// answer in. Handlers return a Response or an ApiError for the envelope.
#pragma once

#include <functional>
#include <string>
#include <variant>

#include "http/api_error.h"
#include "http/request.h"
#include "http/response.h"
#include "ports/ports.h"

namespace nb {

struct RequestContext {
  Ports& ports;
  const Config& config;
  http::Request& request;
  std::string language = "en";
};

using Reply = std::variant<http::Response, http::ApiError>;
using Handler = std::function<Reply(RequestContext&)>;

}  // namespace nb
