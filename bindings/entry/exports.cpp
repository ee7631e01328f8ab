// The composition root and the module's exports, called by js-shim/wasm_instance.js: the one file
// that sees both the App (src/app) and the Worker's adapters (bindings/wasm); see the `app` target in
// CMakeLists.txt and docs/architecture.md. Request entry points are wrapped in WebAssembly.promising by
// the shim, so the whole C++ call may suspend on binding calls.
#include <cstdlib>
#include <cstring>
#include <memory>

#include "app/app.h"
#include "http/entry_wire.h"
#include "util/json_text.h"
#include "wasm/wasm_clock_random.h"
#include "wasm/wasm_crypto.h"
#include "wasm/wasm_batch_reader.h"
#include "wasm/wasm_database.h"
#include "wasm/wasm_http_client.h"
#include "wasm/wasm_job_queue.h"
#include "wasm/wasm_key_value.h"
#include "wasm/wasm_logger.h"
#include "wasm/wasm_object_store.h"
#include "wasm/wasm_rate_limiter.h"
#include "wasm/wasm_thumbnailer.h"

#define NB_EXPORT(name) extern "C" __attribute__((export_name(#name)))

namespace {

struct WasmPorts {
  nb::wasm::WasmDatabase db;
  nb::wasm::WasmObjectStore objects;
  nb::wasm::WasmKeyValue kv;
  nb::wasm::WasmHttpClient http;
  nb::wasm::WasmCrypto crypto;
  nb::wasm::WasiClock clock;
  nb::wasm::WasiRandom random;
  nb::wasm::WasmRateLimiter limits;
  nb::wasm::WasmJobQueue jobs{"GENERATION_JOBS"};
  nb::wasm::WasmThumbnailer thumbnails;
  nb::StdoutLogger logger;
  nb::wasm::WasmBatchReader reads;
  nb::Ports ports{db, objects, kv, http, crypto, clock, random, limits, jobs, thumbnails, logger, reads};
};

WasmPorts* g_ports = nullptr;
nb::App* g_app = nullptr;

// The reply handed back to JS: four u32s it reads from linear memory. Kept until the next call
// on this instance (each instance serves one request at a time).
struct ReplyView {
  uint32_t head_ptr, head_len, body_ptr, body_len;
};
std::string g_reply_head;
std::string g_reply_body;
ReplyView g_reply_view;

ReplyView* Publish(std::string head, std::string body) {
  g_reply_head = std::move(head);
  g_reply_body = std::move(body);
  g_reply_view = {static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_reply_head.data())),
                  static_cast<uint32_t>(g_reply_head.size()),
                  static_cast<uint32_t>(reinterpret_cast<uintptr_t>(g_reply_body.data())),
                  static_cast<uint32_t>(g_reply_body.size())};
  return &g_reply_view;
}

// Takes ownership of a buffer the shim filled through nb_alloc.
std::string Adopt(char* ptr, uint32_t len) {
  std::string out(ptr ? ptr : "", ptr ? len : 0);
  std::free(ptr);
  return out;
}

}  // namespace

NB_EXPORT(nb_alloc) char* nb_alloc(uint32_t size) { return static_cast<char*>(std::malloc(size ? size : 1)); }

NB_EXPORT(nb_free) void nb_free(char* ptr) { std::free(ptr); }

// The next request's body, written by the shim straight into a std::string's buffer and moved into
// the Request: an upload then exists once in this instance's memory, not twice (malloc'd copy +
// string), which is the difference between 10 MB and 20 MB of linear memory that never shrinks.
std::string g_request_body;
NB_EXPORT(nb_request_body) char* nb_request_body(uint32_t size) {
  g_request_body.clear();
  g_request_body.shrink_to_fit();
  g_request_body.resize(size);
  return g_request_body.data();
}

// Configuration (the Worker's string vars and secrets) as a JSON object, once per instance.
NB_EXPORT(nb_init) int32_t nb_init(char* config_ptr, uint32_t config_len) {
  auto vars_json = nlohmann::json::parse(Adopt(config_ptr, config_len), nullptr, false);
  if (!vars_json.is_object()) return 1;
  std::map<std::string, std::string> vars;
  for (auto& [k, v] : vars_json.items()) {
    if (v.is_string()) vars[k] = v.get<std::string>();
  }
  g_ports = new WasmPorts();
  g_app = new nb::App(g_ports->ports, nb::Config(std::move(vars)));
  return 0;
}

// head: the binary request head of http/entry_wire.h, in a buffer from nb_alloc; body: raw bytes
// (for a multipart body, the single file's bytes; see js-shim/http_glue.js), already in the buffer
// nb_request_body handed out (body_len must match its size). Reply: the binary reply head and the body.
NB_EXPORT(nb_handle_request)
ReplyView* nb_handle_request(char* head_ptr, uint32_t head_len, uint32_t body_len) {
  nb::http::Request request;
  if (!nb::http::DecodeRequestHead(std::string_view(head_ptr ? head_ptr : "", head_ptr ? head_len : 0),
                                   request)) {
    request = nb::http::Request();  // as an unreadable JSON head used to: GET / with no headers
    request.method = "GET";
    request.url = "/";
  }
  std::free(head_ptr);
  g_request_body.resize(body_len);
  request.body = std::move(g_request_body);
  g_request_body = std::string();
  nb::http::Response response = g_app->Handle(request);
  return Publish(nb::http::EncodeReplyHead(response), std::move(response.body));
}

// head: {"queue","messages":[{"id","attempts","body"}]}; reply head:
// [{"id","action":"ack"|"retry","delaySeconds"?}].
NB_EXPORT(nb_handle_queue) ReplyView* nb_handle_queue(char* head_ptr, uint32_t head_len) {
  auto batch = nlohmann::json::parse(Adopt(head_ptr, head_len), nullptr, false);
  return Publish(nb::JsonText(g_app->HandleQueue(batch)), {});
}

// head: {"cron","scheduledTime"}.
NB_EXPORT(nb_handle_scheduled) ReplyView* nb_handle_scheduled(char* head_ptr, uint32_t head_len) {
  auto event = nlohmann::json::parse(Adopt(head_ptr, head_len), nullptr, false);
  g_app->HandleScheduled(event);
  return Publish("{}", {});
}
