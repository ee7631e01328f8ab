#include "generation/provider_factory.h"

#include "generation/gemini_client.h"
#include "generation/placeholder_provider.h"

namespace nb {

ProviderKind ChooseProvider(const Config& config) {
  if (!config.Get("GEMINI_API_KEY").empty()) return ProviderKind::kGemini;
  if (config.GetBool("DEV_LOGIN")) return ProviderKind::kPlaceholder;
  return ProviderKind::kNone;
}

std::unique_ptr<ImageProvider> MakeProvider(const Config& config, Ports& ports) {
  switch (ChooseProvider(config)) {
    case ProviderKind::kGemini:
      return std::make_unique<GeminiProvider>(ports.http, GeminiSettings::FromConfig(config));
    case ProviderKind::kPlaceholder: return std::make_unique<PlaceholderProvider>();
    case ProviderKind::kNone: return nullptr;
  }
  return nullptr;
}

}  // namespace nb
