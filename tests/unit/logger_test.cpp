// The Logger port: the JSON line every implementation writes, the request-bound RequestLog, and the
// promise that a 500 or 503 never loses its cause: the App logs the underlying Status with the
// request id, while the client sees only INTERNAL and that id.
#include "ports/logger.h"

#include <catch2/catch.hpp>
#include <string>

#include "app_fixture.h"
#include "native/recording_logger.h"

namespace nb {
namespace {

using nlohmann::json;
using testing::Answer;
using testing::AppFixture;

json Parsed(const std::string& line) { return json::parse(line, nullptr, false); }

TEST_CASE("logger: a record is one JSON line with level, event, requestId and its fields", "[logger]") {
  const std::string line =
      FormatLogLine({LogLevel::kWarn, "thumbnail_skipped", "req-7", {{"imageId", "img_1"}, {"bytes", 12}}});
  CHECK(line.find('\n') == std::string::npos);
  CHECK(Parsed(line) == json{{"level", "warn"},
                             {"event", "thumbnail_skipped"},
                             {"requestId", "req-7"},
                             {"imageId", "img_1"},
                             {"bytes", 12}});
}

TEST_CASE("logger: no requestId outside a request; the record's own names win over fields", "[logger]") {
  const json line =
      Parsed(FormatLogLine({LogLevel::kError, "generation_sweep", "", {{"level", "debug"}, {"event", "x"}}}));
  CHECK(line == json{{"level", "error"}, {"event", "generation_sweep"}});
  for (auto [level, name] : {std::pair{LogLevel::kDebug, "debug"},
                             {LogLevel::kInfo, "info"},
                             {LogLevel::kWarn, "warn"},
                             {LogLevel::kError, "error"}}) {
    CHECK(Parsed(FormatLogLine({level, "e", "", json::object()}))["level"] == name);
  }
}

TEST_CASE("logger: invalid UTF-8 in a field is replaced, not fatal", "[logger]") {
  const json line = Parsed(FormatLogLine({LogLevel::kInfo, "e", "", {{"path", std::string("/a\xff")}}}));
  REQUIRE(line.is_object());
  CHECK(line["path"] == "/a\xEF\xBF\xBD");
}

TEST_CASE("logger: a RequestLog stamps every line with its request id", "[logger]") {
  RecordingLogger logger;
  RequestLog log(logger, "req-42");
  log.Info("one");
  log.Error("two", {{"status", "Internal: boom"}});
  RequestLog(logger).Warn("three");
  REQUIRE(logger.records.size() == 3);
  CHECK(logger.records[0].request_id == "req-42");
  CHECK(logger.records[1].level == LogLevel::kError);
  CHECK(Parsed(logger.lines[1]) ==
        json{{"level", "error"}, {"event", "two"}, {"requestId", "req-42"}, {"status", "Internal: boom"}});
  CHECK_FALSE(Parsed(logger.lines[2]).contains("requestId"));
}

TEST_CASE_METHOD(AppFixture, "logger: every request logs one line with its id, status and time",
                 "[logger][app]") {
  Answer r = Get("/api/health");
  REQUIRE(r.status() == 200);
  auto lines = native.logger.Events("request");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].request_id == r.Header("x-request-id"));
  CHECK(lines[0].level == LogLevel::kInfo);
  CHECK(lines[0].fields["status"] == 200);
  CHECK(lines[0].fields["path"] == "/api/health");
  CHECK(native.logger.Events("request_failed").empty());
}

TEST_CASE_METHOD(AppFixture, "logger: a 500 logs its Status with the request id; the client never sees it",
                 "[logger][app]") {
  DevLogin("ana@example.com");
  REQUIRE(native.db->Prepare("ALTER TABLE users RENAME TO users_moved").Run().ok());
  native.logger.Clear();
  Answer r = Get("/api/me");
  INFO(r.response.body);
  REQUIRE(r.status() == 500);
  CHECK(r.error_code() == "INTERNAL");
  CHECK(r.response.body.find("users") == std::string::npos);

  auto failed = native.logger.Events("request_failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].level == LogLevel::kError);
  CHECK(failed[0].request_id == r.Header("x-request-id"));
  CHECK(failed[0].fields["code"] == "INTERNAL");
  // The Status as the port reported it: SQLite's own words about the missing table.
  const std::string status = failed[0].fields.value("status", "");
  INFO(status);
  CHECK(status.find("no such table: users") != std::string::npos);
  auto request = native.logger.Events("request");
  REQUIRE(request.size() == 1);
  CHECK(request[0].level == LogLevel::kError);
}

TEST_CASE_METHOD(AppFixture, "logger: a 4xx is not logged as a failure", "[logger][app]") {
  CHECK(Get("/api/me").status() == 401);
  CHECK(Get("/api/no-such-route").status() == 404);
  CHECK(native.logger.Events("request_failed").empty());
  CHECK(native.logger.Events("request").size() == 2);
}

TEST_CASE("status: the Is* helpers each answer for their own code only", "[status]") {
  const Status all[] = {Status::Ok(),
                        Status::NotFound("m"),
                        Status::InvalidArgument("m"),
                        Status::Conflict("m"),
                        Status::FailedPrecondition("m"),
                        Status::OutOfRange("m"),
                        Status::PermissionDenied("m"),
                        Status::Unavailable("m"),
                        Status::IoError("m"),
                        Status::Internal("m")};
  for (const Status& s : all) {
    INFO(s.ToString());
    using C = Status::Code;
    CHECK(s.IsNotFound() == (s.code() == C::kNotFound));
    CHECK(s.IsInvalidArgument() == (s.code() == C::kInvalidArgument));
    CHECK(s.IsConflict() == (s.code() == C::kConflict));
    CHECK(s.IsFailedPrecondition() == (s.code() == C::kFailedPrecondition));
    CHECK(s.IsOutOfRange() == (s.code() == C::kOutOfRange));
    CHECK(s.IsPermissionDenied() == (s.code() == C::kPermissionDenied));
    CHECK(s.IsUnavailable() == (s.code() == C::kUnavailable));
    CHECK(s.IsIoError() == (s.code() == C::kIoError));
    CHECK(s.IsInternal() == (s.code() == C::kInternal));
  }
  CHECK(Status::NotFound("x").IsNotFound());
  CHECK_FALSE(Status::Ok().IsNotFound());
}

}  // namespace
}  // namespace nb
