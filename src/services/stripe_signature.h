// Stripe's webhook signature (docs.stripe.com/webhooks#verify-manually): the Stripe-Signature header
// "t=<unix seconds>,v1=<hex>,v1=<hex>,v0=..." where each v1 is HMAC-SHA256(secret, "<t>.<raw body>").
// Verified over the raw bytes, before anything parses them.
#pragma once

#include <cstdint>
#include <string>

#include "ports/crypto.h"

namespace nb {

inline constexpr int64_t kStripeSignatureToleranceSeconds = 300;

// Ok when a v1 matches (constant-time compare) and t is within the tolerance of now, in either
// direction. InvalidArgument naming why otherwise (for the log, never for the caller).
Status VerifyStripeSignature(Crypto& crypto, const std::string& secret, const std::string& header,
                             const std::string& raw_body, int64_t now_seconds,
                             int64_t tolerance_seconds = kStripeSignatureToleranceSeconds);

// The header Stripe would send for this body at `t` (tests, and the debug sender).
Result<std::string> SignStripePayload(Crypto& crypto, const std::string& secret, const std::string& raw_body,
                                      int64_t t);

}  // namespace nb
