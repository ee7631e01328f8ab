// The binary request and reply heads between the shim and C++ (js-shim/entry_wire.js, src/http/entry_wire.h):
// round trips of odd heads on the JS side, the same golden bytes as the C++ side's test
// (tests/unit/entry_wire_test.cpp), so the two halves agree byte for byte, and odd requests through the
// real Worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { encodeReplyHead, readReplyHead, readRequestHead, requestHeadBound, writeRequestHead } from "../../js-shim/entry_wire.js";
import { startWorker } from "./support/worker.js";

// Shared with tests/unit/entry_wire_test.cpp.
const GOLDEN_REQUEST = {
  head: {
    method: "POST", url: "/a?q=%C3%A9", origin: "http://h", requestId: "r1", bodyTooLarge: true,
    headers: [["a", "1"], ["a", "2"], ["x-empty", ""], ["x-name", "é"]], multipartJson: '{"fields":[],"files":[]}',
  },
  hex: "0304000000504f53540b0000002f613f713d25433325413908000000687474703a2f2f6802000000723104000000010000006101000000" +
    "310100000061010000003207000000782d656d7074790000000006000000782d6e616d6502000000c3a9180000007b226669656c6473223a" +
    "5b5d2c2266696c6573223a5b5d7d",
};
const GOLDEN_REPLY = {
  reply: {
    status: 206, headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-empty", ""], ["x-name", "é"]],
    object: { key: "k", offset: 5, length: 10 },
  },
  hex: "ce000000040000000a0000007365742d636f6f6b696503000000613d310a0000007365742d636f6f6b696503000000623d3207000000782d" +
    "656d7074790000000006000000782d6e616d6502000000c3a901010000006b0300000000000014400000000000002440",
};

// Writes at an offset inside a bigger buffer, as into linear memory, with junk around it.
function encodeRequest(head) {
  const mem = new Uint8Array(requestHeadBound(head) + 64).fill(0xee);
  const length = writeRequestHead(head, mem, 32);
  assert.ok(length <= requestHeadBound(head));
  return { mem, pos: 32, length };
}

const hex = (bytes) => Buffer.from(bytes).toString("hex");

test("the request head is the golden bytes C++ decodes", () => {
  const { mem, pos, length } = encodeRequest(GOLDEN_REQUEST.head);
  assert.equal(hex(mem.subarray(pos, pos + length)), GOLDEN_REQUEST.hex);
});

test("the golden reply head C++ encodes reads back", () => {
  const bytes = Buffer.from(GOLDEN_REPLY.hex, "hex");
  assert.deepEqual(readReplyHead(new Uint8Array(bytes), 0, bytes.length), GOLDEN_REPLY.reply);
  assert.equal(hex(encodeReplyHead(GOLDEN_REPLY.reply)), GOLDEN_REPLY.hex);
});

test("odd request heads round-trip: repeated, empty and non-ASCII values, a very long URL", () => {
  const longUrl = `/api/images?${"q=%F0%9F%98%80&".repeat(20000)}end=1`;
  const heads = [
    { method: "GET", url: "/", origin: "", requestId: "", bodyTooLarge: false, headers: [] },
    {
      method: "PUT", url: longUrl, origin: "https://example.com", requestId: crypto.randomUUID(), bodyTooLarge: false,
      headers: [
        ["cookie", "a=1"], ["cookie", "b=2"], ["x-empty", ""], ["x-latin1", "caf\u00e9 \u00ff"],
        ["x-unicode", "ü € 😀 中文"], ["x-long", "v".repeat(100_000)], ["", ""],
      ],
    },
    {
      method: "POST", url: "/api/images", origin: "http://localhost:8787", requestId: "id", bodyTooLarge: true,
      headers: [["content-type", "multipart/form-data; boundary=x"]],
      multipartJson: JSON.stringify({ fields: [["title", "Ünïcödé \u0000 \"quoted\""]], files: [{ field: "file", name: "é.png", type: "image/png", size: 3 }] }),
    },
  ];
  for (const head of heads) {
    const { mem, pos, length } = encodeRequest(head);
    assert.deepEqual(readRequestHead(mem, pos, length), head);
  }
});

test("odd reply heads round-trip: repeated set-cookie, empty values, non-ASCII, object ranges", () => {
  const replies = [
    { status: 200, headers: [] },
    { status: 204, headers: [["set-cookie", "a=1; Path=/"], ["set-cookie", "b=2; Path=/"], ["x-empty", ""]] },
    { status: 200, headers: [["content-disposition", "inline; filename*=UTF-8''%C3%A9.png"], ["x-raw", "é€😀"], ["x-long", "h".repeat(70_000)]] },
    { status: 206, headers: [["content-range", "bytes 0-0/1"]], object: { key: "images/u/1.png", offset: 0, length: 2 ** 40 } },
    { status: 200, headers: [], object: { key: "k" } },
    { status: 200, headers: [], object: { key: "k", length: 7 } },
  ];
  for (const reply of replies) {
    const bytes = encodeReplyHead(reply);
    const mem = new Uint8Array(bytes.length + 16);
    mem.set(bytes, 8);
    assert.deepEqual(readReplyHead(mem, 8, bytes.length), reply);
  }
});

test("a truncated or overlong reply head is refused, not misread", () => {
  const bytes = encodeReplyHead(GOLDEN_REPLY.reply);
  for (const cut of [0, 3, 8, 20, bytes.length - 1]) {
    assert.throws(() => readReplyHead(bytes, 0, cut), /truncated/);
  }
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => readReplyHead(longer, 0, longer.length), /trailing/);
});

// Through the real Worker: heads the old JSON path carried, carried the same way now.
let worker;
before(async () => (worker = await startWorker()));
after(async () => worker?.stop());

test("a very long URL reaches its route", async () => {
  const r = await worker.fetch(`/api/config?pad=${"x".repeat(12_000)}`);
  assert.equal(r.status, 200);
  assert.equal(typeof (await r.json()).generationCost, "number");
});

test("non-ASCII, empty and repeated request headers and a body reach C++ intact", async () => {
  const headers = new Headers({ "content-type": "application/json", origin: worker.url, "x-empty": "", "x-latin1": "caf\u00e9" });
  headers.append("x-twice", "1");
  headers.append("x-twice", "2");
  const body = JSON.stringify({ a: "ü € 😀", empty: "", n: 3 });
  const r = await worker.fetch("/api/_debug/echo", { method: "POST", headers, body });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { echo: { a: "ü € 😀", empty: "", n: 3 } });
  assert.match(r.headers.get("x-request-id"), /^[0-9a-f-]{36}$/);
  assert.equal(r.headers.get("x-content-type-options"), "nosniff");
});

test("a header after a non-ASCII one is still read by name (the error speaks Spanish)", async () => {
  const r = await worker.fetch("/api/no-such-route", { headers: { "x-latin1": "\u00e9\u00e9", "accept-language": "es" } });
  assert.equal(r.status, 404);
  const body = await r.json();
  assert.equal(body.error.message, "Ese recurso no existe.");
});
