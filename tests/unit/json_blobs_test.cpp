#include "util/json_blobs.h"

#include <catch2/catch.hpp>
#include <string>

namespace nb {
namespace {

using nlohmann::json;

json Parse(std::string_view text) {
  return json::parse(text.data(), text.data() + text.size(), nullptr, false);
}

// Parses the skeleton and puts every blob back: must equal parsing the original whole.
json ParseThroughBlobs(const std::string& text, size_t min_chars) {
  const JsonBlobs blobs = JsonBlobs::Extract(text, min_chars);
  json value = Parse(blobs.text());
  blobs.Restore(value);
  return value;
}

std::string Long(size_t n, char c = 'A') { return std::string(n, c); }

TEST_CASE("a text without long strings is handed to the parser as it is", "[json_blobs]") {
  const std::string text = R"({"a":"short","b":[1,2,{"c":"d"}]})";
  const JsonBlobs blobs = JsonBlobs::Extract(text);
  CHECK(blobs.count() == 0);
  CHECK(blobs.text().data() == text.data());
  CHECK(blobs.Resolve("short") == "short");
  CHECK(JsonBlobs::Extract("").text().empty());
  CHECK(JsonBlobs::Extract("\"").count() == 0);
}

TEST_CASE("a long escape-free value becomes a placeholder that resolves to the original characters",
          "[json_blobs]") {
  const std::string data = Long(5000, 'Q') + "+/09az==";
  const std::string text = R"({"inlineData": {"mimeType": "image/png", "data": ")" + data + R"("}, "n": 1})";
  const JsonBlobs blobs = JsonBlobs::Extract(text);
  REQUIRE(blobs.count() == 1);
  CHECK(blobs.text().size() < 100);
  const json parsed = Parse(blobs.text());
  REQUIRE(parsed.is_object());
  CHECK(parsed["n"] == 1);
  CHECK(parsed["inlineData"]["mimeType"] == "image/png");
  const std::string& placeholder = parsed["inlineData"]["data"].get_ref<const std::string&>();
  CHECK(placeholder != data);
  const std::string_view resolved = blobs.Resolve(placeholder);
  CHECK(resolved == data);
  // A view into the original text, not a copy.
  CHECK(resolved.data() == text.data() + text.find(data));
  CHECK(ParseThroughBlobs(text, JsonBlobs::kDefaultMinChars) == Parse(text));
}

TEST_CASE("the threshold counts characters between the quotes", "[json_blobs]") {
  CHECK(JsonBlobs::Extract("[\"" + Long(10) + "\"]", 10).count() == 1);
  CHECK(JsonBlobs::Extract("[\"" + Long(9) + "\"]", 10).count() == 0);
}

TEST_CASE("escapes are followed so that string ends are found where the parser finds them", "[json_blobs]") {
  const std::string blob = Long(64, 'b');
  // An escaped quote and an escaped backslash just before the closing quote, then a blob.
  const std::string text = R"({"a":"x\"y","b":"z\\","c":")" + blob + R"(","d":"\\\"q"})";
  const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
  REQUIRE(blobs.count() == 1);
  const json parsed = Parse(blobs.text());
  REQUIRE(parsed.is_object());
  CHECK(parsed["a"] == "x\"y");
  CHECK(parsed["b"] == "z\\");
  CHECK(blobs.Resolve(parsed["c"].get<std::string>()) == blob);
  CHECK(parsed["d"] == "\\\"q");
  CHECK(ParseThroughBlobs(text, 32) == Parse(text));
}

TEST_CASE("long strings with escapes, non-ASCII or control characters stay for the parser", "[json_blobs]") {
  for (const std::string& inner : {Long(40) + "\\/" + Long(40), Long(40) + "\\u00e9" + Long(40),
                                   Long(40) + "\\n" + Long(40), Long(40) + "\xc3\xa9" + Long(40)}) {
    const std::string text = "{\"a\":\"" + inner + "\"}";
    const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
    CHECK(blobs.count() == 0);
    CHECK(blobs.text().data() == text.data());
    CHECK_FALSE(Parse(text).is_discarded());
  }
  // Invalid inside the string: the parser must still see it and refuse.
  for (const std::string& inner : {Long(40) + "\t" + Long(40), Long(40) + "\xff" + Long(40)}) {
    const std::string text = "{\"a\":\"" + inner + "\",\"b\":\"" + Long(64) + "\"}";
    const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
    CHECK(blobs.count() == 1);  // only "b"
    CHECK(Parse(blobs.text()).is_discarded());
  }
}

