// The Worker's request pipeline: route, run the handler, render errors, log one line per request.
#pragma once

#include "app/core/context.h"
#include "generation/jobs.h"
#include "http/router.h"

namespace nb {

class App {
 public:
  App(Ports& ports, Config config);
  http::Response Handle(http::Request& request);
  // A queue batch in, one {"id","action","delaySeconds"?} decision per message out.
  nlohmann::json HandleQueue(const nlohmann::json& batch);
  // A cron tick: runs every periodic task (e.g. sweeping stuck jobs).
  void HandleScheduled(const nlohmann::json& event);
  const Config& config() const { return config_; }

 private:
  Ports& ports_;
  Config config_;
  http::Router<Handler> router_;
  JobHandlers jobs_;
  std::vector<PeriodicTask> periodic_tasks_;
};

}  // namespace nb
