// The generate body's field rules, provider choice, the placeholder's shape and the retry policy.
#include "app/generation/generation_request.h"

#include <catch2/catch.hpp>

#include "generation/placeholder_provider.h"
#include "generation/provider_factory.h"
#include "generation/retry_policy.h"
#include "native/seeded_random.h"

namespace nb {
namespace {

std::optional<GenerationRequest> Parse(const nlohmann::json& body, FieldErrors& errors) {
  return ParseGenerationRequest(body, errors);
}

std::string FieldError(const nlohmann::json& body, const std::string& field) {
  FieldErrors errors;
  CHECK_FALSE(Parse(body, errors));
  auto it = errors.error().fields.find(field);
  return it == errors.error().fields.end() ? "" : it->second;
}

TEST_CASE("a full body parses, trimmed", "[generation]") {
  FieldErrors errors;
  const std::string a(32, 'a'), b(32, 'b');
  auto r = Parse({{"prompt", "  Make it blue\n"},
                  {"aspectRatio", "21:9"},
                  {"referenceImageIds", {a, b}},
                  {"title", " Sky "}},
                 errors);
  REQUIRE(r);
  CHECK(errors.ok());
  CHECK(r->prompt == "Make it blue");
  CHECK(r->aspect_ratio == std::optional<std::string>("21:9"));
  CHECK(r->reference_ids == std::vector<std::string>{a, b});
  CHECK(r->title == std::optional<std::string>("Sky"));

  FieldErrors e2;
  auto minimal = Parse({{"prompt", "x"}}, e2);
  REQUIRE(minimal);
  CHECK_FALSE(minimal->aspect_ratio);
  CHECK(minimal->reference_ids.empty());
  CHECK_FALSE(minimal->title);
}

TEST_CASE("the prompt is required, 1..5000 characters after trimming, without control characters",
          "[generation]") {
  CHECK(FieldError(nlohmann::json::object(), "prompt") == "field.required");
  CHECK(FieldError({{"prompt", "   \n\t "}}, "prompt") == "field.required");
  CHECK(FieldError({{"prompt", 42}}, "prompt") == "field.must_be_string");
  CHECK(FieldError({{"prompt", std::string(5001, 'x')}}, "prompt") == "field.too_long");
  CHECK(FieldError({{"prompt", std::string("a\0b", 3)}}, "prompt") == "field.control_characters");
  FieldErrors ok;
  // 5000 code points of a 4-byte character are 20000 bytes and still fine.
  std::string emoji;
  for (int i = 0; i < 5000; ++i) emoji += "🍌";
  CHECK(Parse({{"prompt", emoji}}, ok));
}

TEST_CASE("aspect ratios must be listed; references at most fourteen distinct ids", "[generation]") {
  CHECK(FieldError({{"prompt", "x"}, {"aspectRatio", "7:5"}}, "aspectRatio") == "field.unknown_aspect_ratio");
  CHECK(FieldError({{"prompt", "x"}, {"aspectRatio", 1}}, "aspectRatio") == "field.must_be_string");
  CHECK(FieldError({{"prompt", "x"}, {"referenceImageIds", "abc"}}, "referenceImageIds") ==
        "field.reference_ids_list");
  CHECK(FieldError({{"prompt", "x"}, {"referenceImageIds", {1}}}, "referenceImageIds") ==
        "field.reference_ids_list");
  const std::string id(32, 'c');
  CHECK(FieldError({{"prompt", "x"}, {"referenceImageIds", {id, id}}}, "referenceImageIds") ==
        "field.duplicate_reference");
  CHECK(FieldError({{"prompt", "x"}, {"referenceImageIds", {"../x"}}}, "referenceImageIds") ==
        "field.reference_not_found");
  // 14 is the most any model takes (the chosen model's own limit is CheckModelOptions').
  std::vector<std::string> fifteen;
  for (char c = 'a'; c < 'a' + 15; ++c) fifteen.push_back(std::string(32, c));
  CHECK(FieldError({{"prompt", "x"}, {"referenceImageIds", fifteen}}, "referenceImageIds") ==
        "field.too_many_references");
  CHECK(FieldError({{"prompt", "x"}, {"title", std::string(201, 't')}}, "title") == "field.too_long");
}

TEST_CASE("the provider is Gemini with a key, the placeholder only in dev, else none", "[generation]") {
  CHECK(ChooseProvider(Config(std::map<std::string, std::string>{{"GEMINI_API_KEY", "k"}})) ==
        ProviderKind::kGemini);
  CHECK(ChooseProvider(Config(std::map<std::string, std::string>{
            {"GEMINI_API_KEY", "k"}, {"DEV_LOGIN", "true"}})) == ProviderKind::kGemini);
  CHECK(ChooseProvider(Config(std::map<std::string, std::string>{{"DEV_LOGIN", "true"}})) ==
        ProviderKind::kPlaceholder);
  CHECK(ChooseProvider(Config(std::map<std::string, std::string>{{"DEV_LOGIN", "false"}})) ==
        ProviderKind::kNone);
  CHECK(ChooseProvider(Config(std::map<std::string, std::string>{
            {"DEV_LOGIN", "TRUE"}, {"GEMINI_API_KEY", ""}})) == ProviderKind::kNone);
}

TEST_CASE("the placeholder matches the nearest listed aspect ratio", "[generation]") {
  CHECK(NearestAspectRatio(1024, 1024) == "1:1");
  CHECK(NearestAspectRatio(1920, 1080) == "16:9");
  CHECK(NearestAspectRatio(1080, 1920) == "9:16");
  CHECK(NearestAspectRatio(3000, 1000) == "21:9");
  CHECK(NearestAspectRatio(0, 5) == "1:1");
}

TEST_CASE("retry delays double to the cap, jitter at most a quarter, provider hints win", "[generation]") {
  GenerationSettings s;
  s.retry_base_seconds = 10;
  s.retry_max_seconds = 300;
  SeededRandom random(3);
  for (int attempt = 1; attempt <= 8; ++attempt) {
    const int64_t base = std::min<int64_t>(300, int64_t{10} << (attempt - 1));
    const int d = RetryDelaySeconds(s, attempt, std::nullopt, random);
    CHECK(d >= base);
    CHECK(d <= base + base / 4);
  }
  CHECK(RetryDelaySeconds(s, 1, 3600, random) == 3600);  // RetryInfo beyond the cap is honoured
  CHECK(RetryDelaySeconds(s, 1, 10'000'000, random) == kMaxQueueDelaySeconds);
  s.retry_base_seconds = 0;
  CHECK(RetryDelaySeconds(s, 5, std::nullopt, random) == 0);
  CHECK(RetryDelaySeconds(s, 5, 2, random) == 2);
}

}  // namespace
}  // namespace nb
