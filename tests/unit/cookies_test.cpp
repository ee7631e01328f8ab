#include "auth/cookies.h"

#include <catch2/catch.hpp>
#include <string>

#include "auth/safe_redirect.h"

namespace nb {
namespace {

TEST_CASE("CookieValue finds a cookie among several", "[cookies]") {
  const std::string header = "theme=dark; nb_session=abc123; nb_oauth=xyz";
  CHECK(CookieValue(header, "nb_session") == "abc123");
  CHECK(CookieValue(header, "theme") == "dark");
  CHECK(CookieValue(header, "nb_oauth") == "xyz");
  CHECK_FALSE(CookieValue(header, "missing").has_value());
  CHECK(CookieValue("nb_session=only", "nb_session") == "only");
  CHECK_FALSE(CookieValue("", "nb_session").has_value());
}

TEST_CASE("CookieValue tolerates spacing variations", "[cookies]") {
  CHECK(CookieValue("a=1;nb_session=tok", "nb_session") == "tok");
  CHECK(CookieValue("a=1;   nb_session=tok;b=2", "nb_session") == "tok");
  CHECK(CookieValue("  nb_session=tok", "nb_session") == "tok");
  CHECK(CookieValue("a=1; nb_session=tok; ", "nb_session") == "tok");
}

TEST_CASE("CookieValue matches whole names only", "[cookies]") {
  // A cookie whose name merely ends or starts with ours is someone else's.
  CHECK_FALSE(CookieValue("xnb_session=evil", "nb_session").has_value());
  CHECK_FALSE(CookieValue("nb_session2=evil", "nb_session").has_value());
  CHECK_FALSE(CookieValue("nb_sessio=evil", "nb_session").has_value());
  CHECK(CookieValue("xnb_session=evil; nb_session=good", "nb_session") == "good");
  CHECK(CookieValue("nb_session_old=evil; nb_session=good", "nb_session") == "good");
  // A value that contains our name is not a match either.
  CHECK_FALSE(CookieValue("other=nb_session=evil", "nb_session").has_value());
  CHECK_FALSE(CookieValue("nb_session", "nb_session").has_value());  // no '=' at all
}

TEST_CASE("CookieValue: empty values, '=' in values, first occurrence wins", "[cookies]") {
  CHECK(CookieValue("nb_session=", "nb_session") == "");
  CHECK(CookieValue("nb_session=; a=1", "nb_session") == "");
  CHECK(CookieValue("a=x==; nb_session=b64==", "nb_session") == "b64==");
  CHECK(CookieValue("nb_session=first; nb_session=second", "nb_session") == "first");
}

TEST_CASE("SetCookie writes HttpOnly, Secure, SameSite=Lax with path and Max-Age", "[cookies]") {
  CHECK(SetCookie("nb_session", "tok", "/", 2592000) ==
        "nb_session=tok; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax");
  CHECK(SetCookie("nb_oauth", "b", "/api/auth/google", 600) ==
        "nb_oauth=b; Path=/api/auth/google; Max-Age=600; HttpOnly; Secure; SameSite=Lax");
  CHECK(ClearCookie("nb_session", "/") == "nb_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
  // What SetCookie writes, CookieValue reads back.
  const std::string set = SetCookie(kSessionCookie, "v4lu3-_", "/", 60);
  CHECK(CookieValue(set.substr(0, set.find(';')), kSessionCookie) == "v4lu3-_");
}

TEST_CASE("SafeRedirectPath keeps same-site paths", "[redirect]") {
  CHECK(SafeRedirectPath("/") == "/");
  CHECK(SafeRedirectPath("/images") == "/images");
  CHECK(SafeRedirectPath("/images?type=GENERATED&limit=5#top") == "/images?type=GENERATED&limit=5#top");
  CHECK(SafeRedirectPath("/a/b/c/") == "/a/b/c/");
  CHECK(SafeRedirectPath("/search?q=%2F%2Fevil") == "/search?q=%2F%2Fevil");
  const std::string longest = "/" + std::string(511, 'a');
  CHECK(SafeRedirectPath(longest) == longest);
}

TEST_CASE("SafeRedirectPath turns open-redirect attempts into /", "[redirect]") {
  for (const std::string& attempt : {std::string("//evil.example"),
                                     std::string("//evil.example/path"),
                                     std::string("/\\evil.example"),
                                     std::string("\\\\evil.example"),
                                     std::string("/\\/evil.example"),
                                     std::string("https://evil.example"),
                                     std::string("http:/evil.example"),
                                     std::string("javascript:alert(1)"),
                                     std::string("JaVaScRiPt:alert(1)"),
                                     std::string("data:text/html,<script>"),
                                     std::string("evil.example"),
                                     std::string(""),
                                     std::string(" /images"),
                                     std::string("/images\\..\\..\\evil"),
                                     std::string("/\t/evil.example"),
                                     std::string("/\n/evil.example"),
                                     std::string("/\r\nSet-Cookie: x=1"),
                                     std::string("/a\x7f"),
                                     std::string("/a\0b", 4),
                                     "/" + std::string(512, 'a')}) {
    INFO(attempt);
    CHECK(SafeRedirectPath(attempt) == "/");
  }
}

}  // namespace
}  // namespace nb

namespace nb {
namespace {

TEST_CASE("SoleCookieValue answers only for exactly one cookie of the name", "[cookies][sessions]") {
  CHECK(SoleCookieValue("a=1; __Host-nb_session=tok", kSessionCookie) == "tok");
  CHECK_FALSE(SoleCookieValue("a=1", kSessionCookie).has_value());
  // Two session cookies (one planted by a sibling domain or another path): neither is trusted,
  // whichever comes first.
  CHECK_FALSE(
      SoleCookieValue("__Host-nb_session=mine; __Host-nb_session=planted", kSessionCookie).has_value());
  CHECK_FALSE(
      SoleCookieValue("__Host-nb_session=planted; a=1; __Host-nb_session=mine", kSessionCookie).has_value());
  CHECK_FALSE(SoleCookieValue("__Host-nb_session=x; __Host-nb_session=x", kSessionCookie).has_value());
  // Similar names are other cookies.
  CHECK(SoleCookieValue("nb_session=old; __Host-nb_session=tok", kSessionCookie) == "tok");
}

TEST_CASE("the session cookie is __Host-: Secure, Path=/, no Domain", "[cookies][sessions]") {
  CHECK(std::string(kSessionCookie).rfind("__Host-", 0) == 0);
  for (const std::string& header :
       {SetCookie(kSessionCookie, "tok", "/", 60), ClearCookie(kSessionCookie, "/")}) {
    INFO(header);
    CHECK(header.find("; Secure") != std::string::npos);
    CHECK(header.find("; Path=/;") != std::string::npos);
    CHECK(header.find("Domain") == std::string::npos);
    CHECK(header.find("HttpOnly") != std::string::npos);
  }
}

}  // namespace
}  // namespace nb
