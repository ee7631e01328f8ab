// The Worker's Logger: each record as one JSON line on stdout, which the shim's WASI fd_write hands
// to console.log (js-shim/wasi.js), where wrangler tail and Workers Logs pick it up.
#pragma once

#include <cstdio>
#include <string>

#include "ports/logger.h"

namespace nb {

class StdoutLogger final : public Logger {
 public:
  void Write(const LogRecord& record) override {
    std::string line = FormatLogLine(record);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    // The shim flushes a line per fd_write; without this a line would wait for the next request.
    std::fflush(stdout);
  }
};

}  // namespace nb
