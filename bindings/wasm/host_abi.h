// The raw FFI layer: functions the JS shim (js-shim/wasm_instance.js, js-shim/bindings.js) provides to the
// module. Every binding call has one shape — a JSON head plus optional raw bytes in, the same out — so the
// surface stays narrow and a non-JSPI driver could implement it without touching domain code.
#pragma once

#include <cstdint>

#define NB_HOST_IMPORT(name) __attribute__((import_module("nb_host"), import_name(#name)))

extern "C" {
// Suspending (JSPI) calls. Each returns the byte length of the reply's JSON head, which stays
// pending in the shim until nb_host_result_take copies it out.
NB_HOST_IMPORT(d1)
int32_t nb_host_d1(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(r2)
int32_t nb_host_r2(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(kv)
int32_t nb_host_kv(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(fetch)
int32_t nb_host_fetch(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(crypto)
int32_t nb_host_crypto(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(ratelimit)
int32_t nb_host_ratelimit(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(queue)
int32_t nb_host_queue(const char* head, uint32_t head_len, const char* body, uint32_t body_len);
NB_HOST_IMPORT(thumbnail)
int32_t nb_host_thumbnail(const char* head, uint32_t head_len, const char* body, uint32_t body_len);

// Several binding calls started together, one suspension for all (wasm/host_call.h CallHostTogether).
// head: JSON [{"port": "d1"|"r2"|..., "head": {...}, "bodyLen": n}, ...]; body: the calls' bodies, in
// order. The reply head is [{"head": {...}, "bodyLen": n}, ...] and its body the replies' bodies.
NB_HOST_IMPORT(together)
int32_t nb_host_together(const char* head, uint32_t head_len, const char* body, uint32_t body_len);

// Synchronous: the pending reply's body length, then a copy of head and body into our buffers.
NB_HOST_IMPORT(result_body_len) uint32_t nb_host_result_body_len();
NB_HOST_IMPORT(result_take) void nb_host_result_take(char* head, char* body);
}
