// Answers whose strings are long enough for JsonBlobs to keep them out of the JSON parser (the
// shapes in gemini_response_test.cpp are small): the results must not change.
#include <catch2/catch.hpp>
#include <string>

#include "gemini_fixtures.h"
#include "generation/failure_reasons.h"
#include "generation/gemini_client.h"

namespace nb {
namespace {

namespace reason = generation_reason;
using testing::GeminiHttp;

constexpr char kModel[] = "gemini-2.5-flash-image";

// Not a real PNG: the parser does not look inside the bytes. Every byte value, well past 4 KB of base64.
std::string LargeBytes(size_t n = 100'000) {
  std::string bytes(n, '\0');
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return bytes;
}

std::string LongText(size_t n) {
  std::string text;
  while (text.size() < n) text += "A long, plain answer from the model. ";
  return text.substr(0, n);
}

TEST_CASE("a large image answer yields the same bytes, text, usage and model version", "[gemini]") {
  const std::string bytes = LargeBytes();
  const std::string text = LongText(6000);
  nlohmann::json body = testing::GeminiImageAnswer(bytes, text);
  body["usageMetadata"]["note"] = LongText(5000);
  const auto outcome = ParseGeminiResponse(GeminiHttp(200, body), kModel);
  REQUIRE(std::holds_alternative<GeneratedImage>(outcome));
  const GeneratedImage& image = std::get<GeneratedImage>(outcome);
  CHECK(image.bytes == bytes);
  CHECK(image.mime_type == "image/png");
  CHECK(image.model_version == "gemini-2.5-flash-image");
  CHECK(image.usage == body["usageMetadata"]);
  REQUIRE(image.text);
  CHECK(*image.text == text.substr(0, 2000));
}

TEST_CASE("base64 spelled with JSON escapes is still read", "[gemini]") {
  const std::string bytes = LargeBytes(20'000);
  std::string escaped;
  for (char c : Base64Encode(bytes)) escaped += c == '/' ? std::string("\\/") : std::string(1, c);
  HttpResponse r = GeminiHttp(200, testing::GeminiImageAnswer("x"));
  const std::string small = Base64Encode("x");
  r.body.replace(r.body.find(small), small.size(), escaped);
  const auto outcome = ParseGeminiResponse(r, kModel);
  REQUIRE(std::holds_alternative<GeneratedImage>(outcome));
  CHECK(std::get<GeneratedImage>(outcome).bytes == bytes);
}

TEST_CASE("a long text-only answer keeps its text in the failure detail", "[gemini]") {
  const std::string text = LongText(9000);
  const auto outcome = ParseGeminiResponse(GeminiHttp(200, testing::GeminiTextOnly(text)), kModel);
  REQUIRE(std::holds_alternative<GenerationFailure>(outcome));
  const GenerationFailure& f = std::get<GenerationFailure>(outcome);
  CHECK(f.reason_key == reason::kNoImage);
  CHECK(f.detail.find("text: " + text.substr(0, 100)) != std::string::npos);
}

TEST_CASE("large invalid or truncated answers are retryable provider errors", "[gemini]") {
  nlohmann::json bad = testing::GeminiImageAnswer("x");
  bad["candidates"][0]["content"]["parts"][0]["inlineData"]["data"] = std::string(10'000, 'A') + "*";
  const auto invalid = ParseGeminiResponse(GeminiHttp(200, bad), kModel);
  REQUIRE(std::holds_alternative<GenerationFailure>(invalid));
  CHECK(std::get<GenerationFailure>(invalid).reason_key == reason::kProviderError);
  CHECK(std::get<GenerationFailure>(invalid).retryable);

  HttpResponse truncated = GeminiHttp(200, testing::GeminiImageAnswer(LargeBytes()));
  for (size_t keep : {truncated.body.size() - 1, truncated.body.size() / 2, size_t{40}}) {
    HttpResponse r = truncated;
    r.body.resize(keep);
    const auto outcome = ParseGeminiResponse(r, kModel);
    REQUIRE(std::holds_alternative<GenerationFailure>(outcome));
    CHECK(std::get<GenerationFailure>(outcome).reason_key == reason::kProviderError);
  }
}

}  // namespace
}  // namespace nb
