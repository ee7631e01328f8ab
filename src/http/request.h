// An incoming HTTP request as the router and handlers see it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/multipart_form.h"

namespace nb::http {

struct Request {
  std::string method;
  std::string url;                                           // as received, for logs and origin checks
  std::string path;                                          // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string request_id;
  std::string origin;           // scheme://host of this Worker, for same-origin checks
  bool body_too_large = false;  // the shim refused to buffer a body over the largest route limit
  // Set for multipart/form-data bodies, which the shim parses; `body` then holds the single file.
  std::optional<MultipartForm> multipart;
  std::map<std::string, std::string> params;  // path parameters filled by the router

  std::optional<std::string> Header(const std::string& lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  std::string Param(const std::string& name) const;
};

// Splits "/a/b?x=1&y=%20" into path and decoded query pairs. Returns false for a malformed URL.
bool ParseTarget(const std::string& url, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);
std::string PercentDecode(const std::string& in, bool plus_is_space);

}  // namespace nb::http
