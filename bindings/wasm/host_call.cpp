#include "wasm/host_call.h"

#include "ports/host_errors.h"
#include "wasm/host_abi.h"

namespace nb::wasm {
namespace {

const char* PortName(HostPort port) {
  switch (port) {
    case HostPort::kD1: return "d1";
    case HostPort::kR2: return "r2";
    case HostPort::kKv: return "kv";
    case HostPort::kFetch: return "fetch";
    case HostPort::kCrypto: return "crypto";
    case HostPort::kRateLimit: return "ratelimit";
    case HostPort::kQueue: return "queue";
    case HostPort::kThumbnail: return "thumbnail";
  }
  return "";
}

std::string DumpHead(const nlohmann::json& head) {
  // Invalid UTF-8 becomes U+FFFD rather than aborting (JSON_NOEXCEPTION), as util/json_text.h does.
  return head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Copies out the pending reply the last suspending import left in the shim.
Result<HostReply> TakeReply(int32_t reply_len) {
  if (reply_len < 0) return Status::Internal("host call returned no reply");
  HostReply reply;
  std::string reply_head(static_cast<size_t>(reply_len), '\0');
  reply.body.resize(nb_host_result_body_len());
  nb_host_result_take(reply_head.data(), reply.body.data());
  reply.head = nlohmann::json::parse(reply_head, nullptr, /*allow_exceptions=*/false);
  if (reply.head.is_discarded()) return Status::Internal("host reply is not JSON");
  return reply;
}

}  // namespace

std::vector<Result<HostReply>> CallHostTogether(const std::vector<HostCall>& calls) {
  nlohmann::json head = nlohmann::json::array();
  std::string bodies;
  for (const auto& call : calls) {
    head.push_back({{"port", PortName(call.port)}, {"head", call.head}, {"bodyLen", call.body.size()}});
    bodies += call.body;
  }
  const std::string head_text = DumpHead(head);
  auto all = TakeReply(nb_host_together(head_text.data(), static_cast<uint32_t>(head_text.size()),
                                        bodies.data(), static_cast<uint32_t>(bodies.size())));
  std::vector<Result<HostReply>> out;
  if (all.ok() && (!all->head.is_array() || all->head.size() != calls.size()))
    all = Status::Internal("host reply has the wrong number of results");
  size_t offset = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (!all.ok()) {
      out.push_back(all.status());
      continue;
    }
    nlohmann::json& one = all->head[i];
    const auto body_len = one.value("bodyLen", size_t{0});
    if (!one.contains("head") || offset + body_len > all->body.size()) {
      out.push_back(Status::Internal("host reply is malformed"));
      continue;
    }
    if (one["head"].contains("error")) {
      out.push_back(StatusFromHostError(one["head"]["error"]));
    } else {
      out.push_back(HostReply{std::move(one["head"]), all->body.substr(offset, body_len)});
    }
    offset += body_len;
  }
  return out;
}

Result<HostReply> CallHost(HostPort port, const nlohmann::json& head, std::string_view body) {
  const std::string head_text = DumpHead(head);
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
  NB_ASSIGN_OR_RETURN(HostReply reply, TakeReply(reply_len));
  if (reply.head.contains("error")) return StatusFromHostError(reply.head["error"]);
  return reply;
}

}  // namespace nb::wasm
