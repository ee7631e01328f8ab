// Which image provider this deployment uses, decided by configuration alone:
//   GEMINI_API_KEY set                  -> Gemini (GEMINI_API_BASE, GEMINI_MODEL)
//   no key and DEV_LOGIN == "true"      -> the offline placeholder (only the dev environment sets it)
//   no key otherwise (staging, prod)    -> none: POST /api/images/generate answers 503, nothing is charged
// DEV_LOGIN already marks the one environment where shortcuts are allowed, so no second switch
// exists that could be left on in production by mistake.
#pragma once

#include <memory>

#include "generation/image_provider.h"
#include "ports/ports.h"

namespace nb {

enum class ProviderKind { kNone, kGemini, kPlaceholder };

ProviderKind ChooseProvider(const Config& config);

// nullptr for kNone.
std::unique_ptr<ImageProvider> MakeProvider(const Config& config, Ports& ports);

}  // namespace nb
