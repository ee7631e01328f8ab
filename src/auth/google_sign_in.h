// Google sign-in, OpenID Connect authorization-code flow with PKCE (S256). The state, nonce and code
// verifier live in KV under the state's hash, bound to the browser by a random value in a short-lived
// cookie; the record is deleted on first use, so a replayed state fails.
#pragma once

#include <string>

#include "auth/jwt.h"
#include "ports/ports.h"

namespace nb {

struct GoogleEndpoints {
  std::string client_id;
  std::string client_secret;
  std::string auth_url;
  std::string token_url;
  std::string jwks_url;
  std::string issuer;

  static GoogleEndpoints FromConfig(const Config& config);
  bool configured() const { return !client_id.empty(); }
};

struct SignInStart {
  std::string location;         // Google's authorization URL to redirect the browser to
  std::string browser_binding;  // goes into the nb_oauth cookie
};

struct SignInResult {
  IdTokenClaims claims;
  std::string after_path;  // the same-origin path to land on
};

inline constexpr int64_t kSignInTtlSeconds = 600;

class GoogleSignIn {
 public:
  GoogleSignIn(Ports& ports, GoogleEndpoints endpoints) : ports_(ports), endpoints_(std::move(endpoints)) {}

  Result<SignInStart> Begin(const std::string& callback_url, const std::string& after_path);
  // InvalidArgument: missing/unknown/replayed state or a browser that did not start this sign-in.
  // PermissionDenied: Google refused the code or the ID token failed verification.
  // Unavailable: Google could not be reached.
  Result<SignInResult> Complete(const std::string& code, const std::string& state,
                                const std::string& browser_binding, const std::string& callback_url);

 private:
  Result<std::string> StateKey(const std::string& state);

  Ports& ports_;
  GoogleEndpoints endpoints_;
};

}  // namespace nb
