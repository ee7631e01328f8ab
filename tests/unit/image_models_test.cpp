// The Nano Banana family: the capability table, IMAGE_MODELS, what a request may ask of each model,
// the generateContent body per model and the answers of the thinking and grounded models.
#include "generation/image_models.h"

#include <catch2/catch.hpp>

#include "app/core/settings.h"
#include "app/generation/generation_request.h"
#include "gemini_fixtures.h"
#include "generation/failure_reasons.h"
#include "generation/gemini_client.h"
#include "png_fixture.h"

namespace nb {
namespace {

using Vars = std::map<std::string, std::string>;

constexpr char kFlash25[] = "gemini-2.5-flash-image";
constexpr char kFlash31[] = "gemini-3.1-flash-image-preview";
constexpr char kPro[] = "gemini-3-pro-image-preview";

ImageModelSettings Defaults() { return std::move(ImageModelSettings::Parse("", 10)).value(); }

std::string ParseError(const std::string& text) {
  auto parsed = ImageModelSettings::Parse(text, 10);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().IsInvalidArgument());
  return parsed.status().message();
}

GenerationRequest Request(const std::string& model, const std::string& size = "") {
  GenerationRequest r;
  r.prompt = "a lighthouse";
  r.model = model;
  r.image_size = size;
  return r;
}

// The fields a 422 names, as "field=key" joined by commas ("" when the request passed).
std::string Refusal(const GenerationRequest& request, const ImageModelSettings& offer = Defaults()) {
  auto checked = CheckModelOptions(offer, request);
  if (checked.ok()) return "";
  std::string out;
  for (const auto& [field, key] : checked.error().fields) out += (out.empty() ? "" : ",") + field + "=" + key;
  return out;
}

GeminiSettings Gemini() {
  GeminiSettings s;
  s.api_base = "https://generativelanguage.googleapis.com";
  s.model = kFlash25;
  s.api_key = "AIza-test-key";
  return s;
}

nlohmann::json BodyFor(const GenerationInput& input) {
  auto request = BuildGeminiRequest(Gemini(), input);
  REQUIRE(request.ok());
  auto body = nlohmann::json::parse(request->body, nullptr, false);
  REQUIRE(body.is_object());
  return body;
}

TEST_CASE("the catalog: sizes, ratios, references, grounding and thinking per model", "[models]") {
  const ImageModelSpec* flash25 = FindImageModelSpec(kFlash25);
  const ImageModelSpec* flash31 = FindImageModelSpec(kFlash31);
  const ImageModelSpec* pro = FindImageModelSpec(kPro);
  REQUIRE(flash25);
  REQUIRE(flash31);
  REQUIRE(pro);
  CHECK_FALSE(FindImageModelSpec("gemini-2.0-flash"));

  CHECK(flash25->image_sizes == std::vector<std::string_view>{"1K"});
  CHECK(flash31->image_sizes == std::vector<std::string_view>{"0.5K", "1K", "2K", "4K"});
  CHECK(pro->image_sizes == std::vector<std::string_view>{"1K", "2K", "4K"});
  CHECK(flash25->max_references == 3);
  CHECK(flash31->max_references == 14);
  CHECK(pro->max_references == 14);
  CHECK_FALSE(flash25->grounding);
  CHECK(flash31->grounding);
  CHECK(pro->grounding);
  CHECK(flash31->HasThinkingLevel("minimal"));
  CHECK(flash31->HasThinkingLevel("high"));
  CHECK_FALSE(pro->HasThinkingLevel("high"));  // Pro always thinks; there is no level to set
  CHECK(pro->thinks);
  CHECK_FALSE(flash25->thinks);

  for (const char* extreme : {"1:4", "4:1", "1:8", "8:1"}) {
    CHECK(flash31->HasRatio(extreme));
    CHECK_FALSE(pro->HasRatio(extreme));
    CHECK_FALSE(flash25->HasRatio(extreme));
  }
  CHECK(flash25->aspect_ratios.size() == 10);
  CHECK(flash31->aspect_ratios.size() == 14);
  CHECK(AllAspectRatios().size() == 14);
}

TEST_CASE("the catalog's pixel sizes: 2.5's own table, the Gemini 3 table scaled per size", "[models]") {
  const ImageModelSpec& flash25 = *FindImageModelSpec(kFlash25);
  const ImageModelSpec& flash31 = *FindImageModelSpec(kFlash31);
  const ImageModelSpec& pro = *FindImageModelSpec(kPro);
  auto pixels = [](const ImageModelSpec& m, const char* size, const char* ratio) {
    const PixelSize p = m.Pixels(size, ratio);
    return std::to_string(p.width) + "x" + std::to_string(p.height);
  };
  CHECK(pixels(flash25, "1K", "16:9") == "1344x768");
  CHECK(pixels(flash25, "1K", "") == "1024x1024");
  CHECK(pixels(flash25, "2K", "1:1") == "0x0");  // not a size 2.5 has
  CHECK(pixels(pro, "1K", "16:9") == "1376x768");
  CHECK(pixels(pro, "2K", "1:1") == "2048x2048");
  CHECK(pixels(pro, "4K", "1:1") == "4096x4096");
  CHECK(pixels(pro, "4K", "21:9") == "6336x2688");
  CHECK(pixels(flash31, "0.5K", "1:1") == "512x512");
  CHECK(pixels(flash31, "4K", "8:1") == "12288x1536");
  CHECK(pixels(flash31, "1K", "1:4") == "512x2048");
  CHECK(pixels(pro, "0.5K", "1:1") == "0x0");
}

TEST_CASE("IMAGE_MODELS unset: the three models, the default's 1K price from GENERATION_COST_COINS",
          "[models][settings]") {
  auto parsed = ImageModelSettings::Parse("", 12);
  REQUIRE(parsed.ok());
  const ImageModelSettings& s = *parsed;
  REQUIRE(s.models.size() == 3);
  CHECK(s.Default().Id() == kFlash25);
  CHECK(s.Default().CostOf("1K") == 12);
  REQUIRE(s.Find(kFlash31));
  CHECK(s.Find(kFlash31)->CostOf("0.5K") == 6);
  CHECK(s.Find(kFlash31)->CostOf("4K") == 25);
  CHECK(s.Find(kPro)->CostOf("4K") == 50);
  CHECK(s.Find(kPro)->name == "Nano Banana Pro");
  CHECK_FALSE(s.Find("gemini-2.0-flash"));

  const nlohmann::json pro = s.Find(kPro)->ToJson(false);
  CHECK(pro["imageSizes"] == nlohmann::json({"1K", "2K", "4K"}));
  CHECK(pro["costs"] == nlohmann::json({{"1K", 30}, {"2K", 30}, {"4K", 50}}));
  CHECK(pro["maxReferences"] == 14);
  CHECK(pro["grounding"] == true);
  CHECK(pro["thinking"] == false);
  CHECK(pro["default"] == false);
  CHECK(s.Default().ToJson(true)["default"] == true);
}

TEST_CASE("IMAGE_MODELS given: the order, names and prices as written; sizes in the model's order",
          "[models][settings]") {
  auto parsed = ImageModelSettings::Parse(
      R"([{"id":"gemini-3-pro-image-preview","name":"Pro","costs":{"4K":80,"1K":40}},
          {"id":"gemini-2.5-flash-image","costs":{"1K":5}}])",
      10);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->models.size() == 2);
  CHECK(parsed->Default().Id() == kPro);
  CHECK(parsed->Default().name == "Pro");
  CHECK(parsed->Default().ToJson(true)["imageSizes"] == nlohmann::json({"1K", "4K"}));
  CHECK_FALSE(parsed->Default().CostOf("2K"));
  CHECK(parsed->models[1].name == kFlash25);  // no name: the id
}

