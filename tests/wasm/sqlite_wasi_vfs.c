// SQLite's OS layer under WASI for the unit tests' wasm run (cmake/sqlite-wasm.cmake compiles SQLite
// with SQLITE_OS_OTHER, so this file supplies sqlite3_os_init). The tests open ":memory:" databases
// only, which never reach the VFS's files; what SQLite still asks of a VFS is randomness, the time
// and a sleep. Opening a file fails loudly (SQLITE_CANTOPEN) instead of pretending.
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

static int NoFileOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  (void)vfs, (void)name, (void)flags, (void)out_flags;
  file->pMethods = 0;  // tells SQLite there is nothing to close
  return SQLITE_CANTOPEN;
}

static int NoFileDelete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  (void)vfs, (void)name, (void)sync_dir;
  return SQLITE_IOERR_DELETE;
}

static int NoFileAccess(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  (void)vfs, (void)name, (void)flags;
  *result = 0;
  return SQLITE_OK;
}

static int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  (void)vfs;
  sqlite3_snprintf(size, out, "%s", name);
  return SQLITE_OK;
}

// WASI's random_get: the same source the Worker's crypto.getRandomValues draws on.
static int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  (void)vfs;
  for (int done = 0; done < size;) {
    const int chunk = size - done > 256 ? 256 : size - done;  // getentropy's limit
    if (getentropy(out + done, (size_t)chunk) != 0) return done;
    done += chunk;
  }
  return size;
}

static int Sleep(sqlite3_vfs* vfs, int microseconds) {
  (void)vfs;
  struct timespec pause = {microseconds / 1000000, (microseconds % 1000000) * 1000};
  nanosleep(&pause, 0);
  return microseconds;
}

// Milliseconds since the Julian epoch, as SQLite's date functions count.
static int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  (void)vfs;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  *out = (sqlite3_int64)210866760000000LL + (sqlite3_int64)now.tv_sec * 1000 + now.tv_nsec / 1000000;
  return SQLITE_OK;
}

static int CurrentTime(sqlite3_vfs* vfs, double* out) {
  sqlite3_int64 ms = 0;
  CurrentTimeInt64(vfs, &ms);
  *out = ms / 86400000.0;
  return SQLITE_OK;
}

static int LastError(sqlite3_vfs* vfs, int size, char* out) {
  (void)vfs;
  if (size > 0) out[0] = 0;
  return 0;
}

static sqlite3_vfs memory_only_vfs = {
    .iVersion = 2,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 512,
    .zName = "nb-wasi-memory",
    .xOpen = NoFileOpen,
    .xDelete = NoFileDelete,
    .xAccess = NoFileAccess,
    .xFullPathname = FullPathname,
    .xRandomness = Randomness,
    .xSleep = Sleep,
    .xCurrentTime = CurrentTime,
    .xGetLastError = LastError,
    .xCurrentTimeInt64 = CurrentTimeInt64,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&memory_only_vfs, 1); }

int sqlite3_os_end(void) { return SQLITE_OK; }
