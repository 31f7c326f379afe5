import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // TypeScript 5 for test/typecheck-settings.test.ts, installed into test/typescript5 on first use.
    globalSetup: ["test/support/install-typescript5.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
