#include "services/filename.h"

#include <catch2/catch.hpp>

namespace nb {
namespace {

bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST_CASE("Plain names pass through", "[filename]") {
  CHECK(SanitizeFilename("cat.png") == "cat.png");
  CHECK(SanitizeFilename("my_photo-2024(1).JPG") == "my_photo-2024(1).JPG");
}

TEST_CASE("Spaces become dashes, runs collapse", "[filename]") {
  CHECK(SanitizeFilename("my holiday   photo.png") == "my-holiday-photo.png");
  CHECK(SanitizeFilename("  padded  ") == "padded");
  CHECK(SanitizeFilename("a?b#c%d.png") == "a-b-c-d.png");
}

TEST_CASE("Paths, dot-dot and hidden names are defused", "[filename]") {
  CHECK(SanitizeFilename("../../etc/passwd") == "passwd");
  CHECK(SanitizeFilename("C:\\fakepath\\photo.png") == "photo.png");
  CHECK(SanitizeFilename("dir/") == "file");
  CHECK(SanitizeFilename("..") == "file");
  CHECK(SanitizeFilename("a..b...png") == "a.b.png");
  CHECK(SanitizeFilename(".htaccess") == "htaccess");
  CHECK(SanitizeFilename("name.") == "name");
  for (const std::string& n : {std::string("../x"), std::string("a/../b"), std::string("..\\..\\x")}) {
    const std::string out = SanitizeFilename(n);
    CHECK(out.find('/') == std::string::npos);
    CHECK(out.find('\\') == std::string::npos);
    CHECK(out.find("..") == std::string::npos);
  }
}

TEST_CASE("Control characters, NUL and bidi overrides are dropped", "[filename]") {
  CHECK(SanitizeFilename(std::string("a\0b.png", 7)) == "ab.png");
  CHECK(SanitizeFilename("a\r\nb\x7f.png") == "ab.png");
  CHECK(SanitizeFilename("a\xc2\x85"
                         "b.png") == "ab.png");                         // U+0085, a C1 control
  CHECK(SanitizeFilename("evil\xe2\x80\xaegnp.exe") == "evilgnp.exe");  // U+202E right-to-left override
}

TEST_CASE("Valid UTF-8 is kept, invalid bytes are dropped", "[filename]") {
  CHECK(SanitizeFilename("café.png") == "café.png");
  CHECK(SanitizeFilename("日本 写真.jpg") == "日本-写真.jpg");
  CHECK(SanitizeFilename("emoji-\xf0\x9f\x98\x80.png") == "emoji-\xf0\x9f\x98\x80.png");
  CHECK(SanitizeFilename("bad\xff\xfe.png") == "bad.png");
  CHECK(SanitizeFilename("over\xc0\xaflong.png") == "overlong.png");  // overlong '/'
  CHECK(SanitizeFilename("surrogate\xed\xa0\x80.png") == "surrogate.png");
  CHECK(SanitizeFilename("cut\xe6\x97") == "cut");  // truncated sequence at the end
}

TEST_CASE("Empty results become \"file\"", "[filename]") {
  CHECK(SanitizeFilename("") == "file");
  CHECK(SanitizeFilename("   ") == "file");
  CHECK(SanitizeFilename("\x01\x02") == "file");
  CHECK(SanitizeFilename("\xff") == "file");
}

TEST_CASE("Long names are capped at 100 bytes on a character boundary, extension kept", "[filename]") {
  const std::string long_ascii = SanitizeFilename(std::string(300, 'a') + ".png");
  CHECK(long_ascii.size() == kMaxFilenameBytes);
  CHECK(long_ascii.substr(long_ascii.size() - 4) == ".png");

  std::string accents;
  for (int i = 0; i < 80; ++i) accents += "é";  // 2 bytes each
  for (const std::string& name : {accents, accents + ".jpeg", "x" + accents, "😀" + accents}) {
    const std::string out = SanitizeFilename(name);
    CHECK(out.size() <= kMaxFilenameBytes);
    CHECK(out.size() >= kMaxFilenameBytes - 3);
    CHECK(IsValidUtf8(out));
  }
  CHECK(SanitizeFilename(accents + ".jpeg").substr(SanitizeFilename(accents + ".jpeg").size() - 5) ==
        ".jpeg");

  // An "extension" too long to be one is cut like the rest.
  const std::string no_ext = SanitizeFilename("a." + std::string(200, 'b'));
  CHECK(no_ext.size() == kMaxFilenameBytes);
}

}  // namespace
}  // namespace nb
