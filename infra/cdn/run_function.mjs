// Runs a CloudFront Function file under Node the way CloudFront calls it, for
// the tests: reads {"secret", "now_unix", "urls": [...]} on stdin, builds a
// viewer-request event for each URL (with the clock at now_unix) and prints,
// one JSON line each, the status the viewer gets (200 when the request goes on
// to the cache) and the query string the function forwards.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';

const [functionFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(0, 'utf8'));
const source = readFileSync(functionFile, 'utf8').replace('__CDN_SIGNING_SECRET__', input.secret);
const frozenDate = class extends Date {
  static now() {
    return input.now_unix * 1000;
  }
};
const context = vm.createContext({ require: createRequire(import.meta.url), Date: frozenDate });
vm.runInContext(source, context);
for (const text of input.urls) {
  const url = new URL(text);
  const querystring = {};
  for (const [name, value] of url.searchParams) {
    querystring[name] = { value };
  }
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri: url.pathname, querystring, headers: {}, cookies: {} },
  };
  const result = context.handler(event);
  const status = result.statusCode ?? 200;
  console.log(JSON.stringify({ status, querystring: result.querystring ?? null }));
}
