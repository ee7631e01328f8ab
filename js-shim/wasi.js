// The few WASI preview1 calls the C++ module imports (see `wasm-dis build/wasm/app.opt.wasm | grep import`):
// stdout/stderr lines to the console, clock, randomness, and refusals for a filesystem we do not have.
const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;
const ERRNO_IO = 29;

export class ExitError extends Error {
  constructor(code) {
    super(`wasm module called proc_exit(${code})`);
    this.code = code;
  }
}

export function makeWasi(getMemory) {
  const lineBuffers = { 1: "", 2: "" };
  const decoder = new TextDecoder();
  const view = () => new DataView(getMemory().buffer);

  function flushLines(fd) {
    let text = lineBuffers[fd];
    let newline;
    while ((newline = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, newline);
      (fd === 2 ? console.error : console.log)(line);
      text = text.slice(newline + 1);
    }
    lineBuffers[fd] = text;
  }

  return {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const dv = view();
      const bytes = new Uint8Array(getMemory().buffer);
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = dv.getUint32(iovs + i * 8, true);
        const len = dv.getUint32(iovs + i * 8 + 4, true);
        lineBuffers[fd] += decoder.decode(bytes.subarray(ptr, ptr + len));
        written += len;
      }
      dv.setUint32(nwrittenPtr, written, true);
      flushLines(fd);
      return ERRNO_SUCCESS;
    },
    clock_time_get(clockId, _precision, timePtr) {
      // Workers freeze Date.now() during a request for timing safety; that is the time C++ sees too.
      const ns = BigInt(Math.round((clockId === 0 ? Date.now() : performance.now()) * 1e6));
      view().setBigUint64(timePtr, ns, true);
      return ERRNO_SUCCESS;
    },
    random_get(ptr, len) {
      // A failure is WASI's EIO, which getentropy reports and C++ traps on (wasm_clock_random.h),
      // rather than a JS exception thrown through the wasm frames.
      try {
        const bytes = new Uint8Array(getMemory().buffer, ptr, len);
        for (let off = 0; off < len; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
      } catch {
        return ERRNO_IO;
      }
      return ERRNO_SUCCESS;
    },
    fd_close: () => ERRNO_BADF,
    fd_seek: () => ERRNO_BADF,
    fd_fdstat_get: () => ERRNO_BADF,
    environ_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, 0, true);
      view().setUint32(sizePtr, 0, true);
      return ERRNO_SUCCESS;
    },
    environ_get: () => ERRNO_SUCCESS,
    args_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, 0, true);
      view().setUint32(sizePtr, 0, true);
      return ERRNO_SUCCESS;
    },
    args_get: () => ERRNO_SUCCESS,
    proc_exit(code) {
      throw new ExitError(code);
    },
    sched_yield: () => ERRNO_SUCCESS,
    fd_read: () => ERRNO_NOSYS,
    fd_prestat_get: () => ERRNO_BADF,
    fd_prestat_dir_name: () => ERRNO_BADF,
  };
}
