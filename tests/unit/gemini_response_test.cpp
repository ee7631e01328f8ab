#include <catch2/catch.hpp>

#include "gemini_fixtures.h"
#include "generation/failure_reasons.h"
#include "generation/gemini_client.h"
#include "native/scripted_http_client.h"
#include "png_fixture.h"

namespace nb {
namespace {

namespace reason = generation_reason;
using testing::GeminiHttp;

constexpr char kModel[] = "gemini-2.5-flash-image";

// By value: callers pass temporaries.
GeneratedImage Image(const ProviderOutcome& outcome) {
  INFO((std::holds_alternative<GenerationFailure>(outcome) ? std::get<GenerationFailure>(outcome).detail : ""));
  REQUIRE(std::holds_alternative<GeneratedImage>(outcome));
  return std::get<GeneratedImage>(outcome);
}

GenerationFailure Failure(const ProviderOutcome& outcome) {
  REQUIRE(std::holds_alternative<GenerationFailure>(outcome));
  return std::get<GenerationFailure>(outcome);
}

TEST_CASE("an image answer yields the bytes, usage and model version", "[gemini]") {
  const std::string png = testing::MakePng(16, 9, 3);
  auto outcome = ParseGeminiResponse(GeminiHttp(200, testing::GeminiImageAnswer(png, "Here is your image")), kModel);
  const GeneratedImage image = Image(outcome);
  CHECK(image.bytes == png);
  CHECK(image.mime_type == "image/png");
  CHECK(image.model == kModel);
  CHECK(image.model_version == "gemini-2.5-flash-image");
  CHECK(image.usage["candidatesTokenCount"] == 1290);
  CHECK(image.usage["totalTokenCount"] == 1304);
  REQUIRE(image.text);
  CHECK(*image.text == "Here is your image");
  CHECK_FALSE(image.placeholder);
}

TEST_CASE("the image may be in any part; thought parts are skipped", "[gemini]") {
  const std::string draft = testing::MakePng(4, 4, 1);
  const std::string final_image = testing::MakePng(4, 4, 2);
  nlohmann::json body = testing::GeminiImageAnswer(final_image);
  auto& parts = body["candidates"][0]["content"]["parts"];
  const nlohmann::json thought_text = {{"text", "Let me think about the composition."}, {"thought", true}};
  const nlohmann::json thought_image = {{"inlineData", {{"mimeType", "image/png"}, {"data", Base64Encode(draft)}}},
                                        {"thought", true}};
  const nlohmann::json answer_text = {{"text", "Done."}};
  parts.insert(parts.begin(), thought_text);
  parts.insert(parts.begin() + 1, thought_image);
  parts.insert(parts.begin() + 2, answer_text);
  REQUIRE(parts.size() == 4);
  const GeneratedImage image = Image(ParseGeminiResponse(GeminiHttp(200, body), kModel));
  CHECK(image.bytes == final_image);
  CHECK(image.text == std::optional<std::string>("Done."));
}

TEST_CASE("snake_case inline_data is read too", "[gemini]") {
  const std::string png = testing::MakePng(2, 2);
  nlohmann::json body = {
      {"candidates",
       {{{"content", {{"parts", {{{"inline_data", {{"mime_type", "image/png"}, {"data", Base64Encode(png)}}}}}}}},
         {"finish_reason", "STOP"}}}}};
  CHECK(Image(ParseGeminiResponse(GeminiHttp(200, body), kModel)).bytes == png);
}

TEST_CASE("a blocked prompt is final with the prompt_blocked reason", "[gemini]") {
  for (const char* block : {"SAFETY", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT", "IMAGE_SAFETY"}) {
    const auto& f = Failure(ParseGeminiResponse(GeminiHttp(200, testing::GeminiBlockedPrompt(block)), kModel));
    CHECK_FALSE(f.retryable);
    CHECK(f.reason_key == reason::kPromptBlocked);
    CHECK(f.detail.find(block) != std::string::npos);
  }
}

TEST_CASE("finish reasons without an image map to final, user-facing reasons", "[gemini]") {
  struct Case {
    const char* finish;
    const char* key;
  };
  for (const Case& c : {Case{"IMAGE_SAFETY", reason::kImageBlocked}, Case{"IMAGE_PROHIBITED_CONTENT", reason::kImageBlocked},
                        Case{"SAFETY", reason::kImageBlocked}, Case{"PROHIBITED_CONTENT", reason::kImageBlocked},
                        Case{"IMAGE_RECITATION", reason::kRecitation}, Case{"RECITATION", reason::kRecitation},
                        Case{"IMAGE_OTHER", reason::kNoImage}, Case{"NO_IMAGE", reason::kNoImage},
                        Case{"OTHER", reason::kNoImage}, Case{"MAX_TOKENS", reason::kNoImage}}) {
    INFO(c.finish);
    const auto& f = Failure(ParseGeminiResponse(GeminiHttp(200, testing::GeminiFinishAnswer(c.finish)), kModel));
    CHECK_FALSE(f.retryable);
    CHECK(f.reason_key == c.key);
    CHECK(f.detail.find(c.finish) != std::string::npos);
  }
}

TEST_CASE("a safety finish reason wins even when an image part came with it", "[gemini]") {
  nlohmann::json body = testing::GeminiImageAnswer(testing::MakePng(2, 2));
  body["candidates"][0]["finishReason"] = "IMAGE_SAFETY";
  CHECK(Failure(ParseGeminiResponse(GeminiHttp(200, body), kModel)).reason_key == reason::kImageBlocked);
}

TEST_CASE("a text-only answer is a final no_image failure that keeps the text for the logs", "[gemini]") {
  const auto& f = Failure(ParseGeminiResponse(
      GeminiHttp(200, testing::GeminiTextOnly("I can't create images of that person.")), kModel));
  CHECK_FALSE(f.retryable);
  CHECK(f.reason_key == reason::kNoImage);
  CHECK(f.detail.find("I can't create images") != std::string::npos);
}

TEST_CASE("HTTP errors in Google's envelope are classified retryable or final", "[gemini]") {
  SECTION("429 RESOURCE_EXHAUSTED honours RetryInfo.retryDelay") {
    const auto& f = Failure(ParseGeminiResponse(GeminiHttp(429, testing::GeminiQuotaError("7s")), kModel));
    CHECK(f.retryable);
    CHECK(f.reason_key == reason::kProviderBusy);
    CHECK(f.retry_after_seconds == std::optional<int>(7));
    CHECK(f.detail.find("RESOURCE_EXHAUSTED") != std::string::npos);
    CHECK(Failure(ParseGeminiResponse(GeminiHttp(429, testing::GeminiQuotaError("1.5s")), kModel)).retry_after_seconds ==
          std::optional<int>(2));
  }
  SECTION("429 without RetryInfo falls back to Retry-After, else no hint") {
    auto bare = testing::GeminiError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
    CHECK(Failure(ParseGeminiResponse(GeminiHttp(429, bare, {{"retry-after", "12"}}), kModel)).retry_after_seconds ==
          std::optional<int>(12));
    CHECK_FALSE(Failure(ParseGeminiResponse(GeminiHttp(429, bare), kModel)).retry_after_seconds);
  }
  SECTION("500, 503 and 504 are retryable outages") {
    for (auto [code, status] : {std::pair{500, "INTERNAL"}, {503, "UNAVAILABLE"}, {504, "DEADLINE_EXCEEDED"}}) {
      const auto& f = Failure(ParseGeminiResponse(
          GeminiHttp(code, testing::GeminiError(code, status, "An internal error has occurred.")), kModel));
      CHECK(f.retryable);
      CHECK(f.reason_key == reason::kProviderUnavailable);
    }
  }
  SECTION("a 502 from a proxy with an HTML body is still a retryable outage") {
    HttpResponse r;
    r.status = 502;
    r.body = "<html><body>Bad Gateway</body></html>";
    CHECK(Failure(ParseGeminiResponse(r, kModel)).retryable);
  }
  SECTION("400 INVALID_ARGUMENT is final") {
    const auto& f = Failure(ParseGeminiResponse(
        GeminiHttp(400, testing::GeminiError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")), kModel));
    CHECK_FALSE(f.retryable);
    CHECK(f.reason_key == reason::kInvalidRequest);
  }
  SECTION("a bad API key, 403 PERMISSION_DENIED and an unknown model are our configuration, final") {
    CHECK(Failure(ParseGeminiResponse(GeminiHttp(400, testing::GeminiBadKeyError()), kModel)).reason_key ==
          reason::kProviderConfig);
    const auto& denied = Failure(ParseGeminiResponse(
        GeminiHttp(403, testing::GeminiError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.")),
        kModel));
    CHECK_FALSE(denied.retryable);
    CHECK(denied.reason_key == reason::kProviderConfig);
    CHECK(Failure(ParseGeminiResponse(
                      GeminiHttp(404, testing::GeminiError(404, "NOT_FOUND", "models/nope is not found")), kModel))
              .reason_key == reason::kProviderConfig);
    CHECK(Failure(ParseGeminiResponse(
                      GeminiHttp(400, testing::GeminiError(400, "FAILED_PRECONDITION",
                                                           "User location is not supported for the API use.")),
                      kModel))
              .reason_key == reason::kProviderConfig);
  }
  SECTION("413 is final: the request is too large") {
    CHECK(Failure(ParseGeminiResponse(GeminiHttp(413, testing::GeminiError(413, "", "too large")), kModel)).reason_key ==
          reason::kRequestTooLarge);
  }
}

TEST_CASE("malformed 200 answers are retryable provider errors", "[gemini]") {
  HttpResponse garbage;
  garbage.status = 200;
  garbage.body = "{\"candidates\": [";
  CHECK(Failure(ParseGeminiResponse(garbage, kModel)).reason_key == reason::kProviderError);
  CHECK(Failure(ParseGeminiResponse(garbage, kModel)).retryable);

  CHECK(Failure(ParseGeminiResponse(GeminiHttp(200, nlohmann::json::object()), kModel)).retryable);
  nlohmann::json bad_base64 = testing::GeminiImageAnswer("x");
  bad_base64["candidates"][0]["content"]["parts"][0]["inlineData"]["data"] = "not*base64!";
  const auto& f = Failure(ParseGeminiResponse(GeminiHttp(200, bad_base64), kModel));
  CHECK(f.retryable);
  CHECK(f.reason_key == reason::kProviderError);
  // Wrong JSON types never abort (JSON_NOEXCEPTION): they read as missing.
  nlohmann::json wrong_types = {{"candidates", {{{"content", {{"parts", 5}}}, {"finishReason", 7}}}},
                                {"promptFeedback", "x"}};
  CHECK(Failure(ParseGeminiResponse(GeminiHttp(200, wrong_types), kModel)).reason_key == reason::kNoImage);
}

TEST_CASE("retryDelay durations parse to whole seconds, rounded up", "[gemini]") {
  CHECK(ParseRetryDelaySeconds("7s") == std::optional<int>(7));
  CHECK(ParseRetryDelaySeconds("0.250s") == std::optional<int>(1));
  CHECK(ParseRetryDelaySeconds("59.1s") == std::optional<int>(60));
  CHECK(ParseRetryDelaySeconds("0s") == std::optional<int>(1));
  for (const char* bad : {"", "s", "7", "-1s", "1.2.3s", ".5s", "7m", "abc"}) CHECK_FALSE(ParseRetryDelaySeconds(bad));
}

TEST_CASE("the provider sends one request and classifies a network failure as retryable", "[gemini]") {
  ScriptedHttpClient http;
  GeminiSettings settings;
  settings.api_base = "https://gemini.test";
  settings.api_key = "k";
  GeminiProvider provider(http, settings);
  const std::string png = testing::MakePng(3, 3);
  http.Expect("POST", "https://gemini.test/v1beta/models/gemini-2.5-flash-image:generateContent",
              GeminiHttp(200, testing::GeminiImageAnswer(png)));
  CHECK(Image(provider.Generate({"a", "1:1", {}})).bytes == png);

  http.ExpectFailure("POST", "https://gemini.test/", Status::Unavailable("fetch gemini.test failed: TimeoutError"));
  const auto& f = Failure(provider.Generate({"a", "1:1", {}}));
  CHECK(f.retryable);
  CHECK(f.reason_key == reason::kProviderUnavailable);
  CHECK(http.AllConsumed());
  CHECK(http.requests().size() == 2);

  // A request that could never be sent is not sent at all.
  const std::string huge(16'000'000, 'x');
  const auto& too_big = Failure(provider.Generate({"a", std::nullopt, {{"image/png", huge}}}));
  CHECK_FALSE(too_big.retryable);
  CHECK(too_big.reason_key == reason::kRequestTooLarge);
  CHECK(http.requests().size() == 2);
}

}  // namespace
}  // namespace nb
