// One request's world, built by the App before routing and handed to every middleware and handler:
// the ports, the typed settings, the request, a logger bound to its id, the repositories and the
// session store (built once here rather than in each handler), the caller, and what the route's
// middleware loaded for the handler (app/core/middleware.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/core/settings.h"
#include "auth/session_store.h"
#include "http/request.h"
#include "models/image.h"
#include "models/user.h"
#include "ports/ports.h"
#include "repositories/admin_audit_repository.h"
#include "repositories/generation_job_repository.h"
#include "repositories/image_repository.h"
#include "repositories/purchase_repository.h"
#include "repositories/user_repository.h"

namespace nb {

struct Repositories {
  explicit Repositories(Ports& ports)
      : users(ports.db, ports.clock, ports.random),
        images(ports.db, ports.clock, ports.random),
        generation_jobs(ports.db, ports.clock, ports.random),
        audit(ports.db, ports.clock, ports.random),
        purchases(ports.db, ports.clock, ports.random) {}

  UserRepository users;
  ImageRepository images;
  GenerationJobRepository generation_jobs;
  AdminAuditRepository audit;
  PurchaseRepository purchases;
};

// Who is calling: filled by Authenticate (app/core/session.h) on first use.
struct Caller {
  bool checked = false;
  std::optional<User> user;
  std::string session_token;
};

struct RequestScope {
  RequestScope(Ports& ports, const Settings& settings, http::Request& request, std::string language)
      : ports(ports),
        settings(settings),
        request(request),
        log(ports.logger, request.request_id),
        repos(ports),
        sessions(ports, settings.session_ttl_seconds, settings.session_max_age_seconds),
        language(std::move(language)) {}

  Ports& ports;
  const Settings& settings;
  http::Request& request;
  RequestLog log;
  Repositories repos;
  SessionStore sessions;
  std::string language;  // the Accept-Language pick, then the signed-in user's
  Caller caller;
  // Headers every response to this request carries (e.g. a renewed session cookie, Retry-After).
  std::vector<std::pair<std::string, std::string>> response_headers;

  // What middleware loaded. Reading one the route did not compose is a bug in the route table: it
  // is logged and traps rather than reading an empty value.
  const User& user() const;    // SignedIn, Admin
  const Image& image() const;  // OwnImage
  template <class T>
  const T& body() const;                       // JsonBody
  std::optional<std::string> idempotency_key;  // IdempotencyKey: the prefixed header, or none sent

  std::optional<Image> loaded_image;
  template <class T>
  void SetBody(T value) {
    body_ = std::make_shared<T>(std::move(value));
    body_type_ = &kTypeTag<T>;
  }

 private:
  template <class T>
  static constexpr char kTypeTag = 0;
  [[noreturn]] void MissingMiddleware(const char* name) const;

  std::shared_ptr<const void> body_;
  const void* body_type_ = nullptr;
};

template <class T>
const T& RequestScope::body() const {
  if (body_type_ != &kTypeTag<T>) MissingMiddleware("JsonBody");
  return *static_cast<const T*>(body_.get());
}

}  // namespace nb
