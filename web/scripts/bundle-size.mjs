#!/usr/bin/env node
// Measures the initial JavaScript: the entry chunk plus everything it imports
// statically (lazy routes excluded), gzipped. `--budget N` fails above N KiB.
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const budgetArg = process.argv.indexOf('--budget');
const budgetKiB = budgetArg > -1 ? Number(process.argv[budgetArg + 1]) : null;

if (!existsSync(manifestPath)) {
  console.error(`bundle-size: ${manifestPath} not found; run "npm run build" first.`);
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error('bundle-size: no entry chunk in the manifest.');
  process.exit(1);
}

const seen = new Set();
const files = [];
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return;
  if (chunk.file.endsWith('.js')) files.push(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
}
for (const [key] of entries) visit(key);

let rawTotal = 0;
let gzTotal = 0;
const rows = files.map((file) => {
  const bytes = readFileSync(join(dist, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzTotal += gz;
  return { file, raw: bytes.length, gz };
});

const kib = (n) => (n / 1024).toFixed(1);
for (const row of rows) {
  console.log(
    `  ${row.file.padEnd(44)} ${kib(row.raw).padStart(8)} KiB  ${kib(row.gz).padStart(7)} KiB gzip`,
  );
}
console.log(
  `Initial JS: ${kib(rawTotal)} KiB raw, ${kib(gzTotal)} KiB gzipped (${rows.length} file(s))`,
);

if (budgetKiB != null) {
  if (gzTotal / 1024 > budgetKiB) {
    console.error(
      `FAIL: initial JS ${kib(gzTotal)} KiB gzipped exceeds the ${budgetKiB} KiB budget.`,
    );
    process.exit(1);
  }
  console.log(`OK: within the ${budgetKiB} KiB budget.`);
}