TEST_CASE("several blobs in nested arrays and objects resolve to their own text", "[json_blobs]") {
  const std::string one = Long(50, 'x'), two = Long(60, 'y'), three = Long(70, 'z');
  const std::string text = "[{\"p\":[\"" + one + "\",{\"q\":\"" + two + "\"}]}, \"" + three + "\", \"s\"]";
  const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
  REQUIRE(blobs.count() == 3);
  const json parsed = Parse(blobs.text());
  REQUIRE(parsed.is_array());
  CHECK(blobs.Resolve(parsed[0]["p"][0].get<std::string>()) == one);
  CHECK(blobs.Resolve(parsed[0]["p"][1]["q"].get<std::string>()) == two);
  CHECK(blobs.Resolve(parsed[1].get<std::string>()) == three);
  CHECK(parsed[2] == "s");
  CHECK(ParseThroughBlobs(text, 32) == Parse(text));
}

TEST_CASE("object keys are never replaced", "[json_blobs]") {
  const std::string key = Long(64, 'k');
  for (const std::string& text : {"{\"" + key + "\":1}", "{\"" + key + "\" \n\t :1}"}) {
    const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
    CHECK(blobs.count() == 0);
    CHECK(Parse(blobs.text()).contains(key));
  }
}

TEST_CASE("placeholders cannot be confused with real strings", "[json_blobs]") {
  const std::string blob = Long(64);
  SECTION("a real value that begins like a placeholder turns extraction off") {
    const std::string text = R"({"fake":"\u0000nb-blob:0@9","b":")" + blob + "\"}";
    const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
    CHECK(blobs.count() == 0);
    const json parsed = Parse(blobs.text());
    CHECK(blobs.Resolve(parsed["fake"].get<std::string>()) == parsed["fake"].get<std::string>());
    CHECK(parsed["b"] == blob);
  }
  SECTION("a NUL later in a value does not matter") {
    const std::string text = R"({"a":"x\u0000","b":")" + blob + "\"}";
    CHECK(JsonBlobs::Extract(text, 32).count() == 1);
  }
  SECTION("forged placeholders resolve to themselves") {
    const std::string text = "[\"" + blob + "\"]";
    const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
    REQUIRE(blobs.count() == 1);
    const std::string real = Parse(blobs.text())[0].get<std::string>();
    CHECK(blobs.Resolve(real) == blob);
    for (const std::string& forged : {std::string("\0nb-blob:0@1", 12), std::string("\0nb-blob:1@2", 12),
                                      std::string("\0nb-blob:0@2x", 13), std::string("\0nb-blob:", 9),
                                      std::string("\0nb-blob:0", 10), std::string("\0nb-blob:-1@2", 12)}) {
      CHECK(blobs.Resolve(forged) == forged);
    }
    CHECK(real == std::string("\0nb-blob:0@2", 12));  // the offset is the blob's in the original text
  }
}

TEST_CASE("truncated or malformed JSON keeps failing in the parser", "[json_blobs]") {
  const std::string blob = Long(64);
  for (const std::string& text : {"{\"a\":\"" + blob, "{\"a\":\"" + blob + "\"", "{\"a\":\"" + blob + "\",}",
                                  "{\"a\" \"" + blob + "\"}", "[\"" + blob + "\" \"" + blob + "\"]",
                                  "{\"a\":\"" + blob + "\\", std::string("{\"candidates\": [")}) {
    INFO(text);
    CHECK(Parse(text).is_discarded());
    CHECK(Parse(JsonBlobs::Extract(text, 32).text()).is_discarded());
  }
}

TEST_CASE("Restore puts every blob back into a copied subtree", "[json_blobs]") {
  const std::string blob = Long(64, 'u');
  const std::string text =
      "{\"usage\":{\"note\":\"" + blob + "\",\"list\":[\"" + blob + "\",3]},\"x\":\"y\"}";
  const JsonBlobs blobs = JsonBlobs::Extract(text, 32);
  REQUIRE(blobs.count() == 2);
  json usage = Parse(blobs.text())["usage"];
  CHECK(usage["note"] != blob);
  blobs.Restore(usage);
  CHECK(usage == Parse(text)["usage"]);
}

}  // namespace
}  // namespace nb
