#include "http/json_body.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb::http {
namespace {

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request r;
  r.method = "POST";
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.emplace_back("content-type", std::move(content_type));
  return r;
}

// The error a body is refused with, or nullopt when it parses.
std::optional<ApiError> Refusal(const Request& request, size_t limit = kDefaultJsonLimit) {
  auto result = ReadJsonObject(request, limit);
  if (auto* error = std::get_if<ApiError>(&result)) return *error;
  return std::nullopt;
}

TEST_CASE("ReadJsonObject returns the parsed object", "[json_body]") {
  auto result = ReadJsonObject(JsonRequest(R"({"email":"a@b.com","n":3,"list":[1,{"x":null}]})"));
  auto* body = std::get_if<nlohmann::json>(&result);
  REQUIRE(body);
  CHECK((*body)["email"] == "a@b.com");
  CHECK((*body)["n"] == 3);
  CHECK((*body)["list"][1]["x"].is_null());

  CHECK_FALSE(Refusal(JsonRequest("{}")));
  CHECK_FALSE(Refusal(JsonRequest("  \n{ }\n ")));
  CHECK_FALSE(Refusal(JsonRequest("{}", "application/json; charset=utf-8")));
  CHECK_FALSE(Refusal(JsonRequest("{}", "")));  // no content type: clients like curl -d omit it
}

TEST_CASE("ReadJsonObject: over the limit is 413 naming the limit", "[json_body]") {
  const std::string body = R"({"a":")" + std::string(100, 'x') + R"("})";
  auto error = Refusal(JsonRequest(body), body.size() - 1);
  REQUIRE(error);
  CHECK(error->code == ErrorCode::kPayloadTooLarge);
  CHECK(HttpStatusOf(error->code) == 413);
  CHECK(error->args.at("limit") == std::to_string(body.size() - 1));
  CHECK_FALSE(Refusal(JsonRequest(body), body.size()));  // exactly at the limit is fine

  // The size check comes first: a huge body is not even looked at for its type.
  auto huge = Refusal(JsonRequest(std::string(kDefaultJsonLimit + 1, '['), "text/plain"));
  REQUIRE(huge);
  CHECK(huge->code == ErrorCode::kPayloadTooLarge);
}

TEST_CASE("ReadJsonObject: a non-JSON content type is 415", "[json_body]") {
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "text/plain; charset=application/json", "application/jsonp", "text/json"}) {
    INFO(type);
    auto error = Refusal(JsonRequest("{}", type));
    REQUIRE(error);
    CHECK(error->code == ErrorCode::kUnsupportedMediaType);
    CHECK(error->message_key == "error.json_content_type");
  }
  // Media types are case-insensitive.
  CHECK_FALSE(Refusal(JsonRequest("{}", "Application/JSON")));
  CHECK_FALSE(Refusal(JsonRequest("{}", "application/json;charset=UTF-8")));
  CHECK_FALSE(Refusal(JsonRequest("{}", " application/json ")));
}

TEST_CASE("ReadJsonObject: malformed JSON is 400", "[json_body]") {
  for (const char* body : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\":1} trailing", "nul",
                           "{\"a\":\"\xff\"}" /* invalid UTF-8 */, "]]]][[[[", "{\"a\":1}}"}) {
    INFO(body);
    auto error = Refusal(JsonRequest(body));
    REQUIRE(error);
    CHECK(error->code == ErrorCode::kBadRequest);
    CHECK(error->message_key == "error.json_malformed");
  }
}

TEST_CASE("ReadJsonObject: valid JSON that is not an object is 400", "[json_body]") {
  for (const char* body : {"[]", "[{}]", "\"text\"", "42", "null", "true"}) {
    INFO(body);
    auto error = Refusal(JsonRequest(body));
    REQUIRE(error);
    CHECK(error->code == ErrorCode::kBadRequest);
    CHECK(error->message_key == "error.json_not_object");
  }
}

TEST_CASE("ReadJsonObject: a nesting bomb is 400 without exhausting the stack", "[json_body]") {
  for (char open : {'[', '{'}) {
    auto error = Refusal(JsonRequest(std::string(5000, open)));
    REQUIRE(error);
    CHECK(error->code == ErrorCode::kBadRequest);
  }
  // Balanced and well-formed but too deep is refused too.
  const std::string deep = R"({"a":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  auto error = Refusal(JsonRequest(deep));
  REQUIRE(error);
  CHECK(error->code == ErrorCode::kBadRequest);
}

TEST_CASE("ReadJsonObject: the depth limit is exactly kMaxJsonDepth", "[json_body]") {
  auto nested = [](int arrays) {
    return R"({"a":)" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
  };
  CHECK_FALSE(Refusal(JsonRequest(nested(kMaxJsonDepth - 1))));  // object + 31 arrays = 32 levels
  auto error = Refusal(JsonRequest(nested(kMaxJsonDepth)));
  REQUIRE(error);
  CHECK(error->code == ErrorCode::kBadRequest);
  // Siblings do not add up: depth is nesting, not a count of brackets.
  std::string wide = R"({"a":[)";
  for (int i = 0; i < 200; ++i) wide += std::string(i ? ",[[]]" : "[[]]");
  wide += "]}";
  CHECK_FALSE(Refusal(JsonRequest(wide)));
}

TEST_CASE("ReadJsonObject: brackets inside strings do not count as nesting", "[json_body]") {
  const std::string brackets(5000, '[');
  auto result = ReadJsonObject(JsonRequest(R"({"prompt":")" + brackets + R"("})"));
  auto* body = std::get_if<nlohmann::json>(&result);
  REQUIRE(body);
  CHECK((*body)["prompt"] == brackets);

  // An escaped quote does not end the string early.
  const std::string escaped = R"({"prompt":"say \"hi\" )" + std::string(100, '{') + R"("})";
  CHECK_FALSE(Refusal(JsonRequest(escaped)));
  // Nor does an escaped backslash hide the closing quote.
  const std::string backslash = R"({"a":"\\", "b":)" + std::string(40, '[') + std::string(40, ']') + "}";
  auto deep = Refusal(JsonRequest(backslash));
  REQUIRE(deep);
  CHECK(deep->code == ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace nb::http
