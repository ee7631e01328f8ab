#pragma once

#include "ports/http_client.h"

namespace nb::wasm {

// The Worker's outbound fetch through the shim, with a timeout enforced there.
class WasmHttpClient final : public HttpClient {
 public:
  Result<HttpResponse> Fetch(const HttpRequest& request) override;
};

}  // namespace nb::wasm
