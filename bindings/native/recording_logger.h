// The tests' Logger: keeps every record and its formatted line, so a test can check what was logged
// (and that a failure was not lost) without capturing stdout.
#pragma once

#include <string>
#include <vector>

#include "ports/logger.h"

namespace nb {

class RecordingLogger final : public Logger {
 public:
  void Write(const LogRecord& record) override {
    records.push_back(record);
    lines.push_back(FormatLogLine(record));
  }

  // The records of one event, oldest first.
  std::vector<LogRecord> Events(const std::string& event) const {
    std::vector<LogRecord> out;
    for (const auto& r : records)
      if (r.event == event) out.push_back(r);
    return out;
  }
  void Clear() {
    records.clear();
    lines.clear();
  }

  std::vector<LogRecord> records;
  std::vector<std::string> lines;
};

}  // namespace nb
