#include "wasm/wasm_http_client.h"

#include "wasm/host_call.h"

namespace nb::wasm {

Result<HttpResponse> WasmHttpClient::Fetch(const HttpRequest& request) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, v] : request.headers) headers.push_back({k, v});
  nlohmann::json head = {{"method", request.method},
                         {"url", request.url},
                         {"headers", std::move(headers)},
                         {"timeoutMs", request.timeout_ms}};
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kFetch, head, request.body));
  HttpResponse response;
  response.status = reply.head.value("status", 0);
  for (const auto& h : reply.head["headers"]) {
    if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string()) {
      response.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
    }
  }
  response.body = std::move(reply.body);
  return response;
}

}  // namespace nb::wasm
