#include "auth/google_sign_in.h"

#include "auth/jwks_cache.h"
#include "auth/safe_redirect.h"
#include "util/base64.h"
#include "util/hex.h"
#include "util/json_text.h"
#include "util/url_encode.h"

namespace nb {

GoogleEndpoints GoogleEndpoints::FromConfig(const Config& c) {
  return GoogleEndpoints{c.Get("GOOGLE_CLIENT_ID"),
                         c.Get("GOOGLE_CLIENT_SECRET"),
                         c.Get("GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth"),
                         c.Get("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"),
                         c.Get("GOOGLE_JWKS_URL", "https://www.googleapis.com/oauth2/v3/certs"),
                         c.Get("GOOGLE_ISSUER", "https://accounts.google.com")};
}

Result<std::string> GoogleSignIn::StateKey(const std::string& state) {
  NB_ASSIGN_OR_RETURN(std::string digest, ports_.crypto.Sha256(state));
  return "oauth:" + HexEncode(digest);
}

Result<SignInStart> GoogleSignIn::Begin(const std::string& callback_url, const std::string& after_path) {
  const std::string state = Base64UrlEncode(ports_.random.Bytes(32));
  const std::string nonce = Base64UrlEncode(ports_.random.Bytes(32));
  const std::string verifier = Base64UrlEncode(ports_.random.Bytes(32));  // 43 chars, RFC 7636's minimum
  const std::string binding = Base64UrlEncode(ports_.random.Bytes(32));
  NB_ASSIGN_OR_RETURN(std::string challenge_digest, ports_.crypto.Sha256(verifier));
  NB_ASSIGN_OR_RETURN(std::string binding_digest, ports_.crypto.Sha256(binding));
  NB_ASSIGN_OR_RETURN(std::string key, StateKey(state));
  nlohmann::json record = {{"binding", HexEncode(binding_digest)},
                           {"nonce", nonce},
                           {"verifier", verifier},
                           {"after", SafeRedirectPath(after_path)}};
  NB_RETURN_IF_ERROR(ports_.kv.Put(key, JsonText(record), kSignInTtlSeconds));
  const std::string query = FormEncode({{"response_type", "code"},
                                        {"client_id", endpoints_.client_id},
                                        {"redirect_uri", callback_url},
                                        {"scope", "openid email profile"},
                                        {"state", state},
                                        {"nonce", nonce},
                                        {"code_challenge", Base64UrlEncode(challenge_digest)},
                                        {"code_challenge_method", "S256"},
                                        {"prompt", "select_account"}});
  return SignInStart{endpoints_.auth_url + "?" + query, binding};
}

Result<SignInResult> GoogleSignIn::Complete(const std::string& code, const std::string& state,
                                            const std::string& browser_binding,
                                            const std::string& callback_url) {
  if (code.empty() || state.empty() || code.size() > 2048 || state.size() > 256) {
    return Status::InvalidArgument("missing code or state");
  }
  if (browser_binding.empty()) return Status::InvalidArgument("sign-in cookie missing");
  NB_ASSIGN_OR_RETURN(std::string key, StateKey(state));
  NB_ASSIGN_OR_RETURN(std::optional<std::string> stored, ports_.kv.Get(key));
  if (!stored) return Status::InvalidArgument("unknown or already used state");
  // One use only, whatever happens next.
  NB_RETURN_IF_ERROR(ports_.kv.Delete(key));
  auto record = nlohmann::json::parse(*stored, nullptr, false);
  if (!record.is_object()) return Status::InvalidArgument("corrupt sign-in record");
  NB_ASSIGN_OR_RETURN(std::string binding_digest, ports_.crypto.Sha256(browser_binding));
  if (!ConstantTimeEquals(HexEncode(binding_digest), record.value("binding", ""))) {
    return Status::InvalidArgument("sign-in started in another browser");
  }

  HttpRequest token_request;
  token_request.method = "POST";
  token_request.url = endpoints_.token_url;
  token_request.headers = {{"content-type", "application/x-www-form-urlencoded"},
                           {"accept", "application/json"}};
  token_request.body = FormEncode({{"grant_type", "authorization_code"},
                                   {"code", code},
                                   {"redirect_uri", callback_url},
                                   {"client_id", endpoints_.client_id},
                                   {"client_secret", endpoints_.client_secret},
                                   {"code_verifier", record.value("verifier", "")}});
  token_request.timeout_ms = 10000;
  NB_ASSIGN_OR_RETURN(HttpResponse token_response, ports_.http.Fetch(token_request));
  if (token_response.status >= 500)
    return Status::Unavailable("token endpoint answered " + std::to_string(token_response.status));
  auto tokens = nlohmann::json::parse(token_response.body, nullptr, false);
  if (token_response.status != 200 || !tokens.is_object() || !tokens.contains("id_token") ||
      !tokens["id_token"].is_string()) {
    // Only a string "error" is read: value() on another type would abort (no exceptions).
    const bool has_error = tokens.is_object() && tokens.contains("error") && tokens["error"].is_string();
    const std::string error = has_error ? tokens["error"].get<std::string>() : "";
    return Status::PermissionDenied("token exchange refused: " + error);
  }

  IdTokenExpectations expect;
  expect.issuers = {endpoints_.issuer};
  // Google documents both spellings of its issuer.
  if (endpoints_.issuer == "https://accounts.google.com") expect.issuers.push_back("accounts.google.com");
  expect.audience = endpoints_.client_id;
  expect.nonce = record.value("nonce", "");
  expect.now_seconds = ports_.clock.NowMs() / 1000;
  JwksCache keys(ports_.http, ports_.kv, endpoints_.jwks_url);
  NB_ASSIGN_OR_RETURN(IdTokenClaims claims,
                      VerifyIdToken(tokens["id_token"].get<std::string>(), keys, ports_.crypto, expect));
  return SignInResult{std::move(claims), record.value("after", "/")};
}

}  // namespace nb
