// A stand-in for Gemini's generateContent that refuses every prompt the way Google documents a
// blocked prompt: HTTP 200, no candidates, promptFeedback.blockReason. The Worker must mark the
// image FAILED with a localized reason and refund the coins; the e2e test checks the app shows both.
import { createServer } from "node:http";

export async function startBlockingGemini() {
  const requests = [];
  const server = createServer((req, res) => {
    let size = 0;
    req.on("data", (chunk) => (size += chunk.length));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, key: req.headers["x-goog-api-key"], size });
      if (req.method !== "POST" || !/:generateContent$/.test(req.url ?? "")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: 404, message: "not found", status: "NOT_FOUND" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        promptFeedback: { blockReason: "SAFETY" },
        usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
        modelVersion: "gemini-2.5-flash-image",
      }));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
