#include "memory_object_store.h"

#include "md5.h"
#include "native/base64url.h"

namespace nb {
namespace {

Status CheckKey(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("object key is empty");
  if (key.size() > MemoryObjectStore::kMaxKeyBytes) {
    return Status::InvalidArgument("object key longer than 1024 bytes");
  }
  return Status::Ok();
}

struct Span {
  int64_t offset;
  int64_t length;
};

// Resolves an R2 range against an object of `size` bytes; past-the-end lengths are clamped.
Result<Span> Resolve(const ByteRange& range, int64_t size) {
  if (range.suffix) {
    if (range.offset || range.length) {
      return Status::InvalidArgument("a suffix range cannot also have an offset or length");
    }
    if (*range.suffix <= 0) return Status::OutOfRange("suffix range must be positive");
    const int64_t length = *range.suffix < size ? *range.suffix : size;
    if (length == 0) return Status::OutOfRange("suffix range of an empty object");
    return Span{size - length, length};
  }
  const int64_t offset = range.offset.value_or(0);
  if (offset < 0) return Status::OutOfRange("negative range offset");
  if (range.length && *range.length <= 0) return Status::OutOfRange("range length must be positive");
  if (offset >= size) return Status::OutOfRange("range offset at or past the end of the object");
  const int64_t available = size - offset;
  const int64_t length = range.length && *range.length < available ? *range.length : available;
  return Span{offset, length};
}

}  // namespace

Result<ObjectInfo> MemoryObjectStore::Put(const std::string& key, const std::string& bytes,
                                          const ObjectMetadata& metadata) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  const std::string etag = Md5Hex(bytes);
  if (etag.empty()) return Status::Internal("MD5 digest failed");
  Entry entry;
  entry.info.key = key;
  entry.info.size = static_cast<int64_t>(bytes.size());
  entry.info.etag = etag;
  entry.info.metadata = metadata;
  entry.bytes = bytes;
  AdapterLock lock(mu_);
  entry.info.uploaded_ms = clock_.NowMs();
  ObjectInfo info = entry.info;
  objects_[key] = std::move(entry);
  ++writes_;
  return info;
}

Result<std::optional<ObjectBody>> MemoryObjectStore::Get(const std::string& key,
                                                         const std::optional<ByteRange>& range) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  AdapterLock lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::optional<ObjectBody>();
  const Entry& entry = it->second;
  ObjectBody body;
  body.info = entry.info;
  const bool ranged = range && (range->offset || range->length || range->suffix);
  if (!ranged) {
    body.bytes = entry.bytes;
    return std::optional<ObjectBody>(std::move(body));
  }
  auto span = Resolve(*range, entry.info.size);
  if (!span.ok()) return span.status();
  body.bytes = entry.bytes.substr(static_cast<size_t>(span->offset), static_cast<size_t>(span->length));
  body.range_offset = span->offset;
  return std::optional<ObjectBody>(std::move(body));
}

Result<std::optional<ObjectInfo>> MemoryObjectStore::Head(const std::string& key) {
  NB_RETURN_IF_ERROR(CheckKey(key));
  AdapterLock lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::optional<ObjectInfo>();
  return std::optional<ObjectInfo>(it->second.info);
}

Status MemoryObjectStore::Delete(const std::vector<std::string>& keys) {
  if (keys.size() > kMaxDeleteKeys) return Status::InvalidArgument("more than 1000 keys in one delete");
  for (const auto& key : keys) NB_RETURN_IF_ERROR(CheckKey(key));
  AdapterLock lock(mu_);
  for (const auto& key : keys) objects_.erase(key);
  ++writes_;
  return Status::Ok();
}

Result<ObjectList> MemoryObjectStore::List(const std::string& prefix, int limit,
                                           const std::optional<std::string>& cursor) {
  if (limit < 1 || limit > kMaxListLimit) return Status::InvalidArgument("list limit must be 1..1000");
  // The cursor is the last key already returned, base64url-encoded so callers treat it as opaque.
  std::optional<std::string> after;
  if (cursor) {
    after = native::Base64UrlDecode(*cursor);
    if (!after || after->empty()) return Status::InvalidArgument("malformed list cursor");
  }
  AdapterLock lock(mu_);
  auto it = after ? objects_.upper_bound(*after) : objects_.lower_bound(prefix);
  if (after && prefix > *after) it = objects_.lower_bound(prefix);
  ObjectList out;
  for (; it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (static_cast<int>(out.objects.size()) == limit) {
      out.cursor = native::Base64UrlEncode(out.objects.back().key);
      break;
    }
    out.objects.push_back(it->second.info);
  }
  return out;
}

size_t MemoryObjectStore::size() const {
  AdapterLock lock(mu_);
  return objects_.size();
}

int MemoryObjectStore::writes() const {
  AdapterLock lock(mu_);
  return writes_;
}

}  // namespace nb
