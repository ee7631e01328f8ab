# SQLite for wasm32-wasi: the amalgamation that scripts/fetch-codecs.sh generates from Debian's sqlite3
# source package, compiled with the Worker's toolchain. It is the Database port of the unit tests' wasm
# run (bindings/native/sqlite_database.cpp over it, as natively over libsqlite3); the Worker itself
# ships none of it (D1 is its database).
#
# WASI has no file locks, mmap or dlopen, and the tests open only ":memory:" databases, so SQLite's unix
# layer is left out (SQLITE_OS_OTHER) and tests/wasm/sqlite_wasi_vfs.c registers a VFS that opens no
# files at all: randomness and time from WASI, temporary tables in memory.
set(NB_SQLITE_DIR ${CMAKE_SOURCE_DIR}/third_party/src/sqlite3-3.40.1/amalgamation)
if(NOT EXISTS ${NB_SQLITE_DIR}/sqlite3.c)
  message(FATAL_ERROR "${NB_SQLITE_DIR}/sqlite3.c is missing: run scripts/fetch-codecs.sh (scripts/setup.sh does)")
endif()

add_library(nb_sqlite_wasm STATIC EXCLUDE_FROM_ALL ${NB_SQLITE_DIR}/sqlite3.c tests/wasm/sqlite_wasi_vfs.c)
target_include_directories(nb_sqlite_wasm SYSTEM PUBLIC ${NB_SQLITE_DIR})
target_compile_definitions(nb_sqlite_wasm PRIVATE
  SQLITE_OS_OTHER=1 SQLITE_THREADSAFE=0 SQLITE_TEMP_STORE=3 SQLITE_OMIT_LOAD_EXTENSION
  SQLITE_OMIT_WAL SQLITE_DEFAULT_MEMSTATUS=0
  # As Debian's libsqlite3 (the native run's) and D1 have them.
  SQLITE_ENABLE_MATH_FUNCTIONS SQLITE_ENABLE_FTS5)
# SQLite's own code, not ours: its warnings are not this project's to fix.
target_compile_options(nb_sqlite_wasm PRIVATE -w -O2)
