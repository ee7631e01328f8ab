#include "wasm/wasm_crypto.h"

#include "wasm/host_call.h"

namespace nb::wasm {

Result<std::string> WasmCrypto::Sha256(const std::string& data) {
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kCrypto, {{"op", "sha256"}}, data));
  return std::move(reply.body);
}

Result<std::string> WasmCrypto::HmacSha256(const std::string& key, const std::string& data) {
  NB_ASSIGN_OR_RETURN(
      HostReply reply,
      CallHost(HostPort::kCrypto, {{"op", "hmac-sha256"}, {"firstLength", key.size()}}, key + data));
  return std::move(reply.body);
}

Result<bool> WasmCrypto::VerifyRs256(const RsaPublicJwk& key, const std::string& data,
                                     const std::string& signature) {
  nlohmann::json head = {{"op", "verify-rs256"}, {"n", key.n}, {"e", key.e}, {"firstLength", data.size()}};
  NB_ASSIGN_OR_RETURN(HostReply reply, CallHost(HostPort::kCrypto, head, data + signature));
  return reply.head.value("valid", false);
}

}  // namespace nb::wasm
