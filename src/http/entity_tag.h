// Entity tags for bytes that never change: strong tags built from a content digest, and the two
// conditional headers that compare against them (RFC 9110 §8.8.3, §13.1.2, §13.1.5).
#pragma once

#include <string>

namespace nb::http {

// "\"<opaque>\"": a strong tag (no W/ prefix), since equal tags mean byte-identical content.
std::string StrongEtag(const std::string& opaque);

// If-None-Match: "*" or a comma list of (possibly weak) tags, compared weakly as the RFC requires for
// this header. A malformed list matches nothing, so the client simply gets the full response.
bool IfNoneMatchMatches(const std::string& header, const std::string& etag);

// If-Range: true when the header is exactly our strong tag. A date or a weak tag never matches, so
// the Range is ignored and the whole representation is sent.
bool IfRangeMatches(const std::string& header, const std::string& etag);

}  // namespace nb::http
