// The log port: one structured JSON line per event, so the Worker's logs (wrangler tail, Logpush) can
// be filtered by request id, level and event instead of grepped. Domain code never prints; it logs
// here. The Worker writes the lines to stdout (console.log); tests record them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace nb {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

inline const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// One event: what happened (a snake_case name), how bad, for which request, and its details.
struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  std::string event;
  std::string request_id;  // empty outside a request (queue jobs, the cron sweep)
  nlohmann::json fields = nlohmann::json::object();
};

// The line every implementation writes: {"level":…,"event":…,"requestId":…,…fields}. The three
// names are the record's own and win over a field of the same name; requestId is left out when
// empty. Invalid UTF-8 in a field becomes U+FFFD rather than aborting (JSON_NOEXCEPTION).
inline std::string FormatLogLine(const LogRecord& record) {
  nlohmann::json line = {{"level", LogLevelName(record.level)}, {"event", record.event}};
  if (!record.request_id.empty()) line["requestId"] = record.request_id;
  if (record.fields.is_object()) {
    for (const auto& [name, value] : record.fields.items()) {
      if (!line.contains(name)) line[name] = value;
    }
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Write(const LogRecord& record) = 0;
};

// A Logger bound to one request (or none): what handlers and services hold, so that every line of a
// request carries its id without each call site passing it.
class RequestLog {
 public:
  explicit RequestLog(Logger& logger, std::string request_id = "")
      : logger_(&logger), request_id_(std::move(request_id)) {}

  void Debug(std::string event, nlohmann::json fields = nlohmann::json::object()) const {
    Log(LogLevel::kDebug, std::move(event), std::move(fields));
  }
  void Info(std::string event, nlohmann::json fields = nlohmann::json::object()) const {
    Log(LogLevel::kInfo, std::move(event), std::move(fields));
  }
  void Warn(std::string event, nlohmann::json fields = nlohmann::json::object()) const {
    Log(LogLevel::kWarn, std::move(event), std::move(fields));
  }
  void Error(std::string event, nlohmann::json fields = nlohmann::json::object()) const {
    Log(LogLevel::kError, std::move(event), std::move(fields));
  }
  void Log(LogLevel level, std::string event, nlohmann::json fields) const {
    logger_->Write({level, std::move(event), request_id_, std::move(fields)});
  }
  const std::string& request_id() const { return request_id_; }

 private:
  Logger* logger_;
  std::string request_id_;
};

}  // namespace nb
