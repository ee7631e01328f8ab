// The Worker's request pipeline: build the request's scope, route, run the middleware and handler,
// render errors, log one line per request. Queue batches and cron ticks go to the domain's jobs.
#pragma once

#include "app/core/middleware.h"
#include "app/core/settings.h"
#include "generation/jobs.h"
#include "http/router.h"

namespace nb {

class App {
 public:
  // Parses the settings once. A bad value is logged (settings_invalid) and kept in settings_status():
  // every request then answers 500 and names it in its log line, and queue messages are retried.
  App(Ports& ports, Config config);
  http::Response Handle(http::Request& request);
  // A queue batch in, one {"id","action","delaySeconds"?} decision per message out.
  nlohmann::json HandleQueue(const nlohmann::json& batch);
  // A cron tick: runs every periodic task (e.g. sweeping stuck jobs).
  void HandleScheduled(const nlohmann::json& event);
  const Status& settings_status() const { return settings_status_; }
  const Settings& settings() const { return settings_; }

 private:
  Ports& ports_;
  Settings settings_;
  Status settings_status_;
  http::Router<Handler> router_;
  JobHandlers jobs_;
  std::vector<PeriodicTask> periodic_tasks_;
};

}  // namespace nb
