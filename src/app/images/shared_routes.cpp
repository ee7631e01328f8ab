// The public side of share links: anyone holding a token sees that one image, its title and prompt,
// and nothing of its owner. GET /s/:token is a small server-rendered page (no script, no inline style:
// it runs under the strict CSP) whose OpenGraph/Twitter tags let chat apps preview the link;
// /api/shared/:token[/content|/thumbnail] are the JSON and the bytes. Every answer may be cached only
// briefly (kShareCache): a revoke or a delete must not live on in caches for a year, as the owner's
// immutable bytes may. The page and the JSON are not kept at all (no-cache): a revoke is seen at once.
#include "app/core/routes.h"
#include "app/images/image_handlers.h"
#include "app/images/share_links.h"
#include "i18n/messages.h"
#include "util/time_format.h"

namespace nb {
namespace {

constexpr char kShareCache[] = "public, max-age=60";
// The page and its JSON are cheap to make and are what a revoke must stop at once, even in the browser
// that already opened the link: every use asks the Worker again.
constexpr char kSharePageCache[] = "no-cache";
constexpr char kShareCsp[] =
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string EscapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The shared, COMPLETED image behind the :token parameter; NotFound for a malformed, unknown or
// revoked token and for a deleted or unfinished image.
Result<Image> SharedImage(RequestScope& scope) {
  const std::string token = scope.request.Param("token");
  if (!IsShareTokenShape(token)) return Status::NotFound("no such share");
  NB_ASSIGN_OR_RETURN(std::string hash, ShareTokenHash(scope, token));
  NB_ASSIGN_OR_RETURN(Image image, scope.repos.images.FindShared(hash));
  // The hash matched; the token must also be the one the secret derives now (a rotated secret, or a
  // nonce changed by a revoke and a new share, kills older tokens).
  if (!image.share_nonce) return Status::NotFound("no such share");
  auto expected = ShareToken(scope, image.id, *image.share_nonce);
  if (!expected.ok() || *expected != token) return Status::NotFound("no such share");
  return image;
}

http::ApiError ShareNotFound(const Status& status) {
  if (status.IsNotFound()) return {http::ErrorCode::kNotFound, "error.share_not_found"};
  return http::ErrorFromStatus(status);
}

nlohmann::json PublicFields(const Image& image, const std::string& token) {
  const std::string base = "/api/shared/" + token;
  auto or_null = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {
      {"title", or_null(image.title)},
      {"prompt", or_null(image.prompt)},
      {"width", or_null(image.width)},
      {"height", or_null(image.height)},
      {"format", or_null(image.format)},
      {"createdAt", FormatIsoUtc(image.created_at_ms)},
      {"url", base + "/content"},
      {"thumbnailUrl", image.thumbnail_key ? nlohmann::json(base + "/thumbnail") : nlohmann::json(nullptr)}};
}

Reply SharedJson(RequestScope& scope) {
  const Image image = NB_TRY(OrError(SharedImage(scope), ShareNotFound));
  http::Response response =
      http::Response::Json(200, {{"image", PublicFields(image, scope.request.Param("token"))}});
  response.SetHeader("cache-control", kSharePageCache);
  response.SetHeader("referrer-policy", "no-referrer");
  return response;
}

Reply SharedContent(RequestScope& scope) {
  const Image image = NB_TRY(OrError(SharedImage(scope), ShareNotFound));
  return ServeContentOf(scope, image, kShareCache);
}

Reply SharedThumbnail(RequestScope& scope) {
  const Image image = NB_TRY(OrError(SharedImage(scope), ShareNotFound));
  return ServeThumbnailOf(scope, image, kShareCache);
}

http::Response HtmlResponse(RequestScope& scope, int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("content-type", "text/html; charset=utf-8");
  response.SetHeader("content-security-policy", kShareCsp);
  // The token is in the URL: never send it on to another site.
  response.SetHeader("referrer-policy", "no-referrer");
  response.SetHeader("cache-control", status == 200 ? kSharePageCache : "no-store");
  if (scope.request.origin.rfind("https://", 0) == 0) {
    response.SetHeader("strict-transport-security", "max-age=63072000; includeSubDomains");
  }
  return response;
}

std::string Meta(const char* attribute, const char* name, const std::string& content) {
  return std::string("<meta ") + attribute + "=\"" + name + "\" content=\"" + EscapeHtml(content) + "\">\n";
}

Reply SharedPage(RequestScope& scope) {
  const std::string& lang = scope.language;
  auto found = SharedImage(scope);
  if (!found.ok()) {
    if (!found.status().IsNotFound()) return http::ErrorFromStatus(found.status());
    const std::string text = EscapeHtml(i18n::Message("error.share_not_found", lang, {}));
    return HtmlResponse(scope, 404,
                        "<!doctype html>\n<html lang=\"" + lang +
                            "\">\n<head>\n<meta charset=\"utf-8\">\n"
                            "<meta name=\"robots\" content=\"noindex\">\n<title>" +
                            text +
                            "</title>\n<link rel=\"stylesheet\" href=\"/share.css\">\n</head>\n<body>\n"
                            "<main class=\"shared\"><p>" +
                            text + "</p></main>\n</body>\n</html>\n");
  }
  const Image& image = *found;
  const std::string token = scope.request.Param("token");
  const std::string origin = scope.request.origin;
  const std::string title =
      image.title && !image.title->empty() ? *image.title : i18n::Message("share.page_title", lang, {});
  const std::string prompt = image.prompt.value_or(image.description.value_or(""));
  const std::string image_url = origin + "/api/shared/" + token + "/content";
  std::string html = "<!doctype html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"robots\" content=\"noindex\">\n";
  html += "<title>" + EscapeHtml(title) + "</title>\n";
  if (!prompt.empty()) html += Meta("name", "description", prompt);
  html += Meta("property", "og:type", "website");
  html += Meta("property", "og:site_name", "Nano Banana");
  html += Meta("property", "og:title", title);
  if (!prompt.empty()) html += Meta("property", "og:description", prompt);
  html += Meta("property", "og:url", origin + "/s/" + token);
  html += Meta("property", "og:image", image_url);
  if (image.content_type) html += Meta("property", "og:image:type", *image.content_type);
  if (image.width) html += Meta("property", "og:image:width", std::to_string(*image.width));
  if (image.height) html += Meta("property", "og:image:height", std::to_string(*image.height));
  html += Meta("property", "og:image:alt", title);
  html += Meta("name", "twitter:card", "summary_large_image");
  html += Meta("name", "twitter:title", title);
  if (!prompt.empty()) html += Meta("name", "twitter:description", prompt);
  html += Meta("name", "twitter:image", image_url);
  html += "<link rel=\"stylesheet\" href=\"/share.css\">\n</head>\n<body>\n<main class=\"shared\">\n";
  html += "<img class=\"shared-image\" src=\"/api/shared/" + token + "/content\" alt=\"" + EscapeHtml(title) +
          "\"";
  if (image.width && image.height) {
    html +=
        " width=\"" + std::to_string(*image.width) + "\" height=\"" + std::to_string(*image.height) + "\"";
  }
  html += ">\n<h1>" + EscapeHtml(title) + "</h1>\n";
  if (!prompt.empty()) {
    html += "<p class=\"shared-prompt\"><strong>" + EscapeHtml(i18n::Message("share.prompt", lang, {})) +
            "</strong> " + EscapeHtml(prompt) + "</p>\n";
  }
  html += "<p class=\"shared-footer\"><a href=\"/\">" +
          EscapeHtml(i18n::Message("share.made_with", lang, {})) + "</a></p>\n</main>\n</body>\n</html>\n";
  return HtmlResponse(scope, 200, std::move(html));
}

}  // namespace

void AddSharedRoutes(RouteTable& app) {
  app.Get("/s/:token", SharedPage);
  app.Get("/api/shared/:token", SharedJson);
  app.Get("/api/shared/:token/content", SharedContent);
  app.Get("/api/shared/:token/thumbnail", SharedThumbnail);
}

}  // namespace nb
