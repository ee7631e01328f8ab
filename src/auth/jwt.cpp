#include "auth/jwt.h"

#include "util/base64.h"

namespace nb {

Result<Jwt> ParseJwt(const std::string& token) {
  if (token.size() > 16 * 1024) return Status::InvalidArgument("token too long");
  const size_t first = token.find('.');
  const size_t second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos || token.find('.', second + 1) != std::string::npos) {
    return Status::InvalidArgument("token is not three segments");
  }
  auto header = Base64UrlDecode(std::string_view(token).substr(0, first));
  auto payload = Base64UrlDecode(std::string_view(token).substr(first + 1, second - first - 1));
  auto signature = Base64UrlDecode(std::string_view(token).substr(second + 1));
  if (!header || !payload || !signature) return Status::InvalidArgument("token segment is not base64url");
  Jwt jwt;
  jwt.header = nlohmann::json::parse(*header, nullptr, false);
  jwt.payload = nlohmann::json::parse(*payload, nullptr, false);
  if (!jwt.header.is_object() || !jwt.payload.is_object()) {
    return Status::InvalidArgument("token header or payload is not a JSON object");
  }
  jwt.signing_input = token.substr(0, second);
  jwt.signature = std::move(*signature);
  return jwt;
}

namespace {

Status Denied(const std::string& check) { return Status::PermissionDenied("id token: " + check); }

std::string StringClaim(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> TimeClaim(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || !it->is_number()) return std::nullopt;
  return static_cast<int64_t>(it->get<double>());
}

bool AudienceMatches(const nlohmann::json& aud, const std::string& audience) {
  if (aud.is_string()) return aud.get<std::string>() == audience;
  if (!aud.is_array()) return false;
  for (const auto& a : aud)
    if (a.is_string() && a.get<std::string>() == audience) return true;
  return false;
}

// Google encodes email_verified as a boolean, older tokens as the string "true".
bool IsTrue(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) return false;
  return (it->is_boolean() && it->get<bool>()) || (it->is_string() && it->get<std::string>() == "true");
}

}  // namespace

Result<IdTokenClaims> VerifyIdToken(const std::string& token, KeySource& keys, Crypto& crypto,
                                    const IdTokenExpectations& expect) {
  auto parsed = ParseJwt(token);
  if (!parsed.ok()) return Denied("malformed (" + parsed.status().message() + ")");
  const Jwt& jwt = *parsed;
  if (StringClaim(jwt.header, "alg") != "RS256") return Denied("alg must be RS256");
  const std::string kid = StringClaim(jwt.header, "kid");
  if (kid.empty()) return Denied("missing kid");
  auto key = keys.KeyFor(kid);
  if (!key.ok()) {
    if (key.status().IsNotFound()) return Denied("unknown kid");
    return key.status();  // JWKS unreachable: not the token's fault
  }
  auto valid = crypto.VerifyRs256(*key, jwt.signing_input, jwt.signature);
  if (!valid.ok()) return valid.status();
  if (!*valid) return Denied("bad signature");

  const nlohmann::json& claims = jwt.payload;
  const std::string iss = StringClaim(claims, "iss");
  bool issuer_ok = false;
  for (const auto& i : expect.issuers) issuer_ok = issuer_ok || i == iss;
  if (!issuer_ok) return Denied("wrong issuer");
  if (!AudienceMatches(claims.value("aud", nlohmann::json()), expect.audience))
    return Denied("wrong audience");
  const auto exp = TimeClaim(claims, "exp");
  const auto iat = TimeClaim(claims, "iat");
  if (!exp || *exp + expect.clock_skew_seconds < expect.now_seconds) return Denied("expired");
  if (!iat || *iat - expect.clock_skew_seconds > expect.now_seconds) return Denied("issued in the future");
  if (const auto nbf = TimeClaim(claims, "nbf");
      nbf && *nbf - expect.clock_skew_seconds > expect.now_seconds) {
    return Denied("not yet valid");
  }
  if (expect.nonce.empty() || StringClaim(claims, "nonce") != expect.nonce) return Denied("nonce mismatch");

  IdTokenClaims out;
  out.subject = StringClaim(claims, "sub");
  out.email = StringClaim(claims, "email");
  if (out.subject.empty()) return Denied("missing sub");
  if (out.email.empty() || !IsTrue(claims, "email_verified")) return Denied("email not verified");
  out.email_verified = true;
  out.given_name = StringClaim(claims, "given_name");
  out.family_name = StringClaim(claims, "family_name");
  out.locale = StringClaim(claims, "locale");
  return out;
}

}  // namespace nb
