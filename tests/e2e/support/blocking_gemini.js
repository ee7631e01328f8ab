// A stand-in for Gemini's generateContent that refuses every prompt the way Google documents a
// blocked prompt: HTTP 200, no candidates, promptFeedback.blockReason. The Worker must mark the
// image FAILED with a localized reason and refund the coins; the e2e test checks the app shows both.
// A request Google itself would refuse (tests/fakes/gemini.js refusalFor: unknown fields, a wrong
// aspectRatio or responseModalities, an unsupported image type, over 20 MB) gets Google's 400 instead,
// so a malformed request cannot pass for a blocked prompt.
import { createServer } from "node:http";
import { errorBody, refusalFor } from "../../fakes/gemini.js";

export async function startBlockingGemini() {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let parsed;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {}
      const record = { method: req.method, url: req.url, key: req.headers["x-goog-api-key"], size: body.length };
      requests.push(record);
      const reply = (status, json) => {
        record.status = status;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method !== "POST" || !/:generateContent$/.test(req.url ?? "")) return reply(404, errorBody(404, { message: "not found" }));
      const refusal = refusalFor(body.length, parsed);
      if (refusal) {
        record.refusal = refusal;
        return reply(400, errorBody(400, { message: refusal }));
      }
      reply(200, {
        promptFeedback: { blockReason: "SAFETY" },
        usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
        modelVersion: "gemini-2.5-flash-image",
      });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
