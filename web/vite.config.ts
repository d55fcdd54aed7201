/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vite';

/**
 * The release client error reports name: package.json's version, plus
 * PROMPTCANVAS_RELEASE (a commit, a build number) when the build sets it,
 * kept to what the server accepts ([A-Za-z0-9._+-], at most 64 characters).
 */
function release(): string {
  const { version } = JSON.parse(
    readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const build = process.env.PROMPTCANVAS_RELEASE?.trim();
  return (build ? `${version}+${build}` : version).replace(/[^A-Za-z0-9._+-]/g, '-').slice(0, 64);
}

export default defineConfig({
  plugins: [react(), tailwindcss()],
  define: { __APP_RELEASE__: JSON.stringify(release()) },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      // Share links' pages are rendered by the server.
      '/s/': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // scripts/bundle-size.mjs reads the manifest to measure the initial JS.
    manifest: true,
    // Maps are built for the operator (to read reported stacks), but no
    // sourceMappingURL comment points browsers at them; the server refuses *.map.
    sourcemap: 'hidden',
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    // Every core runs test files (Vitest's default leaves one idle, which on a
    // two-core machine halves the speed); threads start faster than processes.
    pool: 'threads',
    maxWorkers: availableParallelism(),
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
