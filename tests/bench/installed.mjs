// What being installed costs a page that is not recorded: the page's own
// fetch(), XHR and console calls, timed in the page, in a headless Chromium
// with the extension (pre-roll on, the default: the page hook keeps the last
// minute) and in one without it, in tabs no DevTools client is attached to
// (`uninspected.mjs`), as a tester's tabs are. Fresh tabs take turns
// between the two browsers, so that both see the same machine state.
//
//   node bench/installed.mjs [EXTENSION_DIR] [--rounds=5] [--no-pre-roll]
//
// (from `tests/`; EXTENSION_DIR defaults to `../dist/chromium`;
// `--no-pre-roll` turns the page hook off, leaving what the extension's
// presence alone costs). Prints each workload's median time in both and
// the ratio; the target is at most 1.1. `cargo xtask bench` runs it too.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, launchBrowser, configure } from '../e2e/harness.mjs';
import { launchUninspected } from './uninspected.mjs';
import { stats } from './report.mjs';

/** A page, a small JSON answer (1 KB) and a larger one (250 KB). */
const BODY = JSON.stringify({ ok: true, items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) });
const BIG = JSON.stringify({ ok: true, items: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) });

/**
 * The site: the API answers, and `/run?w=NAME` a page that waits a moment
 * after its load, runs workload NAME and writes `done:MS:HOOK` in its
 * title (HOOK: whether Repro's page hook is in it).
 */
function startApiSite() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'abc123' });
      return res.end(url.pathname.startsWith('/api/big') ? BIG : BODY);
    }
    const workload = WORKLOADS[url.searchParams.get('w')];
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Installed cost</title><p>A page that is not recorded.</p>${workload ? `<script>
addEventListener('load', () => setTimeout(async () => {
  const ms = await (${workload.toString()})();
  document.title = 'done:' + ms + ':' + Boolean(window.__reproHook);
}, 500));
</script>` : ''}`);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

/** Each workload: what the page does, timed in the page (ms). */
const WORKLOADS = {
  'fetch ×300': async () => {
    const started = performance.now();
    for (let i = 0; i < 300; i++) await (await fetch(`/api/items?i=${i}`, { headers: { accept: 'application/json' } })).json();
    return performance.now() - started;
  },
  'fetch ×50, 250 KB each': async () => {
    const started = performance.now();
    for (let i = 0; i < 50; i++) await (await fetch(`/api/big?i=${i}`)).json();
    return performance.now() - started;
  },
  'XHR ×300': async () => {
    const started = performance.now();
    for (let i = 0; i < 300; i++) {
      await new Promise((done) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', `/api/items?x=${i}`);
        xhr.onload = done;
        xhr.send();
      });
    }
    return performance.now() - started;
  },
  'console.log ×5000': async () => {
    const started = performance.now();
    for (let i = 0; i < 5000; i++) console.log('row', { i, name: 'item', tags: ['a', 'b'] });
    return performance.now() - started;
  },
};

/**
 * Time each workload in a browser with the extension in `extension`
 * (configured, not recording; the page hook on with `preRoll`) and in one
 * without it, `rounds` fresh tabs each, taking turns. Resolves to each
 * workload's samples, stats and ratio (with / without).
 */
export async function measureInstalled({ extension = join(ROOT, 'dist', 'chromium'), rounds = 5, preRoll = true } = {}) {
  // The extension's settings are made once through its options page
  // (Playwright), then the profile is opened again by a Chromium nobody inspects.
  const profile = mkdtempSync(join(tmpdir(), 'repro-installed-'));
  const setup = await launchBrowser({ profile, extension });
  await configure(setup.context, setup.id, 'http://127.0.0.1:9', 'unused', { preRoll });
  await setup.context.close();
  const browsers = {
    plain: await launchUninspected({ profile: mkdtempSync(join(tmpdir(), 'repro-plain-')) }),
    installed: await launchUninspected({ profile, extension }),
  };
  const samples = { plain: {}, installed: {} };
  const site = await startApiSite();
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['installed', 'plain'] : ['plain', 'installed'];
      for (const workload of Object.keys(WORKLOADS)) {
        for (const name of order) {
          const [ms, hook] = (await browsers[name].run(`${site.url}/run?w=${encodeURIComponent(workload)}&r=${round}`)).split(':');
          if (name === 'installed' && (hook === 'true') !== preRoll) throw new Error(`the page hook is ${preRoll ? 'not ' : ''}in the page`);
          if (name === 'plain' && hook === 'true') throw new Error('the page hook is in a page of the browser without Repro');
          (samples[name][workload] ??= []).push(Number(ms));
        }
      }
    }
  } finally {
    await Promise.all([browsers.plain.close(), browsers.installed.close()]);
    site.close();
  }
  return Object.fromEntries(Object.keys(WORKLOADS).map((workload) => {
    const without = stats(samples.plain[workload]);
    const withRepro = stats(samples.installed[workload]);
    return [workload, { without, with: withRepro, ratio: withRepro.median / without.median }];
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
  const extension = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(ROOT, 'dist', 'chromium'));
  const preRoll = !process.argv.includes('--no-pre-roll');
  const rounds = Number(option('rounds', 5));
  const results = await measureInstalled({ extension, rounds, preRoll });
  console.log(`${extension}, pre-roll ${preRoll ? 'on' : 'off'}, ${rounds} rounds, medians (min–max) in ms:`);
  const span = (s) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  for (const [workload, r] of Object.entries(results)) {
    console.log(`  ${workload.padEnd(24)} without ${span(r.without).padEnd(22)} with ${span(r.with).padEnd(22)} ratio ${r.ratio.toFixed(2)}`);
  }
}
