// Catch2's main for the unit tests' wasm run (a WASI command). The module is built without exceptions
// like the Worker, so Catch2 (CATCH_CONFIG_DISABLE_EXCEPTIONS) cannot unwind out of a failed REQUIRE:
// it has printed the failed assertion by then, and this ends the instance with a failing status.
// tests/wasm/run_unit_tests.mjs runs each test case in a fresh instance, so the others still run.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

namespace Catch {

[[noreturn]] void throw_exception(std::exception const& e) {
  std::fflush(stdout);
  std::fprintf(stderr, "unit-wasm: test case aborted: %s\n", e.what());
  std::fflush(stderr);
  std::_Exit(3);
}

}  // namespace Catch
