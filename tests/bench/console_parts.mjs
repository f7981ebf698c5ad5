// Which part of the page hook's console wrapper costs a page its time:
// the hook file itself, served into a plain page (no extension) in
// variants, in tabs nobody inspects, 5,000 console.log calls each:
// no hook, the hook, its wrapper forwarding nothing, the argument
// previews alone, the keeping of entries alone.
//
//   node bench/console_parts.mjs [--rounds=7]      (from `tests/`)
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';
import { launchUninspected } from './uninspected.mjs';
import { stats } from './report.mjs';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 7);
const HOOK = readFileSync(join(ROOT, 'extension', 'static', 'page-hook.js'), 'utf8');
const LOG = "const log = (level, args, stack) => post({ type: 'console', level, args: args.map(text), stack, time: Date.now() });";
if (!HOOK.includes(LOG)) throw new Error('the hook\'s log function changed: update the variants');
const VARIANTS = {
  'no hook': null,
  'the hook': HOOK,
  'wrapper only (log does nothing)': HOOK.replace(LOG, 'const log = () => {};'),
  'previews only (nothing kept)': HOOK.replace(LOG, 'const log = (level, args) => { args.map(text); };'),
  'entries kept, no previews': HOOK.replace(LOG, "const log = (level, args, stack) => post({ type: 'console', level, args: [], stack, time: Date.now() });"),
};
const WORKLOAD = `() => { const started = performance.now(); for (let i = 0; i < 5000; i++) console.log('row', { i, name: 'item', tags: ['a', 'b'] }); return performance.now() - started; }`;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://bench');
  if (url.pathname === '/hook.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    return res.end(VARIANTS[url.searchParams.get('v')] ?? '');
  }
  const variant = url.searchParams.get('v');
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!doctype html><title>console</title>${VARIANTS[variant] ? `<script src="/hook.js?v=${encodeURIComponent(variant)}"></script>` : ''}
<script>addEventListener('load', () => setTimeout(() => { document.title = 'done:' + (${WORKLOAD})(); }, 500));</script>`);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const browser = await launchUninspected({ profile: mkdtempSync(join(tmpdir(), 'repro-console-')) });
const samples = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const variant of Object.keys(VARIANTS)) {
      (samples[variant] ??= []).push(Number(await browser.run(`http://127.0.0.1:${server.address().port}/?v=${encodeURIComponent(variant)}&r=${round}`)));
    }
  }
} finally {
  await browser.close();
  server.close();
}
const base = stats(samples['no hook']).median;
for (const [variant, xs] of Object.entries(samples)) {
  const s = stats(xs);
  console.log(`${variant.padEnd(34)} ${s.median.toFixed(1).padStart(7)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})  ${(s.median / base).toFixed(2)}×`);
}
