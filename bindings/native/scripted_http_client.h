// An HttpClient for tests: answers from a script of expected requests, in order, and records
// every request it sees so tests can assert on headers and bodies.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "adapter_mutex.h"
#include "ports/http_client.h"

namespace nb {

class ScriptedHttpClient final : public HttpClient {
 public:
  // The next request must have this method and a URL starting with url_prefix; it gets `response`.
  void Expect(std::string method, std::string url_prefix, HttpResponse response);
  // As Expect, but the request fails with `status` (e.g. Status::Unavailable for a timeout).
  // An OK status is replaced by kInternal, since a failure must carry an error.
  void ExpectFailure(std::string method, std::string url_prefix, Status status);

  // Answers from the head of the script. A request that does not match it (or arrives when the
  // script is empty) is kInternal naming the request, and leaves the script untouched.
  Result<HttpResponse> Fetch(const HttpRequest& request) override;

  const std::vector<HttpRequest>& requests() const { return requests_; }
  bool AllConsumed() const;
  size_t remaining() const;

 private:
  struct Expectation {
    std::string method;
    std::string url_prefix;
    Result<HttpResponse> outcome;
  };

  mutable AdapterMutex mu_;
  std::deque<Expectation> script_;
  std::vector<HttpRequest> requests_;
};

}  // namespace nb
