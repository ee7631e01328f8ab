#include "wasm/wasm_thumbnailer.h"

#include "wasm/host_call.h"

namespace nb::wasm {

Result<Thumbnail> WasmThumbnailer::Make(std::string_view bytes, uint64_t working_bytes) {
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kThumbnail, {{"workingBytes", working_bytes}}, bytes));
  Thumbnail thumb;
  thumb.bytes = std::move(reply.body);
  thumb.content_type = reply.head.value("contentType", "");
  thumb.width = reply.head.value("width", 0u);
  thumb.height = reply.head.value("height", 0u);
  if (thumb.bytes.empty() || thumb.content_type.empty() || thumb.width == 0 || thumb.height == 0) {
    return Status::Internal("codec reply is incomplete");
  }
  return thumb;
}

}  // namespace nb::wasm
