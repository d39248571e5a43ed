import { defineConfig } from "vitest/config";

// The end-to-end suite: the real backend (started by e2e/server.ts) and Debian's Chromium driven
// by playwright-core. One file, steps in order, no retries: a flaky test is a bug.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["./e2e/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    retry: 0,
  },
});
