#include <catch2/catch.hpp>

#include "generation/gemini_client.h"
#include "png_fixture.h"
#include "services/generation_options.h"
#include "util/base64.h"

namespace nb {
namespace {

GeminiSettings Settings() {
  GeminiSettings s;
  s.api_base = "https://generativelanguage.googleapis.com";
  s.model = "gemini-2.5-flash-image";
  s.api_key = "AIza-test-key";
  return s;
}

nlohmann::json BodyOf(const HttpRequest& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  REQUIRE(body.is_object());
  return body;
}

std::string HeaderOf(const HttpRequest& request, const std::string& name) {
  for (const auto& [k, v] : request.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_CASE("a text-only request names the model, carries the key in a header and asks for an image",
          "[gemini]") {
  GenerationInput input{"A nano banana dish in a fancy restaurant", std::nullopt, {}};
  auto request = BuildGeminiRequest(Settings(), input);
  REQUIRE(request.ok());
  CHECK(request->method == "POST");
  CHECK(request->url ==
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-image:generateContent");
  CHECK(request->url.find("AIza") == std::string::npos);  // never the key in the URL
  CHECK(HeaderOf(*request, "x-goog-api-key") == "AIza-test-key");
  CHECK(HeaderOf(*request, "content-type") == "application/json");
  CHECK(request->timeout_ms == kDefaultGeminiTimeoutMs);

  const auto body = BodyOf(*request);
  REQUIRE(body["contents"].size() == 1);
  CHECK(body["contents"][0]["role"] == "user");
  const auto& parts = body["contents"][0]["parts"];
  REQUIRE(parts.size() == 1);
  CHECK(parts[0]["text"] == "A nano banana dish in a fancy restaurant");
  CHECK(body["generationConfig"]["responseModalities"] == nlohmann::json::array({"IMAGE"}));
  // Without a ratio the model decides (it matches a reference, else draws 1:1).
  CHECK_FALSE(body["generationConfig"].contains("imageConfig"));
}

TEST_CASE("every supported aspect ratio is sent as imageConfig.aspectRatio", "[gemini]") {
  for (const std::string& ratio : AspectRatios()) {
    auto request = BuildGeminiRequest(Settings(), {"a cat", ratio, {}});
    REQUIRE(request.ok());
    CHECK(BodyOf(*request)["generationConfig"]["imageConfig"]["aspectRatio"] == ratio);
  }
}

TEST_CASE("reference images follow the prompt as base64 inline_data parts, in order", "[gemini]") {
  const std::string first = testing::MakePng(8, 6, 1);
  const std::string second = std::string("\xff\xd8\xff\xe0 jpeg-ish \x00\x01 bytes", 20);
  GenerationInput input{"Put the cat from the first picture on the sofa of the second",
                        "4:3",
                        {{"image/png", first}, {"image/jpeg", second}}};
  auto request = BuildGeminiRequest(Settings(), input);
  REQUIRE(request.ok());
  const auto parts = BodyOf(*request)["contents"][0]["parts"];
  REQUIRE(parts.size() == 3);
  CHECK(parts[0]["text"] == input.prompt);
  CHECK(parts[1]["inline_data"]["mime_type"] == "image/png");
  CHECK(parts[1]["inline_data"]["data"] == Base64Encode(first));
  CHECK(Base64Decode(parts[1]["inline_data"]["data"].get<std::string>()) == first);
  CHECK(parts[2]["inline_data"]["mime_type"] == "image/jpeg");
  CHECK(Base64Decode(parts[2]["inline_data"]["data"].get<std::string>()) == second);
}

TEST_CASE("prompts with quotes, newlines, control characters and non-ASCII survive as JSON", "[gemini]") {
  const std::string prompt = "Say \"hola\"\n\tback\\slash \x01 ñandú 🍌 </script>";
  auto request = BuildGeminiRequest(Settings(), {prompt, std::nullopt, {}});
  REQUIRE(request.ok());
  CHECK(BodyOf(*request)["contents"][0]["parts"][0]["text"] == prompt);
}

TEST_CASE("requests over Gemini's 20 MB inline limit are refused before sending", "[gemini]") {
  // 15 MB of references become 20 MB of base64: over the limit with the JSON around it.
  const std::string big(7'500'000, 'x');
  auto over =
      BuildGeminiRequest(Settings(), {"edit", std::nullopt, {{"image/png", big}, {"image/png", big}}});
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().code() == Status::Code::kInvalidArgument);

  const std::string fits(7'000'000, 'x');
  auto under =
      BuildGeminiRequest(Settings(), {"edit", std::nullopt, {{"image/png", fits}, {"image/png", fits}}});
  REQUIRE(under.ok());
  CHECK(under->body.size() <= kGeminiMaxRequestBytes);
}

TEST_CASE("the size bound used before charging is never below the real body", "[gemini]") {
  const std::string prompt = "\x01\x02\"quoted\" prompt with escapes \\ \n";
  for (size_t n : {0, 1, 2, 3, 4, 1000, 65537}) {
    const std::string ref(n, '\x7f');
    auto request =
        BuildGeminiRequest(Settings(), {prompt, "16:9", {{"image/webp", ref}, {"image/png", ref}}});
    REQUIRE(request.ok());
    CHECK(GeminiRequestBytesUpperBound(prompt.size(), {int64_t(n), int64_t(n)}) >= request->body.size());
  }
}

TEST_CASE("settings come from the Worker vars with Google's defaults", "[gemini]") {
  Config empty;
  GeminiSettings d = GeminiSettings::FromConfig(empty);
  CHECK(d.api_base == "https://generativelanguage.googleapis.com");
  CHECK(d.model == "gemini-2.5-flash-image");
  CHECK(d.api_key.empty());

  Config config({{"GEMINI_API_BASE", "http://127.0.0.1:9999//"},
                 {"GEMINI_MODEL", "gemini-2.5-flash-image-preview"},
                 {"GEMINI_API_KEY", "k"},
                 {"GEMINI_TIMEOUT_MS", "5000"}});
  GeminiSettings s = GeminiSettings::FromConfig(config);
  CHECK(s.api_base == "http://127.0.0.1:9999");
  auto request = BuildGeminiRequest(s, {"x", std::nullopt, {}});
  REQUIRE(request.ok());
  CHECK(request->url == "http://127.0.0.1:9999/v1beta/models/gemini-2.5-flash-image-preview:generateContent");
  CHECK(request->timeout_ms == 5000);
}

}  // namespace
}  // namespace nb
