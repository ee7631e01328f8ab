#include "services/stripe_signature.h"

#include <vector>

#include "util/hex.h"

namespace nb {
namespace {

struct ParsedHeader {
  std::string timestamp;
  std::vector<std::string> v1;
};

ParsedHeader Parse(const std::string& header) {
  ParsedHeader out;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string::npos) comma = header.size();
    std::string item = header.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(' '));
    const size_t eq = item.find('=');
    if (eq != std::string::npos) {
      const std::string key = item.substr(0, eq);
      std::string value = item.substr(eq + 1);
      if (key == "t" && out.timestamp.empty()) out.timestamp = value;
      if (key == "v1") out.v1.push_back(value);
    }
    pos = comma + 1;
  }
  return out;
}

bool ParseSeconds(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 12) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

Status VerifyStripeSignature(Crypto& crypto, const std::string& secret, const std::string& header,
                             const std::string& raw_body, int64_t now_seconds, int64_t tolerance_seconds) {
  if (secret.empty()) return Status::InvalidArgument("no webhook secret configured");
  if (header.empty()) return Status::InvalidArgument("no Stripe-Signature header");
  const ParsedHeader parsed = Parse(header);
  int64_t t = 0;
  if (!ParseSeconds(parsed.timestamp, t)) return Status::InvalidArgument("no timestamp in Stripe-Signature");
  if (parsed.v1.empty()) return Status::InvalidArgument("no v1 signature in Stripe-Signature");
  NB_ASSIGN_OR_RETURN(std::string mac, crypto.HmacSha256(secret, parsed.timestamp + "." + raw_body));
  const std::string expected = HexEncode(mac);
  bool matched = false;
  // Every candidate is compared (no early exit), each in constant time.
  for (const auto& candidate : parsed.v1) matched |= ConstantTimeEquals(candidate, expected);
  if (!matched) return Status::InvalidArgument("no v1 signature matches");
  const int64_t skew = now_seconds > t ? now_seconds - t : t - now_seconds;
  if (skew > tolerance_seconds) return Status::InvalidArgument("timestamp outside the tolerance");
  return Status::Ok();
}

Result<std::string> SignStripePayload(Crypto& crypto, const std::string& secret, const std::string& raw_body,
                                      int64_t t) {
  const std::string ts = std::to_string(t);
  NB_ASSIGN_OR_RETURN(std::string mac, crypto.HmacSha256(secret, ts + "." + raw_body));
  return "t=" + ts + ",v1=" + HexEncode(mac);
}

}  // namespace nb
