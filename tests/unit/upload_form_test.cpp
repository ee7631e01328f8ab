#include "app/images/upload_form.h"

#include <catch2/catch.hpp>

#include "http/multipart_form.h"

namespace nb {
namespace {

using nlohmann::json;

http::Request MultipartRequest(const json& head, std::string body) {
  http::Request r;
  r.method = "POST";
  r.headers = {{"content-type", "multipart/form-data; boundary=xyz"}};
  r.multipart = http::MultipartFormFromJson(head);
  r.body = std::move(body);
  return r;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Built explicitly: nlohmann would read a braced list of string pairs as an object.
json OneFile(const std::string& field, int64_t size, const Pairs& pairs = {}) {
  json fields = json::array();
  for (const auto& [k, v] : pairs) fields.push_back(json::array({k, v}));
  return {{"fields", std::move(fields)},
          {"files",
           json::array({{{"field", field}, {"name", "cat.png"}, {"type", "image/png"}, {"size", size}}})}};
}

const http::ApiError& ErrorOf(const ApiResult<UploadForm>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

TEST_CASE("The shim's multipart description is read strictly", "[multipart]") {
  json head = OneFile("file", 3, {{"title", "Cat"}, {"title", "Dog"}});
  head["files"][0]["name"] = "a.png";
  head["files"][0]["type"] = "text/plain";
  auto form = http::MultipartFormFromJson(head);
  CHECK_FALSE(form.malformed);
  CHECK(form.Values("title") == std::vector<std::string>{"Cat", "Dog"});
  REQUIRE(form.files.size() == 1);
  CHECK(form.files[0].filename == "a.png");
  CHECK(form.files[0].declared_type == "text/plain");
  CHECK(form.files[0].size == 3);

  CHECK(http::MultipartFormFromJson({{"malformed", true}}).malformed);
  // A "malformed" that is not a bool reads as malformed (found by tests/fuzz_parsers/multipart_fuzzer:
  // json.value() aborted on it); an explicit false with a good shape is a form.
  for (json odd : {json(1), json("yes"), json(nullptr), json::array()}) {
    json described = OneFile("file", 3, {});
    described["malformed"] = odd;
    CHECK(http::MultipartFormFromJson(described).malformed);
  }
  json described = OneFile("file", 3, {});
  described["malformed"] = false;
  CHECK_FALSE(http::MultipartFormFromJson(described).malformed);
  CHECK(http::MultipartFormFromJson(json::array()).malformed);
  CHECK(http::MultipartFormFromJson({{"fields", json::array()}}).malformed);
  CHECK(http::MultipartFormFromJson(
            {{"fields", json::array({json::array({"a", 1})})}, {"files", json::array()}})
            .malformed);
  CHECK(http::MultipartFormFromJson(
            {{"fields", json::array()},
             {"files", {{{"field", "file"}, {"name", "x"}, {"type", ""}, {"size", -1}}}}})
            .malformed);
  CHECK(http::MultipartFormFromJson({{"fields", json::array()}, {"files", {{{"field", "file"}}}}}).malformed);
}

TEST_CASE("A valid form yields the file and trimmed text", "[upload]") {
  auto r = ReadUploadForm(
      MultipartRequest(OneFile("file", 4, {{"title", "  My cat "}, {"description", "a\nb"}}), "abcd"), 10);
  REQUIRE(r.ok());
  const UploadForm& form = r.value();
  CHECK(form.file.filename == "cat.png");
  CHECK(form.title == std::optional<std::string>("My cat"));
  CHECK(form.description == std::optional<std::string>("a\nb"));

  auto blank = ReadUploadForm(MultipartRequest(OneFile("file", 4, {{"title", "   "}}), "abcd"), 10);
  REQUIRE(blank.ok());
  CHECK_FALSE(blank.value().title.has_value());
}

TEST_CASE("Not multipart is 415, unparseable is 400", "[upload]") {
  http::Request json_request;
  json_request.headers = {{"content-type", "application/json"}};
  CHECK(ErrorOf(ReadUploadForm(json_request, 10)).code == http::ErrorCode::kUnsupportedMediaType);
  http::Request no_type;
  CHECK(ErrorOf(ReadUploadForm(no_type, 10)).code == http::ErrorCode::kUnsupportedMediaType);
  http::Request lookalike = MultipartRequest(OneFile("file", 4), "abcd");
  lookalike.headers = {{"content-type", "multipart/form-datax; boundary=a"}};
  CHECK(ErrorOf(ReadUploadForm(lookalike, 10)).code == http::ErrorCode::kUnsupportedMediaType);

  CHECK(ErrorOf(ReadUploadForm(MultipartRequest({{"malformed", true}}, ""), 10)).code ==
        http::ErrorCode::kBadRequest);
  // The description disagrees with the bytes handed over.
  CHECK(ErrorOf(ReadUploadForm(MultipartRequest(OneFile("file", 5), "abcd"), 10)).code ==
        http::ErrorCode::kBadRequest);
}

TEST_CASE("File count, field name, emptiness and size", "[upload]") {
  auto no_file = ErrorOf(
      ReadUploadForm(MultipartRequest({{"fields", json::array()}, {"files", json::array()}}, ""), 10));
  CHECK(no_file.code == http::ErrorCode::kValidationFailed);
  CHECK(no_file.fields.at("file") == "field.file_required");

  auto wrong_field = ErrorOf(ReadUploadForm(MultipartRequest(OneFile("image", 4), "abcd"), 10));
  CHECK(wrong_field.fields.at("file") == "field.file_required");

  json two = OneFile("file", 0);
  two["files"].push_back(two["files"][0]);
  auto two_files = ErrorOf(ReadUploadForm(MultipartRequest(two, ""), 10));
  CHECK(two_files.fields.at("file") == "field.one_file_only");

  auto empty = ErrorOf(ReadUploadForm(MultipartRequest(OneFile("file", 0), ""), 10));
  CHECK(empty.fields.at("file") == "field.file_empty");

  auto big = ErrorOf(ReadUploadForm(MultipartRequest(OneFile("file", 11), std::string(11, 'x')), 10));
  CHECK(big.code == http::ErrorCode::kPayloadTooLarge);
  CHECK(big.args.at("limit") == "10");
  CHECK((ReadUploadForm(MultipartRequest(OneFile("file", 10), std::string(10, 'x')), 10)).ok());
}

TEST_CASE("Title and description rules, every problem reported at once", "[upload]") {
  auto e = ErrorOf(ReadUploadForm(
      MultipartRequest(
          OneFile("file", 0, {{"title", std::string(201, 'a')}, {"description", std::string("a\0b", 3)}}),
          ""),
      10));
  CHECK(e.fields.at("file") == "field.file_empty");
  CHECK(e.fields.at("title") == "field.too_long");
  CHECK(e.fields.at("description") == "field.control_characters");

  // 200 emoji are 200 characters (800 bytes): allowed.
  std::string emoji;
  for (int i = 0; i < 200; ++i) emoji += "\xF0\x9F\x90\xB1";
  CHECK((ReadUploadForm(MultipartRequest(OneFile("file", 1, {{"title", emoji}}), "x"), 10)).ok());

  auto repeated = ErrorOf(
      ReadUploadForm(MultipartRequest(OneFile("file", 1, {{"title", "a"}, {"title", "b"}}), "x"), 10));
  CHECK(repeated.fields.at("title") == "field.single_value");
  auto tab_in_title =
      ErrorOf(ReadUploadForm(MultipartRequest(OneFile("file", 1, {{"title", "a\tb"}}), "x"), 10));
  CHECK(tab_in_title.fields.at("title") == "field.control_characters");
  CHECK((ReadUploadForm(MultipartRequest(OneFile("file", 1, {{"description", std::string(2000, 'd')}}), "x"),
                        10))
            .ok());
  auto long_description = ErrorOf(ReadUploadForm(
      MultipartRequest(OneFile("file", 1, {{"description", std::string(2001, 'd')}}), "x"), 10));
  CHECK(long_description.fields.at("description") == "field.too_long");
}

}  // namespace
}  // namespace nb