TEST_CASE("IMAGE_MODELS: an unknown id, a size the model lacks, a bad price are configuration errors",
          "[models][settings]") {
  CHECK(ParseError("not json") == "IMAGE_MODELS: must be a non-empty JSON array of models");
  CHECK(ParseError("[]") == "IMAGE_MODELS: must be a non-empty JSON array of models");
  CHECK(ParseError(R"([{"id":"gemini-9-image","costs":{"1K":1}}])") ==
        "IMAGE_MODELS: unknown model \"gemini-9-image\"");
  CHECK(ParseError(R"([{"id":"gemini-2.5-flash-image","costs":{"1K":1,"4K":5}}])") ==
        "IMAGE_MODELS: model \"gemini-2.5-flash-image\" has no image size \"4K\"");
  CHECK(ParseError(R"([{"id":"gemini-3-pro-image-preview","costs":{"1k":1}}])") ==
        "IMAGE_MODELS: model \"gemini-3-pro-image-preview\" has no image size \"1k\"");
  CHECK(ParseError(R"([{"id":"gemini-3-pro-image-preview","costs":{"1K":0}}])").find("whole number") !=
        std::string::npos);
  CHECK(ParseError(R"([{"id":"gemini-3-pro-image-preview","costs":{"1K":2.5}}])").find("whole number") !=
        std::string::npos);
  CHECK(ParseError(R"([{"id":"gemini-3-pro-image-preview","costs":{"2K":3}}])") ==
        "IMAGE_MODELS: model \"gemini-3-pro-image-preview\" needs a price for 1K");
  CHECK(
      ParseError(
          R"([{"id":"gemini-2.5-flash-image","costs":{"1K":1}},{"id":"gemini-2.5-flash-image","costs":{"1K":1}}])") ==
      "IMAGE_MODELS: model \"gemini-2.5-flash-image\" is listed twice");
  CHECK(ParseError(R"([{"id":"gemini-2.5-flash-image"}])").find("needs \"costs\"") != std::string::npos);
}

