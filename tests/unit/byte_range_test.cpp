#include "http/byte_range.h"

#include <catch2/catch.hpp>

namespace nb::http {
namespace {

using Kind = RangeDecision::Kind;

RangeDecision Decide(const char* header, int64_t size = 1000) {
  return DecideRange(std::string(header), size);
}

void CheckPartial(const char* header, int64_t offset, int64_t length, int64_t size = 1000) {
  INFO(header);
  const RangeDecision d = Decide(header, size);
  REQUIRE(d.kind == Kind::kPartial);
  CHECK(d.span.offset == offset);
  CHECK(d.span.length == length);
}

TEST_CASE("No Range header, another unit or several ranges serve the whole", "[range]") {
  CHECK(DecideRange(std::nullopt, 1000).kind == Kind::kWhole);
  CHECK(Decide("items=0-5").kind == Kind::kWhole);
  CHECK(Decide("bytes=0-1,5-9").kind == Kind::kWhole);
  CHECK(Decide("bytes=0-1, -5").kind == Kind::kWhole);
  CHECK(Decide("").kind == Kind::kWhole);
}

TEST_CASE("The three single-range forms", "[range]") {
  CheckPartial("bytes=0-99", 0, 100);
  CheckPartial("bytes=10-10", 10, 1);
  CheckPartial("bytes=990-", 990, 10);
  CheckPartial("bytes=-10", 990, 10);
  CheckPartial("BYTES=0-0", 0, 1);
  CheckPartial("  bytes= 5-9 ", 5, 5);
}

TEST_CASE("Ends past the last byte are clamped, long suffixes mean everything", "[range]") {
  CheckPartial("bytes=900-5000", 900, 100);
  CheckPartial("bytes=0-99999999999999999999999", 0, 1000);
  CheckPartial("bytes=-5000", 0, 1000);
  CheckPartial("bytes=-1000", 0, 1000);
}

TEST_CASE("Malformed or unsatisfiable byte ranges are 416", "[range]") {
  for (const char* bad : {"bytes=", "bytes=-", "bytes=abc", "bytes=5", "bytes=5-2", "bytes=1000-",
                          "bytes=1000-1001", "bytes=-0", "bytes=a-5", "bytes=5-b", "bytes=--5", "bytes=-5-3",
                          "bytes=+1-2", "bytes=1 -2", "bytes=99999999999999999999999-"}) {
    INFO(bad);
    CHECK(Decide(bad).kind == Kind::kUnsatisfiable);
  }
  CHECK(Decide("bytes=0-0", 0).kind == Kind::kUnsatisfiable);
}

TEST_CASE("Content-Range values", "[range]") {
  CHECK(ContentRange({0, 100}, 1000) == "bytes 0-99/1000");
  CHECK(ContentRange({999, 1}, 1000) == "bytes 999-999/1000");
  CHECK(UnsatisfiedContentRange(1000) == "bytes */1000");
}

}  // namespace
}  // namespace nb::http
