// Starts the real release binary on a free port with a fresh data dir, and a
// headless Chromium through playwright-core. Used by the e2e journeys.
import { execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(webDir, 'test-output');
const require = createRequire(import.meta.url);

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** `settings`: environment variables added to the server's. */
export async function startServer(settings = {}) {
  const bin = resolve(
    process.env.PROMPTCANVAS_BIN ??
      join(webDir, '..', 'target', 'x86_64-unknown-linux-gnu', 'release', 'promptcanvas'),
  );
  if (!existsSync(bin)) {
    throw new Error(`server binary not found at ${bin} (build it, or set PROMPTCANVAS_BIN)`);
  }
  const dist = join(webDir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html not found: run "npm run build" first`);
  }
  mkdirSync(outDir, { recursive: true });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'promptcanvas-e2e-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(outDir, 'server.log'));
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      BIND_ADDR: `127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      WEB_DIST_DIR: dist,
      PUBLIC_BASE_URL: baseURL,
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited)
      throw new Error(
        `server exited early (${JSON.stringify(exited)}); see test-output/server.log`,
      );
    try {
      const res = await fetch(`${baseURL}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not answer /api/health within 30 s; see test-output/server.log');
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseURL,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            r();
          });
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  // Playwright gives each launch its own fresh temporary profile.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and returns serious/critical violations as
 * readable lines (empty when the page passes).
 */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated through the DevTools protocol, so the page's CSP does not apply.
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`)
          .join('\n    ')}`,
    );
}

/** A fresh temporary directory; the caller removes it. */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Unpacks `zip` into `dir` with Python's zipfile, as a person's unzip tool would. */
export function unzip(zip, dir) {
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir], { stdio: 'pipe' });
}

export function screenshotPath(name) {
  mkdirSync(outDir, { recursive: true });
  return join(outDir, name);
}
