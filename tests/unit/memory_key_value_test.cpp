#include "native/memory_key_value.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "native/manual_clock.h"

namespace nb {
namespace {

std::optional<std::string> Read(MemoryKeyValue& kv, const std::string& key) {
  auto r = kv.Get(key);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("Put, Get, overwrite and Delete", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  CHECK(Read(kv, "k") == std::nullopt);
  REQUIRE(kv.Put("k", "v1").ok());
  CHECK(Read(kv, "k") == std::string("v1"));
  REQUIRE(kv.Put("k", "v2").ok());
  CHECK(Read(kv, "k") == std::string("v2"));
  REQUIRE(kv.Put("empty", "").ok());
  CHECK(Read(kv, "empty") == std::string());  // an empty value is present, not missing
  CHECK(kv.size() == 2);
  REQUIRE(kv.Delete("k").ok());
  CHECK(Read(kv, "k") == std::nullopt);
  CHECK(kv.Delete("k").ok());  // deleting a missing key is fine
  CHECK(kv.size() == 1);
}

TEST_CASE("values are binary-safe", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  const std::string bytes("\0\x01\xff\n", 4);
  REQUIRE(kv.Put("bin", bytes).ok());
  CHECK(Read(kv, "bin") == bytes);
}

TEST_CASE("entries expire after their TTL by the clock", "[key_value]") {
  ManualClock clock(10'000);
  MemoryKeyValue kv(clock);
  REQUIRE(kv.Put("short", "s", 60).ok());
  REQUIRE(kv.Put("long", "l", 3600).ok());
  REQUIRE(kv.Put("forever", "f").ok());

  clock.Advance(59'999);
  CHECK(Read(kv, "short") == std::string("s"));
  clock.Advance(1);  // exactly 60 s later
  CHECK(Read(kv, "short") == std::nullopt);
  CHECK(Read(kv, "long") == std::string("l"));
  CHECK(kv.size() == 2);

  clock.Advance(3'600'000);
  CHECK(Read(kv, "long") == std::nullopt);
  CHECK(Read(kv, "forever") == std::string("f"));
  CHECK(kv.size() == 1);
}

TEST_CASE("Put without a TTL clears an earlier TTL, and a new TTL restarts it", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  REQUIRE(kv.Put("k", "a", 60).ok());
  REQUIRE(kv.Put("k", "b").ok());
  clock.Advance(120'000);
  CHECK(Read(kv, "k") == std::string("b"));

  REQUIRE(kv.Put("t", "1", 60).ok());
  clock.Advance(50'000);
  REQUIRE(kv.Put("t", "2", 60).ok());
  clock.Advance(50'000);
  CHECK(Read(kv, "t") == std::string("2"));
  clock.Advance(10'000);
  CHECK(Read(kv, "t") == std::nullopt);
}

TEST_CASE("an expired key can be written again", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  REQUIRE(kv.Put("k", "old", 60).ok());
  clock.Advance(61'000);
  REQUIRE(kv.Put("k", "new", 60).ok());
  CHECK(Read(kv, "k") == std::string("new"));
}

TEST_CASE("a TTL too large for the clock never expires", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  REQUIRE(kv.Put("k", "v", std::numeric_limits<int64_t>::max()).ok());
  clock.Advance(int64_t{1} << 50);
  CHECK(Read(kv, "k") == std::string("v"));
}

TEST_CASE("TTLs under 60 seconds are refused like KV refuses them", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  CHECK(kv.Put("k", "v", 59).code() == Status::Code::kInvalidArgument);
  CHECK(kv.Put("k", "v", 0).code() == Status::Code::kInvalidArgument);
  CHECK(kv.Put("k", "v", -60).code() == Status::Code::kInvalidArgument);
  CHECK(Read(kv, "k") == std::nullopt);  // nothing was written
  CHECK(kv.Put("k", "v", kMinKvTtlSeconds).ok());
}

TEST_CASE("keys must be 1..512 bytes", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  CHECK(kv.Put("", "v").code() == Status::Code::kInvalidArgument);
  CHECK(kv.Put(std::string(513, 'k'), "v").code() == Status::Code::kInvalidArgument);
  CHECK(kv.Get(std::string(513, 'k')).status().code() == Status::Code::kInvalidArgument);
  CHECK(kv.Get("").status().code() == Status::Code::kInvalidArgument);
  CHECK(kv.Delete("").code() == Status::Code::kInvalidArgument);
  CHECK(kv.Put(".", "v").code() == Status::Code::kInvalidArgument);
  CHECK(kv.Put("..", "v").code() == Status::Code::kInvalidArgument);
  REQUIRE(kv.Put(std::string(512, 'k'), "v").ok());
  CHECK(Read(kv, std::string(512, 'k')) == std::string("v"));
  CHECK(kv.size() == 1);
}

TEST_CASE("values over 25 MiB are refused", "[key_value]") {
  ManualClock clock;
  MemoryKeyValue kv(clock);
  CHECK(kv.Put("big", std::string(MemoryKeyValue::kMaxValueBytes + 1, 'x')).code() ==
        Status::Code::kInvalidArgument);
  CHECK(kv.Put("big", std::string(MemoryKeyValue::kMaxValueBytes, 'x')).ok());
}

}  // namespace
}  // namespace nb
