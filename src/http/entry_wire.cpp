#include "http/entry_wire.h"

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace nb::http {
namespace {

constexpr uint8_t kBodyTooLarge = 1;
constexpr uint8_t kHasMultipart = 2;
constexpr uint8_t kHasOffset = 1;
constexpr uint8_t kHasLength = 2;

// Reads fields front to back; any read past the end fails the whole head (ok() stays false).
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  bool ok() const { return ok_; }
  bool done() const { return ok_ && rest_.empty(); }

  uint8_t U8() {
    if (!Need(1)) return 0;
    const auto v = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return v;
  }

  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(4);
    return v;
  }

  double F64() {
    if (!Need(8)) return 0;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(8);
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }

  std::string_view Str() {
    const uint32_t len = U32();
    if (!Need(len)) return {};
    std::string_view v = rest_.substr(0, len);
    rest_.remove_prefix(len);
    return v;
  }

 private:
  bool Need(size_t n) {
    if (ok_ && rest_.size() >= n) return true;
    ok_ = false;
    return false;
  }

  std::string_view rest_;
  bool ok_ = true;
};

void PutU8(std::string& out, uint8_t v) { out.push_back(static_cast<char>(v)); }

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutF64(std::string& out, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

void PutStr(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

size_t HeadersBytes(const std::vector<std::pair<std::string, std::string>>& headers) {
  size_t n = 4;
  for (const auto& [k, v] : headers) n += 8 + k.size() + v.size();
  return n;
}

void PutHeaders(std::string& out, const std::vector<std::pair<std::string, std::string>>& headers) {
  PutU32(out, static_cast<uint32_t>(headers.size()));
  for (const auto& [k, v] : headers) {
    PutStr(out, k);
    PutStr(out, v);
  }
}

// A header count is checked against the bytes left before anything is reserved: a corrupt count
// must not ask for gigabytes.
bool ReadHeaders(Reader& in, size_t remaining, std::vector<std::pair<std::string, std::string>>& out) {
  const uint32_t count = in.U32();
  if (!in.ok() || count > remaining / 8) return false;
  out.clear();
  out.reserve(count);
  for (uint32_t i = 0; i < count && in.ok(); ++i) {
    std::string_view name = in.Str();
    std::string_view value = in.Str();
    if (in.ok()) out.emplace_back(name, value);
  }
  return in.ok();
}

}  // namespace

bool DecodeRequestHead(std::string_view bytes, Request& out) {
  Reader in(bytes);
  const uint8_t flags = in.U8();
  out.body_too_large = (flags & kBodyTooLarge) != 0;
  out.method = in.Str();
  out.url = in.Str();
  out.origin = in.Str();
  out.request_id = in.Str();
  if (!ReadHeaders(in, bytes.size(), out.headers)) return false;
  if (flags & kHasMultipart) {
    std::string_view form = in.Str();
    if (!in.ok()) return false;
    out.multipart = MultipartFormFromJson(nlohmann::json::parse(form, nullptr, /*allow_exceptions=*/false));
  }
  return in.done();
}

std::string EncodeReplyHead(const Response& response) {
  std::string out;
  const auto& object = response.object_body;
  out.reserve(4 + HeadersBytes(response.headers) + 1 + (object ? 4 + object->key.size() + 17 : 0));
  PutU32(out, static_cast<uint32_t>(response.status));
  PutHeaders(out, response.headers);
  PutU8(out, object ? 1 : 0);
  if (object) {
    PutStr(out, object->key);
    PutU8(out, (object->offset ? kHasOffset : 0) | (object->length ? kHasLength : 0));
    PutF64(out, static_cast<double>(object->offset.value_or(0)));
    PutF64(out, static_cast<double>(object->length.value_or(0)));
  }
  return out;
}

std::string EncodeRequestHead(const Request& request, std::string_view multipart_json) {
  std::string out;
  PutU8(out, (request.body_too_large ? kBodyTooLarge : 0) | (multipart_json.empty() ? 0 : kHasMultipart));
  PutStr(out, request.method);
  PutStr(out, request.url);
  PutStr(out, request.origin);
  PutStr(out, request.request_id);
  PutHeaders(out, request.headers);
  if (!multipart_json.empty()) PutStr(out, multipart_json);
  return out;
}

bool DecodeReplyHead(std::string_view bytes, Response& out) {
  Reader in(bytes);
  out.status = static_cast<int>(in.U32());
  if (!ReadHeaders(in, bytes.size(), out.headers)) return false;
  out.object_body.reset();
  if (in.U8() == 1) {
    ObjectStreamBody object;
    object.key = in.Str();
    const uint8_t which = in.U8();
    const double offset = in.F64();
    const double length = in.F64();
    if (which & kHasOffset) object.offset = static_cast<int64_t>(offset);
    if (which & kHasLength) object.length = static_cast<int64_t>(length);
    out.object_body = std::move(object);
  }
  return in.done();
}

}  // namespace nb::http
