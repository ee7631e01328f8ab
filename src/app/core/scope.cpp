#include "app/core/scope.h"

namespace nb {

const User& RequestScope::user() const {
  if (!caller.user) MissingMiddleware("SignedIn");
  return *caller.user;
}

const Image& RequestScope::image() const {
  if (!loaded_image) MissingMiddleware("OwnImage");
  return *loaded_image;
}

void RequestScope::MissingMiddleware(const char* name) const {
  log.Error("route_missing_middleware", {{"middleware", name}, {"path", request.path}});
  __builtin_trap();
}

}  // namespace nb
