// The route table as Hono writes it: groups share a path prefix and middleware, each route lists
// its own middleware after the group's, in the order they run.
//
//   RouteTable images = app.Group("/api/images", {SignedIn});
//   images.Get("/:id", {OwnImage}, GetImage);
//
// Routes are matched in the order they are added (http/router.h): first match wins.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/core/middleware.h"
#include "http/router.h"

namespace nb {

class RouteTable {
 public:
  RouteTable(http::Router<Handler>& router, const Settings& settings, std::string prefix = "",
             std::vector<Middleware> use = {})
      : router_(&router), settings_(&settings), prefix_(std::move(prefix)), use_(std::move(use)) {}

  // For routes that exist only in some deployments (dev sign-in, the debug routes).
  const Settings& settings() const { return *settings_; }

  // Routes under prefix_ + prefix that run this table's middleware, then `use`.
  RouteTable Group(const std::string& prefix, std::vector<Middleware> use = {}) const {
    std::vector<Middleware> chain = use_;
    chain.insert(chain.end(), use.begin(), use.end());
    return RouteTable(*router_, *settings_, prefix_ + prefix, std::move(chain));
  }

  void On(std::string method, const std::string& path, std::vector<Middleware> use, Handler handler) {
    std::vector<Middleware> chain = use_;
    chain.insert(chain.end(), use.begin(), use.end());
    router_->Add(std::move(method), prefix_ + path, Compose(chain, std::move(handler)));
  }

  void Get(const std::string& path, Handler h) { On("GET", path, {}, std::move(h)); }
  void Get(const std::string& path, std::vector<Middleware> use, Handler h) {
    On("GET", path, std::move(use), std::move(h));
  }
  void Post(const std::string& path, Handler h) { On("POST", path, {}, std::move(h)); }
  void Post(const std::string& path, std::vector<Middleware> use, Handler h) {
    On("POST", path, std::move(use), std::move(h));
  }
  void Put(const std::string& path, std::vector<Middleware> use, Handler h) {
    On("PUT", path, std::move(use), std::move(h));
  }
  void Patch(const std::string& path, std::vector<Middleware> use, Handler h) {
    On("PATCH", path, std::move(use), std::move(h));
  }
  void Delete(const std::string& path, Handler h) { On("DELETE", path, {}, std::move(h)); }
  void Delete(const std::string& path, std::vector<Middleware> use, Handler h) {
    On("DELETE", path, std::move(use), std::move(h));
  }

 private:
  http::Router<Handler>* router_;
  const Settings* settings_;
  std::string prefix_;
  std::vector<Middleware> use_;
};

}  // namespace nb
