// The object-store port (R2). Keys are opaque strings; bodies are raw bytes held in std::string.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ports/status.h"

namespace nb {

struct ObjectMetadata {
  std::string content_type;
  std::map<std::string, std::string> custom;
};

struct ObjectInfo {
  std::string key;
  int64_t size = 0;
  std::string etag;
  int64_t uploaded_ms = 0;
  ObjectMetadata metadata;
};

// A byte range like R2's: {offset, length} or a suffix of the last `suffix` bytes.
struct ByteRange {
  std::optional<int64_t> offset;
  std::optional<int64_t> length;
  std::optional<int64_t> suffix;
};

struct ObjectBody {
  ObjectInfo info;
  std::string bytes;         // the whole object, or only the requested range
  int64_t range_offset = 0;  // where `bytes` starts inside the object
};

struct ObjectList {
  std::vector<ObjectInfo> objects;
  std::optional<std::string> cursor;  // set when more objects follow
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual Result<ObjectInfo> Put(const std::string& key, const std::string& bytes,
                                 const ObjectMetadata& metadata) = 0;
  // nullopt when the key does not exist. An unsatisfiable range is kOutOfRange.
  virtual Result<std::optional<ObjectBody>> Get(const std::string& key,
                                                const std::optional<ByteRange>& range = std::nullopt) = 0;
  virtual Result<std::optional<ObjectInfo>> Head(const std::string& key) = 0;
  // Deleting a missing key is not an error (R2 behaves so).
  virtual Status Delete(const std::vector<std::string>& keys) = 0;
  virtual Result<ObjectList> List(const std::string& prefix, int limit,
                                  const std::optional<std::string>& cursor = std::nullopt) = 0;
};

}  // namespace nb
