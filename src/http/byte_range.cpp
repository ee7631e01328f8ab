#include "http/byte_range.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string_view>

namespace nb::http {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal digits only; saturates instead of overflowing (a huge start is simply past the end).
std::optional<int64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t value = 0;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
  }
  return value;
}

bool StartsWithBytesUnit(std::string_view header) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size()) return false;
  for (size_t i = 0; i < kUnit.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kUnit[i]) return false;
  }
  return true;
}

}  // namespace

RangeDecision DecideRange(const std::optional<std::string>& range_header, int64_t size) {
  RangeDecision whole;
  if (!range_header) return whole;
  const std::string_view header = TrimSpaces(*range_header);
  // Range units are case-insensitive; a unit we do not know must be ignored (RFC 9110 §14.2).
  if (!StartsWithBytesUnit(header)) return whole;
  const std::string_view spec = TrimSpaces(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;

  RangeDecision unsatisfiable{RangeDecision::Kind::kUnsatisfiable, {}};
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos || size <= 0) return unsatisfiable;
  const std::string_view first = spec.substr(0, dash);
  const std::string_view last = spec.substr(dash + 1);

  RangeDecision partial{RangeDecision::Kind::kPartial, {}};
  if (first.empty()) {
    // Suffix: the last n bytes.
    const auto n = ParseDigits(last);
    if (!n || *n == 0) return unsatisfiable;
    const int64_t length = std::min(*n, size);
    partial.span = {size - length, length};
    return partial;
  }
  const auto start = ParseDigits(first);
  if (!start || *start >= size) return unsatisfiable;
  int64_t end = size - 1;
  if (!last.empty()) {
    const auto parsed_end = ParseDigits(last);
    if (!parsed_end || *parsed_end < *start) return unsatisfiable;
    end = std::min(*parsed_end, size - 1);
  }
  partial.span = {*start, end - *start + 1};
  return partial;
}

std::string ContentRange(const ByteSpan& span, int64_t size) {
  return "bytes " + std::to_string(span.offset) + "-" + std::to_string(span.offset + span.length - 1) + "/" +
         std::to_string(size);
}

std::string UnsatisfiedContentRange(int64_t size) { return "bytes */" + std::to_string(size); }

}  // namespace nb::http