TEST_CASE("Settings: IMAGE_MODELS is checked at start, naming the var and its value", "[models][settings]") {
  auto bad = Settings::Parse(Config(Vars{{"IMAGE_MODELS", R"([{"id":"x","costs":{"1K":1}}])"}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "IMAGE_MODELS: unknown model \"x\", got \"[{\"id\":\"x\",\"costs\":{\"1K\":1}}]\"");

  auto good = Settings::Parse(Config(Vars{{"GENERATION_COST_COINS", "7"}}));
  REQUIRE(good.ok());
  CHECK(good->generation.cost == 7);
  CHECK(good->generation.models.Default().CostOf("1K") == 7);

  auto priced = Settings::Parse(Config(
      Vars{{"GENERATION_COST_COINS", "7"},
           {"IMAGE_MODELS", R"([{"id":"gemini-3.1-flash-image-preview","costs":{"1K":9,"4K":20}}])"}}));
  REQUIRE(priced.ok());
  CHECK(priced->generation.cost == 9);  // generationCost is the default model's 1K price
}

TEST_CASE("a request gets the default model and 1K when it names neither", "[models][generation]") {
  auto checked = CheckModelOptions(Defaults(), Request(""));
  REQUIRE(checked.ok());
  CHECK(checked.value().model == kFlash25);
  CHECK(checked.value().image_size == "1K");
}

TEST_CASE("anything the chosen model lacks is refused, naming the field", "[models][generation]") {
  CHECK(Refusal(Request("gemini-9-image")) == "model=field.unknown_model");
  CHECK(Refusal(Request(kFlash25, "2K")) == "imageSize=field.image_size_unsupported");
  CHECK(Refusal(Request(kPro, "0.5K")) == "imageSize=field.image_size_unsupported");
  CHECK(Refusal(Request(kPro, "4k")) == "imageSize=field.image_size_unsupported");  // case-sensitive
  CHECK(Refusal(Request(kPro, "4K")) == "");
  CHECK(Refusal(Request(kFlash31, "0.5K")) == "");

  GenerationRequest extreme = Request(kPro, "1K");
  extreme.aspect_ratio = "8:1";
  CHECK(Refusal(extreme) == "aspectRatio=field.aspect_ratio_unsupported");
  extreme.model = kFlash31;
  CHECK(Refusal(extreme) == "");

  GenerationRequest refs = Request(kFlash25);
  for (char c = 'a'; c < 'a' + 4; ++c) refs.reference_ids.push_back(std::string(32, c));
  CHECK(Refusal(refs) == "referenceImageIds=field.too_many_references_for_model");
  refs.model = kPro;
  CHECK(Refusal(refs) == "");

  GenerationRequest grounded = Request(kFlash25);
  grounded.grounding = true;
  CHECK(Refusal(grounded) == "grounding=field.grounding_unsupported");
  grounded.model = kPro;
  CHECK(Refusal(grounded) == "");

  GenerationRequest thinking = Request(kPro);
  thinking.thinking = "high";
  CHECK(Refusal(thinking) == "thinking=field.thinking_unsupported");
  thinking.model = kFlash31;
  CHECK(Refusal(thinking) == "");
  thinking.thinking = "HIGH";
  CHECK(Refusal(thinking) == "thinking=field.thinking_unsupported");

  // Every failing field at once.
  GenerationRequest all = Request(kFlash25, "4K");
  all.aspect_ratio = "1:8";
  all.grounding = true;
  all.thinking = "minimal";
  CHECK(Refusal(all) ==
        "aspectRatio=field.aspect_ratio_unsupported,grounding=field.grounding_unsupported,"
        "imageSize=field.image_size_unsupported,thinking=field.thinking_unsupported");
}

TEST_CASE("a size the deployment does not sell is refused even when the model has it",
          "[models][generation]") {
  auto offer = ImageModelSettings::Parse(R"([{"id":"gemini-3-pro-image-preview","costs":{"1K":30}}])", 10);
  REQUIRE(offer.ok());
  CHECK(Refusal(Request(kPro, "4K"), *offer) == "imageSize=field.image_size_unsupported");
  CHECK(Refusal(Request(kFlash25), *offer) == "model=field.unknown_model");  // not offered here
}

TEST_CASE("the body parser reads model, imageSize, grounding and thinking", "[models][generation]") {
  FieldErrors errors;
  auto parsed = ParseGenerationRequest(
      {{"prompt", "x"}, {"model", kPro}, {"imageSize", "2K"}, {"grounding", true}, {"thinking", "high"}},
      errors);
  REQUIRE(parsed);
  CHECK(parsed->model == kPro);
  CHECK(parsed->image_size == "2K");
  CHECK(parsed->grounding);
  CHECK(parsed->thinking == std::optional<std::string>("high"));

  FieldErrors bad;
  CHECK_FALSE(ParseGenerationRequest(
      {{"prompt", "x"}, {"model", 3}, {"imageSize", true}, {"grounding", "yes"}, {"thinking", 1}}, bad));
  CHECK(bad.error().fields.at("model") == "field.must_be_string");
  CHECK(bad.error().fields.at("imageSize") == "field.must_be_string");
  CHECK(bad.error().fields.at("grounding") == "field.must_be_boolean");
  CHECK(bad.error().fields.at("thinking") == "field.must_be_string");
}

TEST_CASE("the idempotency hash covers the model, size, grounding and thinking", "[models][generation]") {
  GenerationRequest a = Request(kPro, "1K");
  GenerationRequest b = a;
  b.image_size = "4K";
  CHECK(a.CanonicalText() != b.CanonicalText());
  b = a;
  b.grounding = true;
  CHECK(a.CanonicalText() != b.CanonicalText());
  b = a;
  b.model = kFlash31;
  CHECK(a.CanonicalText() != b.CanonicalText());
  b = a;
  b.thinking = "high";
  CHECK(a.CanonicalText() != b.CanonicalText());
}

TEST_CASE("generateContent per model: URL, imageSize, the google_search tool, the thinking level",
          "[models][gemini]") {
  GenerationInput old{"a cat", std::string("16:9"), {}};
  nlohmann::json body = BodyFor(old);  // no model: GEMINI_MODEL
  CHECK(body["generationConfig"]["imageConfig"] == nlohmann::json({{"aspectRatio", "16:9"}}));
  CHECK_FALSE(body.contains("tools"));

  GenerationInput flash25{"a cat", std::nullopt, {}};
  flash25.model = kFlash25;
  flash25.image_size = "1K";
  body = BodyFor(flash25);
  CHECK_FALSE(body["generationConfig"].contains("imageConfig"));  // 2.5 has no imageSize field

  GenerationInput pro{"a cat", std::string("21:9"), {}};
  pro.model = kPro;
  pro.image_size = "4K";
  pro.grounding = true;
  auto request = BuildGeminiRequest(Gemini(), pro);
  REQUIRE(request.ok());
  CHECK(request->url ==
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-pro-image-preview:generateContent");
  body = BodyFor(pro);
  CHECK(body["generationConfig"]["imageConfig"] ==
        nlohmann::json({{"aspectRatio", "21:9"}, {"imageSize", "4K"}}));
  CHECK(body["tools"] == nlohmann::json::parse(R"([{"google_search":{}}])"));
  CHECK_FALSE(body["generationConfig"].contains("thinkingConfig"));

  GenerationInput flash31{"a cat", std::nullopt, {}};
  flash31.model = kFlash31;
  flash31.image_size = "0.5K";
  flash31.thinking = "minimal";
  body = BodyFor(flash31);
  CHECK(body["generationConfig"]["imageConfig"] == nlohmann::json({{"imageSize", "512"}}));
  CHECK(body["generationConfig"]["thinkingConfig"] == nlohmann::json({{"thinkingLevel", "minimal"}}));
}

nlohmann::json ThinkingAnswer(const std::string& draft, const std::string& final_image) {
  nlohmann::json body = testing::GeminiImageAnswer(final_image);
  auto& parts = body["candidates"][0]["content"]["parts"];
  parts[0]["thoughtSignature"] = "c2lnbmF0dXJlLW9mLXRoZS1maW5hbC1pbWFnZQ==";
  parts.insert(parts.begin(), {{"text", "**Composing** the scene"}, {"thought", true}});
  parts.insert(parts.begin() + 1, {{"inlineData", {{"mimeType", "image/png"}, {"data", Base64Encode(draft)}}},
                                   {"thought", true},
                                   {"thoughtSignature", "ZHJhZnQ="}});
  body["modelVersion"] = kPro;
  return body;
}

TEST_CASE("a thinking model's answer: drafts and thought text skipped, the signed final image kept",
          "[models][gemini]") {
  const std::string draft = testing::MakePng(4, 4, 1);
  const std::string final_image = testing::MakePng(8, 8, 2);
  auto outcome = ParseGeminiResponse(testing::GeminiHttp(200, ThinkingAnswer(draft, final_image)), kPro);
  REQUIRE(std::holds_alternative<GeneratedImage>(outcome));
  const GeneratedImage& image = std::get<GeneratedImage>(outcome);
  CHECK(image.bytes == final_image);
  CHECK(image.model == kPro);
  CHECK_FALSE(image.text);  // thought text is not the model's answer text
  CHECK(image.grounding.is_null());
}

TEST_CASE("an answer with only thought parts is a final no-image failure", "[models][gemini]") {
  nlohmann::json body = ThinkingAnswer(testing::MakePng(4, 4, 1), testing::MakePng(4, 4, 2));
  auto& parts = body["candidates"][0]["content"]["parts"];
  parts.erase(parts.size() - 1);  // the final image never came
  auto outcome = ParseGeminiResponse(testing::GeminiHttp(200, body), kPro);
  REQUIRE(std::holds_alternative<GenerationFailure>(outcome));
  CHECK_FALSE(std::get<GenerationFailure>(outcome).retryable);
  CHECK(std::get<GenerationFailure>(outcome).reason_key == generation_reason::kNoImage);
}

TEST_CASE("grounding metadata becomes queries and sources; only web links are kept", "[models][gemini]") {
  const std::string png = testing::MakePng(8, 8, 3);
  nlohmann::json body = ThinkingAnswer(testing::MakePng(4, 4, 1), png);
  body["candidates"][0]["groundingMetadata"] = nlohmann::json::parse(R"({
    "webSearchQueries": ["eiffel tower at night", ""],
    "imageSearchQueries": ["eiffel tower photo"],
    "groundingChunks": [
      {"web": {"uri": "https://www.toureiffel.paris/en", "title": "toureiffel.paris"}},
      {"web": {"uri": "javascript:void 0", "title": "evil"}},
      {"image": {"uri": "https://images.example.org/e.jpg", "title": ""}},
      {"retrievedContext": {"uri": "gs://bucket/x"}}
    ],
    "groundingSupports": [{"segment": {"startIndex": 0, "endIndex": 3}, "groundingChunkIndices": [0]}],
    "searchEntryPoint": {"renderedContent": "<div>chips</div>"}
  })");
  auto outcome = ParseGeminiResponse(testing::GeminiHttp(200, body), kPro);
  REQUIRE(std::holds_alternative<GeneratedImage>(outcome));
  const nlohmann::json& g = std::get<GeneratedImage>(outcome).grounding;
  CHECK(g == nlohmann::json::parse(R"({
    "queries": ["eiffel tower at night", "eiffel tower photo"],
    "sources": [{"title": "toureiffel.paris", "uri": "https://www.toureiffel.paris/en"},
                {"title": "https://images.example.org/e.jpg", "uri": "https://images.example.org/e.jpg"}]
  })"));
  CHECK(std::get<GeneratedImage>(outcome).bytes == png);
}

TEST_CASE("a block or finish reason from a thinking model is a final failure", "[models][gemini]") {
  nlohmann::json body = ThinkingAnswer(testing::MakePng(4, 4, 1), testing::MakePng(4, 4, 2));
  body["candidates"][0]["finishReason"] = "IMAGE_SAFETY";
  auto outcome = ParseGeminiResponse(testing::GeminiHttp(200, body), kFlash31);
  REQUIRE(std::holds_alternative<GenerationFailure>(outcome));
  CHECK(std::get<GenerationFailure>(outcome).reason_key == generation_reason::kImageBlocked);
  CHECK_FALSE(std::get<GenerationFailure>(outcome).retryable);
}

}  // namespace
}  // namespace nb
