/// <reference types="vitest/config" />
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

// The server's API reference page (/api/docs) loads Redoc's standalone bundle from
// <static dir>/api-docs/; tools/api installs it from npm (scripts/setup-api-tools).
const redocBundle = fileURLToPath(
  new URL("../tools/api/node_modules/redoc/bundles/redoc.standalone.js", import.meta.url),
);

function apiDocsBundle(): Plugin {
  return {
    name: "albumen-api-docs-bundle",
    apply: "build",
    writeBundle(options) {
      if (!existsSync(redocBundle)) {
        this.warn("no Redoc bundle (run scripts/setup-api-tools): /api/docs will not render");
        return;
      }
      const target = path.join(options.dir ?? "dist", "api-docs");
      mkdirSync(target, { recursive: true });
      copyFileSync(redocBundle, path.join(target, "redoc.standalone.js"));
    },
  };
}

// During development the API runs on its own port (scripts/run); the dev server proxies to it so
// the SPA and the API share one origin, as they do in production.
const backend = process.env.ALBUMEN_DEV_BACKEND ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), apiDocsBundle()],
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/healthz": { target: backend },
      "/readyz": { target: backend },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
  },
});
