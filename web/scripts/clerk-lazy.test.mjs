// Clerk's SDK must stay out of the initial load: local mode never downloads it.
// Reads the built app (run "npm run build" first): the entry chunk and
// everything it imports statically must hold no Clerk code, and the Clerk
// chunk must exist, loaded only on demand.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
// Strings Clerk's SDK carries in its built code (package names, its script's file name).
const CLERK_MARKERS = ['@clerk/react', '@clerk/shared', 'clerk.browser', 'ClerkProvider'];

function initialFiles(manifest) {
  const seen = new Set();
  const files = [];
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    const chunk = manifest[key];
    files.push(chunk.file, ...(chunk.css ?? []));
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return files;
}

const markersIn = (file) => {
  const text = readFileSync(join(dist, file), 'utf8');
  return CLERK_MARKERS.filter((marker) => text.includes(marker));
};

test('the initial load holds no Clerk code', () => {
  assert.ok(existsSync(manifestPath), `${manifestPath} is missing: run "npm run build" first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const files = initialFiles(manifest);
  assert.ok(
    files.some((file) => file.endsWith('.js')),
    'no entry chunk found',
  );
  for (const file of files) {
    assert.deepEqual(markersIn(file), [], `${file} contains Clerk code`);
  }
});

test('Clerk is built into a chunk of its own, loaded on demand', () => {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const initial = new Set(initialFiles(manifest));
  const lazyWithClerk = readdirSync(join(dist, 'assets'))
    .map((name) => `assets/${name}`)
    .filter((file) => file.endsWith('.js') && !initial.has(file))
    .filter((file) => markersIn(file).length > 0);
  assert.ok(
    lazyWithClerk.length > 0,
    'no lazy chunk carries Clerk: the check above proves nothing',
  );
});
