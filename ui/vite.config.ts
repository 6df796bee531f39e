import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Tauri loads http://localhost:5173 in development (devUrl) and ui/dist in a build
// (frontendDist). Nothing is fetched from other origins: the CSP allows only 'self'.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "localhost",
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
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
