#include "wasm/host_call.h"

#include "ports/host_errors.h"
#include "wasm/host_abi.h"

namespace nb::wasm {

Result<HostReply> CallHost(HostPort port, const nlohmann::json& head, std::string_view body) {
  // Invalid UTF-8 becomes U+FFFD rather than aborting (JSON_NOEXCEPTION), as util/json_text.h does.
  const std::string head_text = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const auto hl = static_cast<uint32_t>(head_text.size());
  const auto bl = static_cast<uint32_t>(body.size());
  int32_t reply_len = 0;
  switch (port) {
    case HostPort::kD1: reply_len = nb_host_d1(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kR2: reply_len = nb_host_r2(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kKv: reply_len = nb_host_kv(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kFetch: reply_len = nb_host_fetch(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kCrypto: reply_len = nb_host_crypto(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kRateLimit: reply_len = nb_host_ratelimit(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kQueue: reply_len = nb_host_queue(head_text.data(), hl, body.data(), bl); break;
    case HostPort::kThumbnail: reply_len = nb_host_thumbnail(head_text.data(), hl, body.data(), bl); break;
  }
  if (reply_len < 0) return Status::Internal("host call returned no reply");
  HostReply reply;
  std::string reply_head(static_cast<size_t>(reply_len), '\0');
  reply.body.resize(nb_host_result_body_len());
  nb_host_result_take(reply_head.data(), reply.body.data());
  reply.head = nlohmann::json::parse(reply_head, nullptr, /*allow_exceptions=*/false);
  if (reply.head.is_discarded()) return Status::Internal("host reply is not JSON");
  if (reply.head.contains("error")) return StatusFromHostError(reply.head["error"]);
  return reply;
}

}  // namespace nb::wasm
