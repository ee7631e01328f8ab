// GET /api/openapi.json: the API contract the Worker was built with (api/openapi.json, embedded by
// cmake/embed_openapi.cmake). Public: it describes the routes, not anyone's data.
#include "app/public/openapi_document.h"
#include "app/core/routes.h"
#include "http/entity_tag.h"

namespace nb {
namespace {

// The document changes only with a deploy: caches may keep it a few minutes, then revalidate
// against the ETag for a 304.
constexpr char kDocumentCacheControl[] = "public, max-age=300";

Reply ServeOpenApiDocument(RequestScope& scope) {
  const std::string etag(OpenApiDocumentEtag());
  http::Response response;
  response.SetHeader("etag", etag);
  response.SetHeader("cache-control", kDocumentCacheControl);
  if (auto inm = scope.request.Header("if-none-match"); inm && http::IfNoneMatchMatches(*inm, etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.SetHeader("content-type", "application/json; charset=utf-8");
  response.body.assign(OpenApiDocument());
  return response;
}

}  // namespace

void AddOpenApiRoute(RouteTable& app) { app.Get("/api/openapi.json", ServeOpenApiDocument); }

}  // namespace nb
