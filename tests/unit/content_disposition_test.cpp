#include "http/content_disposition.h"

#include <catch2/catch.hpp>

#include "services/filename.h"

namespace nb::http {
namespace {

TEST_CASE("ASCII names appear in both forms", "[disposition]") {
  CHECK(ContentDisposition(false, "cat.png") == "inline; filename=\"cat.png\"; filename*=UTF-8''cat.png");
  CHECK(ContentDisposition(true, "my-cat_1.png") ==
        "attachment; filename=\"my-cat_1.png\"; filename*=UTF-8''my-cat_1.png");
}

TEST_CASE("Non-ASCII names keep UTF-8 in filename* and '_' in the fallback", "[disposition]") {
  CHECK(ContentDisposition(true, "café.png") ==
        "attachment; filename=\"caf_.png\"; filename*=UTF-8''caf%C3%A9.png");
  CHECK(ContentDisposition(true, "\xF0\x9F\x90\xB1.jpg") ==
        "attachment; filename=\"_.jpg\"; filename*=UTF-8''%F0%9F%90%B1.jpg");
}

TEST_CASE("Quotes, backslashes, separators and control characters cannot break the header", "[disposition]") {
  const std::string header = ContentDisposition(true, std::string("a\"b\\c;d\r\ne\0f.png", 16));
  CHECK(header == "attachment; filename=\"a_b_c;def.png\"; filename*=UTF-8''a%22b%5Cc%3Bdef.png");
  CHECK(header.find('\r') == std::string::npos);
  CHECK(header.find('\n') == std::string::npos);
  CHECK(header.find('\0') == std::string::npos);
  CHECK(ContentDisposition(false, "") == "inline; filename=\"file\"; filename*=UTF-8''file");
  CHECK(ContentDisposition(false, "\x01\x02") == "inline; filename=\"file\"; filename*=UTF-8''file");
}

TEST_CASE("Sanitised hostile names stay safe", "[disposition]") {
  const std::string name = SanitizeFilename("../../etc/\"pass wd\".png");
  const std::string header = ContentDisposition(true, name);
  CHECK(header.find("..") == std::string::npos);
  CHECK(header.find('/') == std::string::npos);
}

}  // namespace
}  // namespace nb::http
