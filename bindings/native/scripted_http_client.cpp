#include "scripted_http_client.h"

#include <utility>

namespace nb {

void ScriptedHttpClient::Expect(std::string method, std::string url_prefix, HttpResponse response) {
  AdapterLock lock(mu_);
  script_.push_back(Expectation{std::move(method), std::move(url_prefix), std::move(response)});
}

void ScriptedHttpClient::ExpectFailure(std::string method, std::string url_prefix, Status status) {
  if (status.ok()) status = Status::Internal("ExpectFailure was given an OK status");
  AdapterLock lock(mu_);
  script_.push_back(Expectation{std::move(method), std::move(url_prefix), std::move(status)});
}

Result<HttpResponse> ScriptedHttpClient::Fetch(const HttpRequest& request) {
  AdapterLock lock(mu_);
  requests_.push_back(request);
  const std::string named = request.method + " " + request.url;
  if (script_.empty()) return Status::Internal("unexpected request " + named + ": script is exhausted");
  const Expectation& next = script_.front();
  if (request.method != next.method || request.url.compare(0, next.url_prefix.size(), next.url_prefix) != 0) {
    return Status::Internal("unexpected request " + named + ": expected " + next.method + " " +
                            next.url_prefix + "...");
  }
  Result<HttpResponse> outcome = std::move(script_.front().outcome);
  script_.pop_front();
  return outcome;
}

bool ScriptedHttpClient::AllConsumed() const {
  AdapterLock lock(mu_);
  return script_.empty();
}

size_t ScriptedHttpClient::remaining() const {
  AdapterLock lock(mu_);
  return script_.size();
}

}  // namespace nb
