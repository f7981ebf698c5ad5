// The site the benchmark's tabs load: the generated pages (`/gen/N`, with
// `?csp` a CSP that forbids WebAssembly), the text-heavy ones (`/text/N`),
// the live dashboard (`/live`, its script and its `/api/tick`), the end-to-end suite's fixtures,
// and rrweb's pinned build (`/rrweb.js`) for the pages that run it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureFile } from '../e2e/harness.mjs';
import { generatedPage, textHeavyPage, livePage, LIVE_SCRIPT } from './pages.mjs';

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
    if (url.pathname === '/live.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(LIVE_SCRIPT);
    }
    if (url.pathname === '/api/tick') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ state: Number(url.searchParams.get('n')) % 5 ? 'up' : 'slow' }));
    }
    const generated = url.pathname.match(/^\/(gen|text)\/(\d+)$/);
    if (generated || url.pathname === '/live') {
      const key = url.pathname;
      const nodes = generated ? Number(generated[2]) : 0;
      if (!pages.has(key)) pages.set(key, !generated ? livePage() : generated[1] === 'gen' ? generatedPage(nodes) : textHeavyPage(nodes));
      res.writeHead(200, { 'content-type': 'text/html', ...csp });
      return res.end(pages.get(key));
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
