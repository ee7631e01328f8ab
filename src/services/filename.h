// Turns a client-supplied file name into one safe inside an R2 key, a URL and a
// Content-Disposition header, while keeping it recognisable to the person who uploaded it.
#pragma once

#include <string>

namespace nb {

inline constexpr size_t kMaxFilenameBytes = 100;

// Keeps the last path component only ("C:\fakepath\a.png" -> "a.png"); drops control characters
// (C0, DEL, C1), bidirectional overrides and invalid UTF-8; turns whitespace and characters that
// are special in paths, URLs or headers into '-'; collapses "..", leading dots and repeated '-';
// caps the result at kMaxFilenameBytes without splitting a UTF-8 sequence, keeping a short
// extension; "file" when nothing is left. Valid non-ASCII text (e.g. "café.png") is kept.
std::string SanitizeFilename(const std::string& name);

}  // namespace nb
