// A small router in the spirit of Hono's: "/api/images/:id/content" patterns, first match wins,
// and a path that exists under other methods answers 405 with Allow.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nb::http {

template <class Handler>
class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // methods that would match the path (for 405)
  };

  void Add(std::string method, const std::string& pattern, Handler handler) {
    routes_.push_back({std::move(method), Split(pattern), std::move(handler)});
  }

  Match Find(const std::string& method, const std::string& path) const {
    Match m;
    const auto segments = Split(path);
    for (const auto& route : routes_) {
      std::map<std::string, std::string> params;
      if (!SegmentsMatch(route.segments, segments, params)) continue;
      if (route.method == method || (method == "HEAD" && route.method == "GET")) {
        if (!m.handler) {
          m.handler = &route.handler;
          m.params = std::move(params);
        }
      }
      bool seen = false;
      for (const auto& a : m.allowed) seen = seen || a == route.method;
      if (!seen) m.allowed.push_back(route.method);
    }
    return m;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  static std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < path.size()) {
      size_t slash = path.find('/', pos);
      if (slash == std::string::npos) slash = path.size();
      if (slash > pos) out.push_back(path.substr(pos, slash - pos));
      pos = slash + 1;
    }
    return out;
  }

  static bool SegmentsMatch(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                            std::map<std::string, std::string>& params) {
    if (pattern.size() != path.size()) return false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (!pattern[i].empty() && pattern[i][0] == ':') {
        params[pattern[i].substr(1)] = path[i];
      } else if (pattern[i] != path[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace nb::http
