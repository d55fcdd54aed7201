// Source maps are built for the operator (to read the stacks clients report)
// but never advertised: no built file may carry a sourceMappingURL comment,
// or browsers would fetch the maps. Reads the built app (run "npm run build" first).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const assets = join(dist, 'assets');

const built = () => (existsSync(assets) ? readdirSync(assets) : []);

test('no built file points browsers at a source map', () => {
  const files = built().filter((name) => /\.(js|css)$/.test(name));
  assert.ok(files.length > 0, `${assets} holds no JS: run "npm run build" first`);
  for (const name of [...files.map((f) => join('assets', f)), 'index.html']) {
    const text = readFileSync(join(dist, name), 'utf8');
    // The comment browsers read: `//# sourceMappingURL=…` or `/*# sourceMappingURL=… */`.
    assert.doesNotMatch(text, /\/[/*][#@]\s*sourceMappingURL=/, `${name} names its source map`);
  }
});

test('every JS chunk has its map beside it, for the operator', () => {
  const names = new Set(built());
  const missing = [...names].filter((n) => n.endsWith('.js') && !names.has(`${n}.map`));
  assert.deepEqual(missing, [], 'chunks without a source map');
});
