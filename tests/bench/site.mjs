// The site the benchmark's tabs load: the generated pages (`/gen/N`, with
// `?csp` a CSP that forbids WebAssembly), the end-to-end suite's fixtures,
// and rrweb's pinned build (`/rrweb.js`) for the pages that run it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureFile } from '../e2e/harness.mjs';
import { generatedPage } from './pages.mjs';

const RRWEB = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'rrweb.umd.min.cjs'));
const pages = new Map();

/** Serve the site on loopback: resolves to `{ url, close }`. */
export function startSite() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    const csp = url.searchParams.has('csp') ? { 'content-security-policy': "script-src 'self'" } : {};
    if (url.pathname === '/rrweb.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(RRWEB);
    }
    const generated = url.pathname.match(/^\/gen\/(\d+)$/);
    if (generated) {
      const nodes = Number(generated[1]);
      if (!pages.has(nodes)) pages.set(nodes, generatedPage(nodes));
      res.writeHead(200, { 'content-type': 'text/html', ...csp });
      return res.end(pages.get(nodes));
    }
    const file = fixtureFile(url.pathname.slice(1));
    if (!file) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': file.type, ...csp });
    res.end(file.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, close: () => server.close(),
  })));
}
