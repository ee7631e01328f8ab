// Builds web/ into web/dist (served by the Worker as static assets). `vite` alone serves the app with
// hot reload and forwards /api to a `make dev` Worker on :8787.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Every supported browser has <link rel=modulepreload>; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 2048,
  },
  server: {
    proxy: { "/api": `http://127.0.0.1:${process.env.NB_API_PORT ?? 8787}` },
  },
});
