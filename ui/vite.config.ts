import { loadEnv } from "vite";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { echartsFrozenPrototype } from "./build/echartsFrozenPrototype";

// Tauri loads http://localhost:5173 in development (devUrl) and ui/dist in a build
// (frontendDist). Nothing is fetched from other origins: the CSP allows only 'self'.
export default defineConfig(({ mode }) => ({
  plugins: [react(), echartsFrozenPrototype()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
    // In a plain browser the UI calls the core over HTTP: `casebook serve --dev` answers /api
    // (lib/api/transport.ts). CASEBOOK_SERVE names another address than its default port.
    proxy: { "/api": loadEnv(mode, ".", "CASEBOOK_").CASEBOOK_SERVE ?? "http://127.0.0.1:4180" },
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // CSS as files, never <style> injected at run time (style-src 'self').
    cssCodeSplit: false,
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    restoreMocks: true,
    projects: [
      // Components and pages with the client mocked, from the fixture builders of src/testing/.
      { extends: true, test: { name: "unit", include: ["src/**/*.test.{ts,tsx}"], exclude: ["src/**/*.core.test.{ts,tsx}"] } },
      // Pages against the real core (`casebook serve --dev`) and the contract fakes, over HTTP.
      {
        extends: true,
        test: {
          name: "core",
          include: ["src/**/*.core.test.{ts,tsx}"],
          globalSetup: ["src/testing/core/globalSetup.mjs"],
          setupFiles: ["src/testing/core/setup.mjs"],
          testTimeout: 20_000,
        },
      },
    ],
  },
}));
